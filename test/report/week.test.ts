import { describe, expect, it } from 'vitest';
import { isoWeekOf, momentInWeek, shiftWeek, weekStart } from '../../src/report/week.ts';

describe('weeks in a team’s time zone', () => {
  it('turns the week at Monday 00:00 team time, to the minute, however often it is asked', () => {
    for (let i = 0; i < 3; i++) {
      expect(isoWeekOf(new Date('2024-06-02T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2024-W22');
      expect(isoWeekOf(new Date('2024-06-02T16:00:00Z'), 'Asia/Shanghai')).toBe('2024-W23');
      // The same instant is another week in another zone.
      expect(isoWeekOf(new Date('2024-06-02T16:00:00Z'), 'America/New_York')).toBe('2024-W22');
    }
  });

  it('gives every caller its own Date for a moment of the week', () => {
    const publish = { day: 'friday', time: '17:00' } as const;
    const first = momentInWeek('2024-W23', publish, 'Asia/Shanghai');
    expect(first.toISOString()).toBe('2024-06-07T09:00:00.000Z');
    first.setFullYear(1999);
    expect(momentInWeek('2024-W23', publish, 'Asia/Shanghai').toISOString()).toBe('2024-06-07T09:00:00.000Z');
    expect(momentInWeek('2024-W23', publish, 'Europe/Berlin').toISOString()).toBe('2024-06-07T15:00:00.000Z');
  });

  it('refuses a week that is not one, every time it is asked', () => {
    expect(() => weekStart('2024-W54', 'utc')).toThrow(RangeError);
    expect(() => weekStart('2024-W54', 'utc')).toThrow(RangeError);
    expect(shiftWeek('2024-W52', 1)).toBe('2025-W01');
  });
});
