import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile, mkdir, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadTeamById } from '../../src/config/definitions.ts';
import { compileReport, compileSection, type SectionAnswer } from '../../src/report/compile.ts';
import type { SectionInWeek } from '../../src/report/section-answers.ts';
import type { Team } from '../../src/report/definition.ts';
import { parseReply, type ReplyInput } from '../../src/report/parse/index.ts';
import { readRepliesDir } from '../../src/seed/replies-dir.ts';
import { documentLines, EXPECTED_MD, REFERENCE_CREATED, SEEDS_DIR } from '../support/golden.ts';
import { PLATFORM_MODULES } from '../../src/platforms/modules.ts';
import type { WireReply } from '../../src/platforms/platform.ts';
import { wireInput } from '../support/wire-input.ts';
import { childEnv } from '../support/child-env.ts';

const execFileAsync = promisify(execFile);
/** The CLI in a process of its own, with an environment of its own (childEnv: nothing of the developer's, no .env). */
const run = (file: string, args: readonly string[]) => execFileAsync(file, args, { env: childEnv() });
const BIN = fileURLToPath(new URL('../../bin/weekly-report.js', import.meta.url));

async function seedAnswers(team: Team): Promise<SectionAnswer[]> {
  const { replies } = await readRepliesDir(SEEDS_DIR, team.definition);
  return replies.map((reply) => {
    const section = team.definition.sections.find((s) => s.id === reply.sectionId)!;
    const parsed = parseReply({ source: 'text', text: reply.text }, section);
    if (!parsed.ok) throw new Error(`${reply.file}: ${parsed.error.message}`);
    return { sectionId: reply.sectionId, owner: reply.owner, content: parsed.content };
  });
}

function list(...texts: string[]) {
  return { kind: 'list' as const, items: texts.map((text) => ({ text, children: [] })) };
}

describe('compileReport', () => {
  it('reproduces the 2024-W23 reference from the owners’ replies', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const report = compileReport({ team, week: '2024-W23', createdAt: REFERENCE_CREATED, answers: await seedAnswers(team) });
    expect(documentLines(report.markdown)).toEqual(documentLines(EXPECTED_MD));
    expect(report.sections.find((s) => s.id === 'reflections')).toMatchObject({ answeredBy: [], missing: ['lead'] });
  });

  it('merges the items of several owners in owner order and numbers them continuously', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    // `other` is owned by [lead, owner-o2]: owner-o2 answered first, but the lead's items come first.
    const answers: SectionAnswer[] = [
      { sectionId: 'other', owner: 'owner-o2', content: list('C', 'D') },
      { sectionId: 'other', owner: 'lead', content: list('A', 'B') },
    ];
    const report = compileReport({ team, week: '2024-W23', createdAt: REFERENCE_CREATED, answers });
    expect(report.markdown).toContain('## 【其他】\n\n1. A\n2. B\n3. C\n4. D\n');
  });

  it('prints a section handed over in one order, given its answers in any order: usual owners, whom it is handed to, anyone else by key', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const other = team.definition.sections.find((s) => s.id === 'other')!;
    // Handed to owner-o3 this week (teamInWeek); owner-o1 handed it over to them earlier and answered then.
    const inWeek: SectionInWeek = { ...other, owners: ['owner-o3'], usualOwners: other.owners };
    const answers: SectionAnswer[] = [
      { sectionId: 'other', owner: 'owner-o3', content: list('E') },
      { sectionId: 'other', owner: 'owner-o1', content: list('F') },
      { sectionId: 'other', owner: 'owner-o2', content: list('C', 'D') },
      { sectionId: 'other', owner: 'lead', content: list('A', 'B') },
    ];
    for (const given of [answers, [...answers].reverse()]) {
      const compiled = compileSection(inWeek, given);
      expect(compiled.markdown).toBe('## 【其他】\n\n1. A\n2. B\n3. C\n4. D\n5. E\n6. F');
      expect(compiled).toMatchObject({ answeredBy: ['lead', 'owner-o2', 'owner-o3', 'owner-o1'], missing: [] });
    }
    // The section as defined (history and export know no handover) reads the same with one delegate;
    // people it does not list come after its owners, by key.
    const oneDelegate = answers.filter((a) => a.owner !== 'owner-o1');
    expect(compileSection(other, oneDelegate).markdown).toBe(compileSection(inWeek, oneDelegate).markdown);
    expect(compileSection(other, answers).markdown).toBe('## 【其他】\n\n1. A\n2. B\n3. C\n4. D\n5. F\n6. E');
    // Counts add up: a section its usual owners answered before the handover is answered, so nobody owes it.
    expect(compileSection(inWeek, answers.slice(2))).toMatchObject({ answeredBy: ['lead', 'owner-o2'], missing: [] });
    expect(compileSection(inWeek, [])).toMatchObject({ answeredBy: [], missing: ['owner-o3'] });
  });

  it('prints the empty text for a section nobody answered, under a bullet title too', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const report = compileReport({ team, week: '2024-W23', createdAt: REFERENCE_CREATED, answers: [] });
    expect(report.markdown).toContain('- 【贝易转】\n\n    暂无\n- 【装修存管项目】\n\n    暂无\n');
    expect(report.markdown).toContain('## 收获与反思\n\n暂无\n');
    expect(report.markdown.startsWith('# 2024-W23\n\nCreated: 2024年6月4日 15:34\n')).toBe(true);
  });

  it('keeps template syntax typed by an owner as text, never evaluating it', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const answers: SectionAnswer[] = [{ sectionId: 'o1', owner: 'owner-o1', content: list('{{title}} and {{#each sections}}x{{/each}}') }];
    const report = compileReport({ team, week: '2024-W23', createdAt: REFERENCE_CREATED, answers });
    expect(report.markdown).toContain('1. {{title}} and {{#each sections}}x{{/each}}');
  });

  it('lets a layout place single sections by id', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const custom: Team = { ...team, layout: '# {{title}} ({{name}})\n\n{{section.o1}}\n\n{{section.[next-week]}}\n' };
    const report = compileReport({
      team: custom,
      week: '2024-W23',
      createdAt: REFERENCE_CREATED,
      answers: [{ sectionId: 'o1', owner: 'owner-o1', content: list('x') }],
    });
    expect(report.markdown).toBe('# 2024-W23 (支付中心周报)\n\n## 【O1 业务服务】\n\n1. x\n\n# 下周工作及目标\n\n暂无\n');
  });

  it('names the layout file when the layout uses a value that does not exist', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const broken: Team = { ...team, layout: '{{nonsense}}' };
    expect(() => compileReport({ team: broken, week: '2024-W23', createdAt: REFERENCE_CREATED, answers: [] })).toThrow(/payments-weekly\.md: .*nonsense/);
  });
});

