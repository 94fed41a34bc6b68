import type { TeamDefinition, WeeklyMoment } from '../src/report/definition.ts';
import { formatInZone, momentInWeek } from '../src/report/week.ts';

/** A moment of the team's week as people read it: "6月7日 周五 17:00" / "Fri 7 Jun 17:00". */
export function formatMoment(definition: TeamDefinition, week: string, moment: WeeklyMoment): string {
  const at = momentInWeek(week, moment, definition.timeZone);
  const format = definition.locale === 'en' ? 'ccc d LLL HH:mm' : 'M月d日 ccc HH:mm';
  return formatInZone(at, definition.timeZone, format, definition.locale);
}
