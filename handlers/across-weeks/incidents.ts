import type { BotContext } from '../../src/bot/context.ts';
import type { Respond } from '../../src/platforms/platform.ts';
import type { Team } from '../../src/report/definition.ts';
import { weekEntries, type WeekEntry } from '../../src/report/across-weeks/week-data.ts';
import { truncate } from '../../src/report/truncate.ts';
import { readWeek, shiftWeek, weekStart, type WeekProblem } from '../../src/report/week.ts';
import { quoted, replaceWord, retype, weekInstead, type AcrossWeeksCommand } from './command.ts';
import { sendLongAnswer } from './long-answer.ts';
import { messagesFor, type Messages } from '../texts/messages.ts';
import { loadWeeks, MAX_WEEKS_BACK } from './week-history.ts';

/** Without a range, `incidents` covers a quarter: this week and the 12 before it. */
export const DEFAULT_INCIDENT_WEEKS = 13;

/** How much of one incident the list quotes; the export and the report have it whole. */
const INCIDENT_CHARS = 160;

export type IncidentRange =
  | { from: string; to: string }
  /** The word at `index` is not a week. */
  | { problem: 'bad-week'; index: number; word: string; reading: WeekProblem }
  | { problem: 'extra-words'; words: string }
  | { problem: 'too-long'; from: string; to: string; weeks: number };

/** `incidents [from] [to]`: ISO weeks, both included (either order); `to` defaults to this week, `from` to a quarter before it. */
export function parseIncidentRange(args: readonly string[], currentWeek: string): IncidentRange {
  if (args.length > 2) return { problem: 'extra-words', words: args.slice(2).join(' ') };
  const weeks: string[] = [];
  for (const [index, word] of args.entries()) {
    const reading = readWeek(word);
    if (!('week' in reading)) return { problem: 'bad-week', index, word, reading };
    weeks.push(reading.week);
  }
  const to = weeks[1] ?? currentWeek;
  const from = weeks[0] ?? shiftWeek(to, -(DEFAULT_INCIDENT_WEEKS - 1));
  const [first, last] = from <= to ? [from, to] : [to, from];
  const count = Math.round(weekStart(last, 'utc').diff(weekStart(first, 'utc'), 'weeks').weeks) + 1;
  if (count > MAX_WEEKS_BACK) return { problem: 'too-long', from: first, to: last, weeks: count };
  return { from: first, to: last };
}

/** The answer to an `incidents` the caller got wrong: what is wrong, and the command to type instead. */
function incidentRangeProblemText(request: AcrossWeeksCommand, range: Extract<IncidentRange, { problem: string }>, text: Messages): string {
  const { args, teamId, currentWeek } = request;
  switch (range.problem) {
    case 'extra-words':
      return text.extraWords('incidents', quoted(range.words), retype('incidents', args.slice(0, 2), teamId));
    case 'bad-week':
      return text.weekProblem(
        quoted(range.word),
        range.reading,
        retype('incidents', replaceWord(args, range.index, weekInstead(range.reading, currentWeek)), teamId),
      );
    case 'too-long':
      return text.rangeTooLong(range.from, range.to, range.weeks, retype('incidents', [shiftWeek(range.to, -(MAX_WEEKS_BACK - 1)), range.to], teamId));
  }
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
  if ('problem' in range) return respond({ text: incidentRangeProblemText(request, range, text) }, 'caller');
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
