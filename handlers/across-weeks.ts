import type { BotContext } from '../src/bot/context.ts';
import type { IncomingCommand, Respond } from '../src/platforms/platform.ts';
import type { Team } from '../src/report/definition.ts';
import { runHistoryCommand } from './history.ts';
import { runIncidentsCommand } from './incidents.ts';
import { runParticipationCommand } from './participation.ts';
import { runTrendCommand } from './trend.ts';

/** The `/weekly-report` subcommands that look across weeks; each takes optional words after it. */
export const ACROSS_WEEKS_SUBCOMMANDS = ['trend', 'incidents', 'history', 'participation'] as const;
export type AcrossWeeksSubcommand = (typeof ACROSS_WEEKS_SUBCOMMANDS)[number];

export function isAcrossWeeksSubcommand(word: string): word is AcrossWeeksSubcommand {
  return (ACROSS_WEEKS_SUBCOMMANDS as readonly string[]).includes(word);
}

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

/** Runs a subcommand of ACROSS_WEEKS_SUBCOMMANDS for a member of the team; answers the caller. */
export async function runAcrossWeeksCommand(ctx: BotContext, request: AcrossWeeksCommand, respond: Respond): Promise<void> {
  switch (request.sub) {
    case 'trend':
      return runTrendCommand(ctx, request, respond);
    case 'incidents':
      return runIncidentsCommand(ctx, request, respond);
    case 'history':
      return runHistoryCommand(ctx, request, respond);
    case 'participation':
      return runParticipationCommand(ctx, request, respond);
  }
}