/** The reference replies re-typed in other styles (test/fixtures/replies/): each must give the same document. */
const FIXTURES = fileURLToPath(new URL('../fixtures/replies/', import.meta.url));
const STYLES: Record<string, (sectionId: string) => Promise<ReplyInput | WireReply>> = {
  'Slack bullets • in the message text': async (id) => ({
    source: 'slack-text',
    text: await readFile(path.join(FIXTURES, 'bullets-slack', `${id}.txt`), 'utf8'),
  }),
  '1) numbering and 2-space indents': async (id) => ({ source: 'text', text: await readFile(path.join(FIXTURES, 'paren-numbering', `${id}.md`), 'utf8') }),
  'CRLF line endings': async (id) => ({ source: 'text', text: (await readFile(path.join(SEEDS_DIR, `${id}.md`), 'utf8')).replace(/\n/g, '\r\n') }),
  'Slack rich_text blocks': async (id) => ({
    source: 'slack-rich-text',
    blocks: (JSON.parse(await readFile(path.join(FIXTURES, 'slack-rich-text', `${id}.json`), 'utf8')) as { blocks: unknown[] }).blocks,
  }),
  'Feishu post content': async (id) => ({ source: 'feishu-post', content: await readFile(path.join(FIXTURES, 'feishu-post', `${id}.json`), 'utf8') }),
};

describe('the reference week re-typed in other styles', () => {
  for (const [style, inputOf] of Object.entries(STYLES)) {
    it(`gives the reference document from ${style}`, async () => {
      const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
      const answers: SectionAnswer[] = [];
      for (const section of team.definition.sections.filter((s) => s.id !== 'reflections')) {
        const parsed = parseReply(wireInput(await inputOf(section.id)), section);
        if (!parsed.ok) throw new Error(`${style} ${section.id}: ${parsed.error.message}`);
        answers.push({ sectionId: section.id, owner: section.owners[0]!, content: parsed.content });
      }
      const report = compileReport({ team, week: '2024-W23', createdAt: REFERENCE_CREATED, answers });
      expect(documentLines(report.markdown)).toEqual(documentLines(EXPECTED_MD));
    });
  }
});

