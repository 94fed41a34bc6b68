import { DateTime } from 'luxon';
import type { WeeklyMoment } from './definition.ts';

/** ISO week ids (`2024-W23`) and the moments of a week in a team's time zone. */

const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/**
 * Time-zone arithmetic is costly (Luxon asks Intl for the offset every time), and every command
 * and reply asks the same few questions: which week is it, when does it open. The answers are
 * pure, so they are remembered, a bounded number of them.
 */
const MEMO_LIMIT = 2_000;
export function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}
const weeksByMinute = new Map<string, string>();
const weekStarts = new Map<string, DateTime>();
const moments = new Map<string, number>();

export function isIsoWeek(value: string): boolean {
  const match = WEEK_PATTERN.exec(value);
  if (!match) return false;
  return DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

/** How many weeks an ISO week-numbering year has: 52 or 53 (28 December is always in its last one). */
export function isoWeeksInYear(year: number): number {
  return DateTime.utc(year, 12, 28).weekNumber;
}

/**
 * A week as a person typed it: `2024-W23` in any case; or what is wrong with it, with what they
 * probably meant. A week number the year does not have names the nearest one it has; another way
 * of writing a week (`2024-W5`, `2024W23`) or a date (`2024-06-05`) suggests its ISO week.
 */
export type WeekReading =
  | { week: string }
  | { problem: 'no-such-week'; year: number; weekNumber: number; weeksInYear: number; nearest: string }
  | { problem: 'not-a-week'; suggestion?: string };

export type WeekProblem = Exclude<WeekReading, { week: string }>;

export function readWeek(text: string): WeekReading {
  const typed = text.trim().toUpperCase();
  const loose = /^(\d{4})-?W(\d{1,3})$/.exec(typed);
  if (loose) {
    const year = Number(loose[1]);
    const weekNumber = Number(loose[2]);
    const weeksInYear = isoWeeksInYear(year);
    const canonical = (n: number) => `${year}-W${String(n).padStart(2, '0')}`;
    if (weekNumber < 1 || weekNumber > weeksInYear) {
      return { problem: 'no-such-week', year, weekNumber, weeksInYear, nearest: canonical(weekNumber < 1 ? 1 : weeksInYear) };
    }
    return typed === canonical(weekNumber) ? { week: typed } : { problem: 'not-a-week', suggestion: canonical(weekNumber) };
  }
  const date = /^\d{4}-\d{2}-\d{2}$/.test(typed) ? DateTime.fromISO(typed, { zone: 'utc' }) : null;
  return date?.isValid ? { problem: 'not-a-week', suggestion: date.toFormat("kkkk-'W'WW") } : { problem: 'not-a-week' };
}

/** The ISO week an instant falls in, in the given time zone. */
export function isoWeekOf(at: Date, timeZone: string): string {
  // A week starts on a whole minute in every time zone in use, so the minute decides it.
  const minute = Math.floor(at.getTime() / 60_000);
  return memo(weeksByMinute, `${timeZone} ${minute}`, () => DateTime.fromJSDate(at, { zone: timeZone }).toFormat("kkkk-'W'WW"));
}

/** Monday 00:00 of the week, in the time zone. */
export function weekStart(week: string, timeZone: string): DateTime {
  return memo(weekStarts, `${timeZone} ${week}`, () => {
    const start = DateTime.fromISO(week, { zone: timeZone });
    if (!isIsoWeek(week) || !start.isValid) throw new RangeError(`expected an ISO week like 2024-W23, got "${week}"`);
    return start.startOf('day');
  });
}

export function shiftWeek(week: string, weeks: number): string {
  return weekStart(week, 'utc').plus({ weeks }).toFormat("kkkk-'W'WW");
}

/** The instant of e.g. "tuesday 15:30" in the given week and time zone. */
export function momentInWeek(week: string, moment: WeeklyMoment, timeZone: string): Date {
  const instant = memo(moments, `${timeZone} ${week} ${moment.day} ${moment.time}`, () => {
    const [hour, minute] = moment.time.split(':').map(Number);
    return weekStart(week, timeZone)
      .plus({ days: WEEKDAYS.indexOf(moment.day) })
      .set({ hour: hour ?? 0, minute: minute ?? 0 })
      .toMillis();
  });
  // A Date is mutable: each caller gets its own.
  return new Date(instant);
}

/** Formats a week id with a Luxon format (the definition's titleFormat). */
export function formatWeek(week: string, format: string): string {
  return weekStart(week, 'utc').toFormat(format);
}

export function formatInZone(at: Date, timeZone: string, format: string, locale = 'zh-CN'): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).setLocale(locale).toFormat(format);
}
