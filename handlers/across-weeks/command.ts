import type { IncomingCommand } from '../../src/platforms/platform.ts';
import type { Team } from '../../src/report/definition.ts';
import { truncate } from '../../src/report/truncate.ts';
import type { WeekProblem } from '../../src/report/week.ts';

/** The `/weekly-report` subcommands that look across weeks; each takes optional words after it. */
export const ACROSS_WEEKS_SUBCOMMANDS = ['trend', 'incidents', 'history', 'participation'] as const;
export type AcrossWeeksSubcommand = (typeof ACROSS_WEEKS_SUBCOMMANDS)[number];

export function isAcrossWeeksSubcommand(word: string): word is AcrossWeeksSubcommand {
  return (ACROSS_WEEKS_SUBCOMMANDS as readonly string[]).includes(word);
}

/** One of those subcommands, asked by a member of the team: ./across-weeks.ts routes it to the handler that runs it. */
export interface AcrossWeeksCommand {
  sub: AcrossWeeksSubcommand;
  args: string[];
  team: Team;
  /** The caller, a key of the team's people. */
  person: string;
  /** The week it is now, in the team's time zone. */
  currentWeek: string;
  command: IncomingCommand;
  /** The report id typed at the end of the command, if any: kept in the command an answer suggests. */
  teamId?: string;
}

/**
 * A command as the caller would type it again (without `/weekly-report`): the subcommand, the
 * words, and the report id they typed at the end. The answer to a mistake shows the command
 * corrected, made of what they typed.
 */
export function retype(sub: string, words: readonly string[], teamId?: string): string {
  return [sub, ...words, ...(teamId ? [teamId] : [])].join(' ');
}

/** `words` with the one at `index` replaced (or left out, with `replacement` null). */
export function replaceWord(words: readonly string[], index: number, replacement: string | null): string[] {
  return words.flatMap((w, i) => (i !== index ? [w] : replacement === null ? [] : [replacement]));
}

/** How much of a word an answer quotes back: the whole command may be up to 2,000 characters. */
export const QUOTED_WORD_CHARS = 80;

/** A word of the caller's, as an answer quotes it. */
export function quoted(word: string): string {
  return truncate(word, QUOTED_WORD_CHARS);
}

/** What to type in place of a week that is not one: the nearest week that exists, the ISO form of what was meant, or an example. */
export function weekInstead(problem: WeekProblem, example: string): string {
  if (problem.problem === 'no-such-week') return problem.nearest;
  return problem.suggestion ?? example;
}
