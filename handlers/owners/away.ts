import { DateTime } from 'luxon';
import type { BotContext } from '../../src/bot/context.ts';
import type { TeamDefinition } from '../../src/report/definition.ts';
import type { ReadOptions } from '../../src/store/store.ts';
import { memo, momentInWeek } from '../../src/report/week.ts';

/**
 * The people away during a week's collection window (its open day to its publish day, team time):
 * they are not prompted or reminded, and status and the digest list them as away, not missing.
 * `read` lets a caching store answer from memory (`status`).
 */
export async function awayInWeek(ctx: Pick<BotContext, 'store'>, definition: TeamDefinition, week: string, read?: ReadOptions): Promise<Set<string>> {
  const { opens, due } = collectionDays(definition, week);
  const absences = await ctx.store.listAbsences(definition.id, read);
  return new Set(absences.filter((a) => a.from <= due && opens <= a.to).map((a) => a.person));
}

/** Asked by every `status`: the days are remembered (time-zone arithmetic is costly). */
const collectionDaysKnown = new Map<string, { opens: string; due: string }>();

/** The collection window's first and last day (ISO dates, team time). */
function collectionDays(definition: TeamDefinition, week: string): { opens: string; due: string } {
  const { timeZone, schedule } = definition;
  const key = [timeZone, week, schedule.open.day, schedule.open.time, schedule.publish.day, schedule.publish.time].join(' ');
  return memo(collectionDaysKnown, key, () => {
    const day = (at: Date) => DateTime.fromJSDate(at, { zone: timeZone }).toISODate() ?? '';
    return { opens: day(momentInWeek(week, schedule.open, timeZone)), due: day(momentInWeek(week, schedule.publish, timeZone)) };
  });
}

const SHORT_DATE = /^(\d{1,2})[/-](\d{1,2})$/;

/** The day it is at `now` in the team's time zone, as an ISO date (`away list` shows absences that end on it or later). */
export function todayIn(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate() ?? '';
}

/** `2024-06-03` or `6/3` or `6-3` (this year, team time) as an ISO date, or null. */
export function readDate(text: string, now: Date, timeZone: string): string | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const short = SHORT_DATE.exec(text);
  const year = DateTime.fromJSDate(now, { zone: timeZone }).year;
  const [y, m, d] = iso ? [Number(iso[1]), Number(iso[2]), Number(iso[3])] : short ? [year, Number(short[1]), Number(short[2])] : [];
  if (y === undefined) return null;
  const date = DateTime.fromObject({ year: y, month: m, day: d }, { zone: timeZone });
  return date.isValid ? date.toISODate() : null;
}

/** The longest absence an end date typed without a year is read into the next year for (`12/28 1/3`). */
const NEW_YEAR_DAYS = 56;

export type AwayRange = { from: string; to: string } | { problem: 'not-a-date'; word: string } | { problem: 'reversed'; from: string; to: string };

/**
 * The dates of `away <person> <from> <to>`, as readDate reads them. An end date typed without a
 * year that falls before the start is in the following year when that makes the absence at most 8
 * weeks long (`12/28 1/3`, over New Year); otherwise the end is before the start, and the caller
 * is told so.
 */
export function readAwayRange(fromText: string, toText: string, now: Date, timeZone: string): AwayRange {
  const from = readDate(fromText, now, timeZone);
  if (!from) return { problem: 'not-a-date', word: fromText };
  let to = readDate(toText, now, timeZone);
  if (!to) return { problem: 'not-a-date', word: toText };
  if (to < from && SHORT_DATE.test(toText)) {
    const nextYear = DateTime.fromISO(to, { zone: timeZone }).plus({ years: 1 });
    if (nextYear.diff(DateTime.fromISO(from, { zone: timeZone }), 'days').days <= NEW_YEAR_DAYS) to = nextYear.toISODate() ?? to;
  }
  return to < from ? { problem: 'reversed', from, to } : { from, to };
}
