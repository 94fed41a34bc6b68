import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTeamById } from '../../src/config/definitions.ts';
import { PLATFORM_MODULES } from '../../src/platforms/modules.ts';
import { compileReport, type CompiledReport } from '../../src/report/compile.ts';
import type { SectionDefinition, Team } from '../../src/report/definition.ts';
import type { SectionContent } from '../../src/report/model.ts';
import { parseReply, type ReplyError } from '../../src/report/parse/index.ts';

/**
 * The hostile-input corpus (test/fixtures/hostile/, one input per file) and the paths an input takes
 * to the document: through the reply parser, and straight into the compiler as stored content
 * (content saved by an older parser, or written by a tool, gets no parser's help).
 *
 * Run directly for the time each input takes end to end, slowest first:
 *   npx tsx test/report/hostile-corpus.ts
 * Every input should take milliseconds; a regex that backtracks on long runs of one character is
 * what to look for when one does not.
 */

export const HOSTILE_DIR = fileURLToPath(new URL('../fixtures/hostile/', import.meta.url));
const WEEK = '2024-W23';
const CREATED = new Date('2024-06-04T15:34:00+08:00');

export interface HostileInput {
  name: string;
  text: string;
}

export function hostileInputs(): HostileInput[] {
  return readdirSync(HOSTILE_DIR)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => ({ name, text: readFileSync(path.join(HOSTILE_DIR, name), 'utf8') }));
}

/** One section of each kind, and a list under a title bullet (its body is indented under the title). */
export const TARGET_SECTIONS = ['beiyizhuan', 'o1', 'metrics', 'incidents'] as const;

export function loadPaymentsTeam(): Promise<Team> {
  return loadTeamById('payments-weekly', PLATFORM_MODULES);
}

export function sectionOf(team: Team, id: string): SectionDefinition {
  const section = team.definition.sections.find((s) => s.id === id);
  if (!section) throw new Error(`payments-weekly has no section ${id}`);
  return section;
}

export type Route = 'parser' | 'parser, as the lines of one incident' | 'stored content';

export type HostileOutcome =
  | { route: Route; refused: ReplyError }
  /** `messages`: the Markdown of each message every platform module renders the report as, by platform. */
  | { route: Route; typed: string; report: CompiledReport; messages: Record<string, string[]> };

/** The routes an input takes into a section: entries sections also get it as an incident's continuation lines. */
export function routesFor(section: SectionDefinition): Route[] {
  return section.kind === 'entries' ? ['parser', 'parser, as the lines of one incident', 'stored content'] : ['parser', 'stored content'];
}

export function runHostileInput(team: Team, section: SectionDefinition, text: string, route: Route): HostileOutcome {
  let content: SectionContent;
  let typed = text;
  if (route === 'stored content') {
    content = storedContent(section, text);
  } else {
    if (route !== 'parser') typed = `06/03 18:31 事件\n${text.replace(/\n[ \t]*(?=\n)/g, '')}`;
    const parsed = parseReply({ source: 'text', text: typed }, section);
    if (!parsed.ok) return { route, refused: parsed.error };
    content = parsed.content;
  }
  const owner = section.owners[0] ?? '';
  const report = compileReport({ team, week: WEEK, createdAt: CREATED, answers: [{ sectionId: section.id, owner, content }] });
  const messages = Object.fromEntries(PLATFORM_MODULES.map((platform) => [platform.name, platform.renderReport(report).map((m) => m.markdown ?? m.text)]));
  return { route, typed, report, messages };
}

/** The text as content of the section's kind, as if stored without any parsing. */
export function storedContent(section: SectionDefinition, text: string): SectionContent {
  switch (section.kind) {
    case 'list':
      return { kind: 'list', items: [{ text, children: [{ text, children: [] }] }] };
    case 'text':
      return { kind: 'text', markdown: text };
    case 'entries':
      return { kind: 'entries', entries: [{ time: '06/03 18:31', text }], notes: [text] };
  }
}

/** Milliseconds per input (all sections, all routes), slowest first. */
export async function timeHostileCorpus(): Promise<{ name: string; ms: number }[]> {
  const team = await loadPaymentsTeam();
  const times = hostileInputs().map(({ name, text }) => {
    const start = performance.now();
    for (const id of TARGET_SECTIONS) {
      const section = sectionOf(team, id);
      for (const route of routesFor(section)) runHostileInput(team, section, text, route);
    }
    return { name, ms: Math.round(performance.now() - start) };
  });
  return times.sort((a, b) => b.ms - a.ms);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const { name, ms } of await timeHostileCorpus()) console.log(`${String(ms).padStart(7)} ms  ${name}`);
}
