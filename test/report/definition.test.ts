import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DEFAULT_TEMPLATES_DIR, loadAllTeams, loadTeam, loadTeamById } from '../../src/config/definitions.ts';
import { DefinitionError, parseTeamDefinition } from '../../src/report/definition.ts';
import { PLATFORM_MODULES } from '../../src/platforms/modules.ts';

async function referenceRaw(): Promise<Record<string, unknown>> {
  const { readFile } = await import('node:fs/promises');
  return YAML.parse(await readFile(path.join(DEFAULT_TEMPLATES_DIR, 'payments-weekly.yaml'), 'utf8')) as Record<string, unknown>;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as Error).message;
  }
  throw new Error('expected a DefinitionError');
}

describe('team definition', () => {
  it('loads the shipped payments-weekly definition with its sections in order', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    expect(team.definition.sections.map((s) => s.id)).toEqual([
      'beiyizhuan',
      'decoration-escrow',
      'payment-safety',
      'o1',
      'o2',
      'o3',
      'o4',
      'metrics',
      'incidents',
      'other',
      'reflections',
      'next-week',
    ]);
    expect(team.definition.timeZone).toBe('Asia/Shanghai');
    expect(team.definition.sections.find((s) => s.id === 'incidents')?.kind).toBe('entries');
    expect(team.definition.sections.find((s) => s.id === 'metrics')?.kind).toBe('text');
    expect(team.layout).toContain('{{sections}}');
  });

  it('names the file, the path and what was expected for a bad owner id', async () => {
    const raw = await referenceRaw();
    (raw.people as Record<string, Record<string, unknown>>)['owner-o1']!.slack = 'bob';
    expect(errorOf(() => parseTeamDefinition(raw, 'templates/x.yaml', PLATFORM_MODULES))).toContain(
      'templates/x.yaml: people.owner-o1.slack: expected a Slack user id like U0123ABCD',
    );
  });

  it('names a section owner that is not a person of the team', async () => {
    const raw = await referenceRaw();
    (raw.sections as Record<string, unknown>[])[3]!.owners = ['nobody'];
    expect(errorOf(() => parseTeamDefinition(raw, 't.yaml', PLATFORM_MODULES))).toMatch(
      /t\.yaml: sections\[3\]\.owners\[0\]: expected a key of people .* got "nobody"/,
    );
  });

  it('rejects a section id used twice', async () => {
    const raw = await referenceRaw();
    (raw.sections as Record<string, unknown>[])[2]!.id = 'o1';
    expect(errorOf(() => parseTeamDefinition(raw, 't.yaml', PLATFORM_MODULES))).toContain('t.yaml: sections[3].id: section id "o1" is used twice');
  });

  it('rejects an unknown kind, a bad time zone and a missing title, all at once', async () => {
    const raw = await referenceRaw();
    const sections = raw.sections as Record<string, unknown>[];
    sections[0]!.kind = 'table';
    delete sections[5]!.title;
    raw.timeZone = 'Mars/Olympus';
    const message = errorOf(() => parseTeamDefinition(raw, 't.yaml', PLATFORM_MODULES));
    expect(message).toContain('t.yaml: sections[0].kind: Invalid option: expected one of "list"|"text"|"entries"');
    expect(message).toContain('t.yaml: sections[5].title');
    expect(message).toContain('t.yaml: timeZone: expected an IANA time zone like Asia/Shanghai');
  });

  it('rejects a definition posted nowhere and a schedule time that is not a time', async () => {
    const raw = await referenceRaw();
    raw.post = {};
    (raw.schedule as Record<string, Record<string, string>>).open!.time = '25:00';
    const message = errorOf(() => parseTeamDefinition(raw, 't.yaml', PLATFORM_MODULES));
    expect(message).toContain('t.yaml: post: expected a destination on at least one of slack, feishu');
    expect(message).toContain('t.yaml: schedule.open.time: expected a 24-hour time like 15:30');
  });

  it('reports YAML syntax errors and a missing layout with the file name', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'defs-'));
    await writeFile(path.join(dir, 'broken.yaml'), 'id: [unclosed\n');
    await expect(loadTeam(path.join(dir, 'broken.yaml'), PLATFORM_MODULES)).rejects.toThrow(/broken\.yaml: /);
    const raw = await referenceRaw();
    raw.layout = 'missing.md';
    await writeFile(path.join(dir, 'team.yaml'), YAML.stringify(raw));
    await expect(loadTeam(path.join(dir, 'team.yaml'), PLATFORM_MODULES)).rejects.toThrow(/team\.yaml: layout: .*"missing\.md" not found/);
  });

  it('loads every definition of a folder and refuses two files with the same id', async () => {
    expect((await loadAllTeams(PLATFORM_MODULES)).map((t) => t.definition.id)).toContain('payments-weekly');
    const dir = await mkdtemp(path.join(tmpdir(), 'defs-'));
    const raw = await referenceRaw();
    raw.layout = 'layout.md';
    await writeFile(path.join(dir, 'layout.md'), '# {{title}}\n\n{{sections}}\n');
    await writeFile(path.join(dir, 'a.yaml'), YAML.stringify(raw));
    await writeFile(path.join(dir, 'b.yaml'), YAML.stringify(raw));
    await expect(loadAllTeams(PLATFORM_MODULES, dir)).rejects.toThrow(/b\.yaml: id: "payments-weekly" is defined by another file too/);
  });
});
