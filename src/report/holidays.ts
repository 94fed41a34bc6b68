import { DateTime } from 'luxon';
import type { Holiday, TeamDefinition } from './definition.ts';
import { momentInWeek } from './week.ts';

/** The holiday that makes a week one with no report, or null: the week is listed, or a range holds its publish day. */
export function holidayOf(definition: TeamDefinition, week: string): Holiday | null {
  const publishDay = DateTime.fromJSDate(momentInWeek(week, definition.schedule.publish, definition.timeZone), { zone: definition.timeZone }).toISODate();
  return (
    definition.holidays.find((holiday) => ('week' in holiday ? holiday.week === week : publishDay !== null && holiday.from <= publishDay && publishDay <= holiday.to)) ?? null
  );
}
