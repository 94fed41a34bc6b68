import { platformOf, type BotContext } from '../src/bot/context.ts';
import type { IncomingCommand, Respond } from '../src/platforms/platform.ts';
import type { Team } from '../src/report/definition.ts';
import { messagesFor } from './messages.ts';
import { parseTrendArgs, trendChart } from './trend.ts';
import { truncate } from '../src/report/truncate.ts';
import { incidentsBetween, parseIncidentRange } from './incidents.ts';
import { parseHistoryArgs, sectionHistory } from './history.ts';
import { parseParticipationArgs, participationFor, participationLines } from './participation.ts';

/** How much of one incident the list quotes; the export and the report have it whole. */
const INCIDENT_CHARS = 160;

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
  const { team, command } = request;
  const text = messagesFor(team.definition.locale);
  switch (request.sub) {
    case 'trend': {
      const parsed = parseTrendArgs(team, request.args);
      if ('problem' in parsed) {
        const names = team.definition.sections.flatMap((s) => s.metrics ?? []).map((m) => m.id);
        return respond({ text: parsed.problem === 'no-metrics' ? text.noMetrics : text.unknownMetric(parsed.word ?? '', names) }, 'caller');
      }
      const chart = await trendChart(ctx, team, request.currentWeek, parsed);
      // The chart goes where the command was typed, on the caller's platform: a picture cannot be a private answer.
      await platformOf(ctx, command.sender.platform).uploadFile(command.channel, { filename: chart.filename, title: chart.title, content: chart.png });
      return respond({ text: text.trendSent(chart.title, chart.empty) }, 'caller');
    }
    case 'incidents': {
      const range = parseIncidentRange(request.args, request.currentWeek);
      if ('problem' in range) return respond({ text: range.problem === 'too-long' ? text.rangeTooLong : text.badWeek(range.word) }, 'caller');
      const entries = await incidentsBetween(ctx, team, range.from, range.to);
      const weeks = [...new Set(entries.map((e) => e.week))].map((week) => ({
        week,
        lines: entries.filter((e) => e.week === week).map((e) => truncate(`${e.time} ${e.text.replace(/\n/g, ' ')}`, INCIDENT_CHARS)),
      }));
      return respond({ text: text.incidents(range.from, range.to, weeks) }, 'caller');
    }
    case 'history': {
      const parsed = parseHistoryArgs(team, request.args);
      const ids = team.definition.sections.map((s) => s.id);
      if ('problem' in parsed) return respond({ text: parsed.problem === 'no-section' ? text.chooseSection(ids) : text.unknownSection(parsed.word ?? '', ids) }, 'caller');
      const weeks = await sectionHistory(ctx, team, parsed.section, request.currentWeek, parsed.weeks);
      const answer = text.history(parsed.section.title, weeks);
      return respond({ text: answer, markdown: answer }, 'caller');
    }
    case 'participation': {
      const weeks = parseParticipationArgs(request.args);
      if (weeks === undefined) return respond({ text: text.participationUsage }, 'caller');
      const seen = await participationFor(ctx, team, request.person, request.currentWeek, weeks);
      return respond({ text: text.participation(seen.weeks, participationLines(team, seen.rows)) }, 'caller');
    }
  }
}
