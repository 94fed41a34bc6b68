import type { IncomingCommand } from '../../src/platforms/platform.ts';
import type { Team } from '../../src/report/definition.ts';

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
}
