import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.ts';
import { EXPECTED_MD, SEEDS_DIR } from '../support/golden.ts';

/** `weekly-report <argv>` in this process, with its own stdout, stderr and environment. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env });
  return { status, stdout, stderr, firstLine: stderr.split('\n')[0] };
}

const EXPORT = ['export', '--template', 'payments-weekly'];
const COMPILE = ['compile', '--template', 'payments-weekly'];
/** Nothing listens there: a command that connected to it would fail after seconds, with exit 1. */
const UNREACHABLE = { MONGODB_URI: 'mongodb://127.0.0.1:1/weekly' };

describe('weekly-report: a command line it cannot run is a usage error, exit 2, naming the problem', () => {
  it('refuses --from after --to, before it connects to anything', async () => {
    const run = await cli([...EXPORT, '--from', '2024-W30', '--to', '2024-W20'], UNREACHABLE);
    expect(run.status).toBe(2);
    expect(run.firstLine).toBe('--from (2024-W30) is after --to (2024-W20): swap them, e.g. --from 2024-W20 --to 2024-W30');
    expect(run.stdout).toBe('');
  });

  it.each([
    ['no --template', ['export', '--from', '2024-W20', '--to', '2024-W23'], '--template is required (e.g. payments-weekly)'],
    ['no --from', [...EXPORT, '--to', '2024-W23'], '--from expects an ISO week like 2024-W23, got ""'],
    ['a --to that is not a week', [...EXPORT, '--from', '2024-W20', '--to', 'june'], '--to expects an ISO week like 2024-W23, got "june"'],
    [
      'a week that does not exist',
      [...EXPORT, '--from', '2024-W20', '--to', '2024-W60'],
      '--to: 2024 has no week 60 (ISO years have 52 or 53 weeks; 2024 has 52): e.g. 2024-W52',
    ],
    ['an unknown --format', [...EXPORT, '--from', '2024-W20', '--to', '2024-W23', '--format', 'xml'], '--format expects markdown, json, csv, got "xml"'],
  ])('export with %s', async (_what, argv, line) => {
    const run = await cli(argv, UNREACHABLE);
    expect(run.status).toBe(2);
    expect(run.firstLine).toBe(line);
    // Then the usage of that command, not of every command.
    expect(run.stderr).toContain('weekly-report export --template <id>');
    expect(run.stderr).not.toContain('weekly-report compile --template <id>');
    expect(run.stdout).toBe('');
  });

  it.each([
    ['a --week that is not a week', [...COMPILE, '--week', '2024-23', '--replies', SEEDS_DIR], '--week expects an ISO week like 2024-W23, got "2024-23"'],
    [
      'a --created that is not a time',
      [...COMPILE, '--week', '2024-W23', '--replies', SEEDS_DIR, '--created', 'yesterday'],
      '--created expects an ISO time like 2024-06-04T15:34:00+08:00, got "yesterday"',
    ],
    ['no --replies', [...COMPILE, '--week', '2024-W23'], '--replies is required: a folder with one file per section id'],
    ['an unknown option', [...COMPILE, '--week', '2024-W23', '--replies', SEEDS_DIR, '--output', 'x.md'], "Unknown option '--output'"],
  ])('compile with %s', async (_what, argv, line) => {
    const run = await cli(argv);
    expect(run.status).toBe(2);
    expect(run.firstLine).toBe(line);
    expect(run.stderr).toContain('weekly-report compile --template <id>');
    expect(run.stderr).not.toContain('weekly-report export --template <id>');
  });

  it('an unknown command, or none: the usage of every command', async () => {
    const unknown = await cli(['exprot']);
    expect(unknown.status).toBe(2);
    expect(unknown.firstLine).toBe('unknown command "exprot"');
    expect(unknown.stderr).toContain('weekly-report export --template <id>');
    expect((await cli([])).status).toBe(2);
    expect((await cli(['--help'])).status).toBe(0);
  });
});

describe('weekly-report: what the command line names is wrong: exit 1, one line', () => {
  it('a replies folder that cannot be read', async () => {
    const run = await cli([...COMPILE, '--week', '2024-W23', '--replies', '/nonexistent/replies']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('--replies: cannot read /nonexistent/replies (ENOENT)\n');
  });

  it('export without MONGODB_URI, in the environment or .env', async () => {
    const run = await cli([...EXPORT, '--from', '2024-W20', '--to', '2024-W23']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('MONGODB_URI is not set (in the environment or in .env in the working directory): export reads the stored weeks from MongoDB\n');
  });
});

describe('weekly-report compile: the Created line', () => {
  it('is --created when given: the reference week byte for byte', async () => {
    const run = await cli([...COMPILE, '--week', '2024-W23', '--created', '2024-06-04T15:34:00+08:00', '--replies', SEEDS_DIR]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${EXPECTED_MD}\n`);
  });

  it('is the week’s scheduled opening without --created, never the day it is run', async () => {
    const run = await cli([...COMPILE, '--week', '2024-W22', '--replies', SEEDS_DIR]);
    expect(run.status).toBe(0);
    // Tuesday 15:30 in Shanghai (the team's schedule.open) of 2024-W22.
    expect(run.stdout).toMatch(/^# 2024-W22\n\nCreated: 2024年5月28日 15:30\n/);
    const today = new Date();
    expect(run.stdout).not.toContain(`Created: ${today.getFullYear()}年${today.getMonth() + 1}月${today.getDate()}日`);
  });
});

describe('weekly-report: TEMPLATES_DIR', () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'weekly-report-templates-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('is where the team definitions are read from unless --templates says otherwise', async () => {
    const run = await cli([...COMPILE, '--week', '2024-W23', '--replies', SEEDS_DIR], { TEMPLATES_DIR: empty });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`no team definition "payments-weekly" in ${empty} (found: none)\n`);
  });

  it('a folder that does not exist is one line, not a crash', async () => {
    const run = await cli([...COMPILE, '--week', '2024-W23', '--replies', SEEDS_DIR, '--templates', path.join(empty, 'nope')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`no team definition "payments-weekly" in ${path.join(empty, 'nope')}: the folder cannot be read (ENOENT)\n`);
  });
});
