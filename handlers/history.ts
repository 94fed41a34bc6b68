import type { BotContext } from '../src/bot/context.ts';
import { compileSection } from '../src/report/compile.ts';
import type { SectionDefinition, Team } from '../src/report/definition.ts';
import { shiftWeek } from '../src/report/week.ts';
import { loadWeeks, parseWeekCount } from './week-history.ts';

export const DEFAULT_HISTORY_WEEKS = 4;

export type HistoryRequest = { section: SectionDefinition; weeks: number } | { problem: 'no-section' | 'unknown-section'; word?: string };

/** `history <section> [weeks]`: a section by id or title (`o1`, `【O1 业务服务】`, `O1 业务服务`). */
export function parseHistoryArgs(team: Team, args: readonly string[]): HistoryRequest {
  const count = args.length > 1 ? parseWeekCount(args.at(-1)!) : undefined;
  const name = (count === undefined ? args : args.slice(0, -1)).join(' ');
  if (name === '') return { problem: 'no-section' };
  const plain = (title: string) => title.replace(/^【|】$/g, '').toLowerCase();
  const section = team.definition.sections.find((s) => s.id === name.toLowerCase() || plain(s.title) === plain(name));
  if (!section) return { problem: 'unknown-section', word: name };
  return { section, weeks: count ?? DEFAULT_HISTORY_WEEKS };
}

/** The section as each stored week printed it, oldest first. */
export async function sectionHistory(ctx: BotContext, team: Team, section: SectionDefinition, endWeek: string, weeks: number) {
  const wanted = Array.from({ length: weeks }, (_, i) => shiftWeek(endWeek, -i));
  const stored = await loadWeeks(ctx, team, wanted);
  return stored.map(({ cycle, answers }) => ({
    week: cycle.week,
    markdown: compileSection(section, answers.filter((a) => a.sectionId === section.id)).markdown,
  }));
}
