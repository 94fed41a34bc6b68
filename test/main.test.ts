import { mkdtemp, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR as ROOT, runMain } from './support/child-env.ts';

/**
 * Runs `npm start`'s entry point with exactly the given environment and input (childEnv: nothing of
 * the developer's, and no `.env` read unless a test leaves WEEKLY_REPORT_DOTENV out).
 */
const start = runMain;

describe('npm start', () => {
  it('shows the local chat with an empty environment, warning that data is in memory', async () => {
    const { code, stdout } = await start({}, '/people\n/open\n/as owner-o1\n/weekly-report help\n/quit\n');
    expect(code).toBe(0);
    expect(stdout).toContain('using the in-memory store');
    expect(stdout).toContain('local chat for "支付中心周报" (payments-weekly)');
    expect(stdout).toContain('owner-o2: Owner O2 — 【O2 能力升级】 (o2), 【其他】 (other)');
    // /open says what it did.
    expect(stdout).toMatch(/\d{4}-W\d{2} ?(已经在收集中)?：发出提示 \d+ 条/);
    expect(stdout).toContain('You are owner-o1.');
    // After /open, owner-o1 sees their prompt with how to answer it.
    expect(stdout).toMatch(/\[m\d+\] @owner-o1\n📝 支付中心周报 \d{4}-W\d{2}：请填写 【O1 业务服务】/);
    expect(stdout).toMatch(/\(\/reply m\d+ … to answer, or \/form m\d+\)/);
    expect(stdout).toContain('`week 2024-W22`');
  });

  it('with --seed, answers the current week with the reference replies', async () => {
    const { code, stdout } = await start({}, '/weekly-report preview\n/quit\n', ['--seed']);
    expect(code).toBe(0);
    expect(stdout).toContain('## 【O1 业务服务】\n\n1. 资金安全&物保：物保资金项展示规则调整上线');
    expect(stdout).toContain('06/03 18:31 由于中信银行侧装修存管商户配置问题');
  });

  it('with --seed --weeks 12, has earlier weeks to chart: trend writes a PNG and prints its path', async () => {
    const { code, stdout } = await start({}, '/weekly-report trend\n/weekly-report incidents\n/quit\n', ['--seed', '--weeks', '12']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/📎 payments-weekly-trend-percentages-\d{4}-W\d{2}\.png: \S+\.png/);
    expect(stdout).toContain('📈 已发送趋势图');
    expect(stdout).toMatch(/🚨 \d{4}-W\d{2} – \d{4}-W\d{2} 生产事件 \d+ 起/);
    // What the seed did: one plain line on the terminal, not a warning of the log (there is nothing to worry about).
    expect(stdout).toMatch(
      /^Seeded payments-weekly: \d{4}-W\d{2} – \d{4}-W\d{2} published \(12 earlier weeks\); \d{4}-W\d{2} answered with the reference replies \(\d+\)\.$/m,
    );
    expect(stdout).not.toMatch(/WARN: seeded/i);
  });

  it('names a malformed variable and exits non-zero without printing its value', async () => {
    const { code, stderr } = await start({ SLACK_BOT_TOKEN: 'not-a-token-s3cr3t', FEISHU_APP_ID: 'cli_x' }, '');
    expect(code).toBe(1);
    expect(stderr).toContain('SLACK_BOT_TOKEN: expected a bot token starting with xoxb-');
    expect(stderr).toContain('FEISHU_APP_SECRET: is required with FEISHU_APP_ID');
    expect(stderr).not.toContain('s3cr3t');
  });

  it('loads .env from the working directory, the environment winning over the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dotenv-'));
    await writeFile(path.join(dir, '.env'), 'SLACK_BOT_TOKEN=xoxp-from-dotenv-s3cr3t\nFEISHU_APP_ID=cli_from_dotenv\n');
    // As a person runs it: without the tests' WEEKLY_REPORT_DOTENV=0.
    const asAPerson = { WEEKLY_REPORT_DOTENV: undefined };
    const fromFile = await start(asAPerson, '', [], dir);
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toContain('SLACK_BOT_TOKEN: expected a bot token starting with xoxb-');
    expect(fromFile.stderr).toContain('FEISHU_APP_SECRET: is required with FEISHU_APP_ID');
    expect(fromFile.stderr).not.toContain('s3cr3t');
    // Set in the environment, the variables of the file are not read: the local chat starts.
    const overridden = await start({ ...asAPerson, SLACK_BOT_TOKEN: '', FEISHU_APP_ID: '' }, '/quit\n', [], dir);
    expect(overridden.code).toBe(0);
    expect(overridden.stdout).toContain('local chat for');
  });

  it('reads no .env with WEEKLY_REPORT_DOTENV=0, as every process the tests start: the database a .env names is never theirs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dotenv-off-'));
    await writeFile(path.join(dir, '.env'), 'MONGODB_URI=mongodb://127.0.0.1:9/wr\nSLACK_BOT_TOKEN=xoxp-from-dotenv-s3cr3t\n');
    const { code, stdout, stderr } = await start({}, '/quit\n', ['--seed'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('using the in-memory store');
    expect(stdout).toContain('local chat for');
  });

  it('names WEEKLY_REPORT_DOTENV when it is neither 0 nor 1, and reads nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dotenv-bad-'));
    await writeFile(path.join(dir, '.env'), 'MONGODB_URI=mongodb://127.0.0.1:9/wr\n');
    const { code, stderr } = await start({ WEEKLY_REPORT_DOTENV: 'no' }, '/quit\n', [], dir);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('WEEKLY_REPORT_DOTENV: expected 0 (do not read .env) or 1 (read it, the default), got "no"');
  });

  it('refuses to start with a broken layout, naming the file, the line and the problem', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'layout-'));
    await cp(path.join(ROOT, 'templates/payments-weekly.yaml'), path.join(dir, 'payments-weekly.yaml'));
    await writeFile(path.join(dir, 'payments-weekly.md'), '# {{title}\n\n{{sections}}\n');
    const { code, stderr } = await start({ TEMPLATES_DIR: dir }, '/quit\n');
    expect(code).toBe(1);
    expect(stderr).toMatch(/payments-weekly\.yaml: layout payments-weekly\.md: Parse error on line 1:/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
