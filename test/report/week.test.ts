import { describe, expect, it } from 'vitest';
import { isoWeekOf, isoWeeksInYear, momentInWeek, readWeek, shiftWeek, weekStart } from '../../src/report/week.ts';

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

describe('readWeek: a week as a person types it', () => {
  it('reads an ISO week in any case', () => {
    expect(readWeek('2024-W23')).toEqual({ week: '2024-W23' });
    expect(readWeek('2024-w05')).toEqual({ week: '2024-W05' });
  });

  it('knows how many weeks each ISO year has', () => {
    expect([2020, 2024, 2025, 2026].map(isoWeeksInYear)).toEqual([53, 52, 52, 53]);
    expect(readWeek('2026-W53')).toEqual({ week: '2026-W53' });
  });

  it('says which week does not exist, with the nearest that does', () => {
    expect(readWeek('2026-W60')).toEqual({ problem: 'no-such-week', year: 2026, weekNumber: 60, weeksInYear: 53, nearest: '2026-W53' });
    expect(readWeek('2024-W53')).toEqual({ problem: 'no-such-week', year: 2024, weekNumber: 53, weeksInYear: 52, nearest: '2024-W52' });
    expect(readWeek('2024-W00')).toEqual({ problem: 'no-such-week', year: 2024, weekNumber: 0, weeksInYear: 52, nearest: '2024-W01' });
  });

  it('suggests the ISO form of a week written another way, or of a date', () => {
    expect(readWeek('2024-W5')).toEqual({ problem: 'not-a-week', suggestion: '2024-W05' });
    expect(readWeek('2024W23')).toEqual({ problem: 'not-a-week', suggestion: '2024-W23' });
    expect(readWeek('2024-06-05')).toEqual({ problem: 'not-a-week', suggestion: '2024-W23' });
    // A year's first days may be in the last week of the year before.
    expect(readWeek('2027-01-01')).toEqual({ problem: 'not-a-week', suggestion: '2026-W53' });
  });

  it('suggests nothing for what it cannot read as a week', () => {
    for (const text of ['june', '2024-23', '23', '2024-13-01', '']) expect(readWeek(text)).toEqual({ problem: 'not-a-week' });
  });
});