describe('weekly-report compile (CLI)', () => {
  it('prints the reference document from seeds/2024-W23', async () => {
    const { stdout } = await run(process.execPath, [
      BIN,
      'compile',
      '--template',
      'payments-weekly',
      '--week',
      '2024-W23',
      '--created',
      '2024-06-04T15:34:00+08:00',
      '--replies',
      SEEDS_DIR,
    ]);
    expect(documentLines(stdout)).toEqual(documentLines(EXPECTED_MD));
  });

  it('prints exactly the messages the bot posts: Slack chat.postMessage arguments, Feishu interactive cards', async () => {
    const args = [BIN, 'compile', '--template', 'payments-weekly', '--week', '2024-W23', '--created', '2024-06-04T15:34:00+08:00', '--replies', SEEDS_DIR];
    const slack = JSON.parse((await run(process.execPath, [...args, '--format', 'slack'])).stdout) as {
      text: string;
      blocks: { type: string; text: string }[];
    }[];
    expect(slack.every((m) => m.text.startsWith('2024-W23') && m.blocks.every((b) => b.type === 'markdown'))).toBe(true);
    expect(documentLines(slack.map((m) => m.blocks[0]!.text).join('\n\n'))).toEqual(documentLines(EXPECTED_MD));
    const feishu = JSON.parse((await run(process.execPath, [...args, '--format', 'feishu'])).stdout) as {
      schema: string;
      body: { elements: { tag: string; content?: string }[] };
    }[];
    expect(feishu.every((card) => card.schema === '2.0')).toBe(true);
    const markdown = feishu.flatMap((card) => card.body.elements.filter((e) => e.tag === 'markdown').map((e) => e.content!));
    expect(documentLines(markdown.join('\n\n'))).toEqual(documentLines(EXPECTED_MD));
  });

  it('prints usage and exits 2 with no command, and 0 when help is asked for', async () => {
    const none = await run(process.execPath, [BIN]).catch((e: { code: number; stderr: string }) => e);
    expect(none).toMatchObject({ code: 2 });
    expect((none as { stderr: string }).stderr).toContain('Usage:');
    const help = await run(process.execPath, [BIN, 'help']);
    expect(help.stderr).toContain('Usage:');
  });

  it('exits non-zero with the file and the parser’s message for a bad reply', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'replies-'));
    await cp(SEEDS_DIR, dir, { recursive: true });
    await writeFile(path.join(dir, 'incidents.md'), '06/03 18:31 ok\n\n没有时间的一行\n');
    const failure = await run(process.execPath, [BIN, 'compile', '--template', 'payments-weekly', '--week', '2024-W23', '--replies', dir]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain(`${path.join(dir, 'incidents.md')}: `);
    expect((failure as { stderr: string }).stderr).toContain('没有时间的一行');
  });

  it('exits non-zero naming the definition file for a bad definition', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'templates-'));
    await mkdir(dir, { recursive: true });
    const yaml = (await readFile(fileURLToPath(new URL('../../templates/payments-weekly.yaml', import.meta.url)), 'utf8')).replace(
      'timeZone: Asia/Shanghai',
      'timeZone: Nowhere/Else',
    );
    await writeFile(path.join(dir, 'payments-weekly.yaml'), yaml);
    const failure = await run(process.execPath, [
      BIN,
      'compile',
      '--template',
      'payments-weekly',
      '--week',
      '2024-W23',
      '--replies',
      SEEDS_DIR,
      '--templates',
      dir,
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/payments-weekly\.yaml: timeZone: expected an IANA time zone/);
  });

  it('explains a bad week (a usage error: exit 2) and a missing replies folder (exit 1)', async () => {
    const bad = await run(process.execPath, [BIN, 'compile', '--template', 'payments-weekly', '--week', '2024-23', '--replies', SEEDS_DIR]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toContain('--week expects an ISO week like 2024-W23, got "2024-23"');
    const missing = await run(process.execPath, [BIN, 'compile', '--template', 'payments-weekly', '--week', '2024-W23', '--replies', '/nonexistent/dir']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(missing).toMatchObject({ code: 1 });
    expect((missing as { stderr: string }).stderr).toContain('--replies: cannot read /nonexistent/dir');
  });
});
