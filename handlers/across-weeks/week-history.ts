import type { BotContext } from '../../src/bot/context.ts';
import type { Team } from '../../src/report/definition.ts';
import type { Cycle, LatestSubmission } from '../../src/store/store.ts';
import { weekAnswers } from '../cycle/week-answers.ts';

export interface StoredWeek {
  cycle: Cycle;
  answers: LatestSubmission[];
}

/** The most weeks a command looks back: a year. */
export const MAX_WEEKS_BACK = 52;

/** The stored weeks among `weeks` (any order), oldest first, each with its answers as the report shows them. */
export async function loadWeeks(ctx: BotContext, team: Team, weeks: readonly string[]): Promise<StoredWeek[]> {
  const wanted = new Set(weeks);
  const oldest = [...wanted].sort()[0];
  const cycles = (await ctx.store.listCycles(team.definition.id, MAX_WEEKS_BACK * 2))
    .filter((c) => wanted.has(c.week) && (!oldest || c.week >= oldest))
    .sort((a, b) => a.week.localeCompare(b.week));
  return Promise.all(cycles.map(async (cycle) => ({ cycle, answers: await weekAnswers(ctx.store, team.definition.id, cycle.week) })));
}

/** A week count typed in a command (`12`), within 1..MAX_WEEKS_BACK; undefined when it is not one. */
export function parseWeekCount(word: string): number | undefined {
  if (!/^\d{1,3}$/.test(word)) return undefined;
  const n = Number(word);
  return n >= 1 && n <= MAX_WEEKS_BACK ? n : undefined;
}

/** A number typed where a week count goes that is not one (`0`, `100`): meant as a count, not as a name. */
export function isCountOutOfRange(word: string): boolean {
  return /^\d+$/.test(word) && parseWeekCount(word) === undefined;
}

/** The count to suggest instead of one out of range: the most there can be for a larger one, else the command's default. */
export function countInstead(word: string, defaultWeeks: number): string {
  return String(Number(word) > MAX_WEEKS_BACK ? MAX_WEEKS_BACK : defaultWeeks);
}
