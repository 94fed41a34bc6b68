import type { WeeklyMoment } from '../report/definition.ts';

const DAY_NUMBERS: Record<WeeklyMoment['day'], number> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
};

/** `{ day: tuesday, time: "15:30" }` → `30 15 * * 2` (node-cron runs it in the team's time zone). */
export function cronExpression(moment: WeeklyMoment): string {
  const [hour, minute] = moment.time.split(':').map(Number);
  return `${minute} ${hour} * * ${DAY_NUMBERS[moment.day]}`;
}
