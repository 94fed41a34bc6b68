import type { BotContext } from '../../src/bot/context.ts';
import type { Respond } from '../../src/platforms/platform.ts';
import type { Team } from '../../src/report/definition.ts';
import { weekEntries, type WeekEntry } from '../../src/report/across-weeks/week-data.ts';
import { truncate } from '../../src/report/truncate.ts';
import { isIsoWeek, shiftWeek } from '../../src/report/week.ts';
import type { AcrossWeeksCommand } from './command.ts';
import { sendLongAnswer } from './long-answer.ts';
import { messagesFor } from '../texts/messages.ts';
import { loadWeeks, MAX_WEEKS_BACK } from './week-history.ts';

/** Without a range, `incidents` covers a quarter: this week and the 12 before it. */
export const DEFAULT_INCIDENT_WEEKS = 13;

/** How much of one incident the list quotes; the export and the report have it whole. */
const INCIDENT_CHARS = 160;

export type IncidentRange = { from: string; to: string } | { problem: 'bad-week'; word: string } | { problem: 'too-long' };

/** `incidents [from] [to]`: ISO weeks, both included; `to` defaults to this week, `from` to a quarter before it. */
export function parseIncidentRange(args: readonly string[], currentWeek: string): IncidentRange {
  const weeks = args.map((w) => w.toUpperCase());
  const bad = weeks.findIndex((w) => !isIsoWeek(w));
  if (bad !== -1 || weeks.length > 2) return { problem: 'bad-week', word: args[bad === -1 ? 2 : bad]! };
  const to = weeks[1] ?? currentWeek;
  const from = weeks[0] ?? shiftWeek(to, -(DEFAULT_INCIDENT_WEEKS - 1));
  const [first, last] = from <= to ? [from, to] : [to, from];
  if (first < shiftWeek(last, -(MAX_WEEKS_BACK - 1))) return { problem: 'too-long' };
  return { from: first, to: last };
}

/** Every week from..to, oldest first. */
export function weeksBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let w = from; w <= to; w = shiftWeek(w, 1)) out.push(w);
  return out;
}

/** The entries (【生产事件】) of the stored weeks from..to, oldest week first, in report order within a week. */
export async function incidentsBetween(ctx: BotContext, team: Team, from: string, to: string): Promise<WeekEntry[]> {
  const stored = await loadWeeks(ctx, team, weeksBetween(from, to));
  return stored.flatMap(({ cycle, answers }) => weekEntries(team.definition, cycle.week, answers));
}

/** `/weekly-report incidents [from] [to]`: the entries by week, in as many messages as it takes. */
export async function runIncidentsCommand(ctx: BotContext, request: AcrossWeeksCommand, respond: Respond): Promise<void> {
  const { team } = request;
  const { definition } = team;
  const text = messagesFor(definition.locale);
  const range = parseIncidentRange(request.args, request.currentWeek);
  if ('problem' in range) return respond({ text: range.problem === 'too-long' ? text.rangeTooLong : text.badWeek(range.word) }, 'caller');
  const entries = await incidentsBetween(ctx, team, range.from, range.to);
  if (entries.length === 0) return respond({ text: text.incidentsNone(range.from, range.to) }, 'caller');
  const weeks = [...new Set(entries.map((e) => e.week))].map((week) => ({
    week,
    lines: entries.filter((e) => e.week === week).map((e) => truncate(`${e.time} ${e.text.replace(/\n/g, ' ')}`, INCIDENT_CHARS)),
  }));
  await sendLongAnswer(ctx, request.command, respond, {
    header: text.incidentsHeader(range.from, range.to, entries.length),
    blocks: weeks.map((w) => text.incidentsWeek(w.week, w.lines)),
    filename: `${definition.id}-incidents-${range.from}-${range.to}.md`,
    locale: definition.locale,
  });
}
