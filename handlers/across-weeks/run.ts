import type { BotContext } from '../../src/bot/context.ts';
import type { Respond } from '../../src/platforms/platform.ts';
import type { AcrossWeeksCommand } from './command.ts';
import { runHistoryCommand } from './history.ts';
import { runIncidentsCommand } from './incidents.ts';
import { runParticipationCommand } from './participation.ts';
import { runTrendCommand } from './trend.ts';

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
