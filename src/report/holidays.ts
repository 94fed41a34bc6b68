import { DateTime } from 'luxon';
import type { Holiday, TeamDefinition } from './definition.ts';
import { momentInWeek, shiftWeek } from './week.ts';

/** The holiday that makes a week one with no report, or null: the week is listed, or a range holds its publish day. */
export function holidayOf(definition: TeamDefinition, week: string): Holiday | null {
  const publishDay = DateTime.fromJSDate(momentInWeek(week, definition.schedule.publish, definition.timeZone), { zone: definition.timeZone }).toISODate();
  return (
    definition.holidays.find((holiday) =>
      'week' in holiday ? holiday.week === week : publishDay !== null && holiday.from <= publishDay && publishDay <= holiday.to,
    ) ?? null
  );
}

/** How far ahead the next opening is looked for: a definition whose every week is a holiday has none. */
const OPENING_SEARCH_WEEKS = 60;

/**
 * The next week the schedule opens by itself, after `after`: the first week from `week` on whose
 * open moment is later than `after` and that is not a holiday; null when none is within a year.
 */
export function nextOpening(definition: TeamDefinition, week: string, after: Date): { week: string; at: Date } | null {
  for (let ahead = 0; ahead < OPENING_SEARCH_WEEKS; ahead++) {
    const candidate = shiftWeek(week, ahead);
    const at = momentInWeek(candidate, definition.schedule.open, definition.timeZone);
    if (at > after && !holidayOf(definition, candidate)) return { week: candidate, at };
  }
  return null;
}
