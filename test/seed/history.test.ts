import { describe, expect, it } from 'vitest';
import { goalReviewsOfWeek } from '../../handlers/cycle/goals.ts';
import { exportWeeks } from '../../src/cli/export.ts';
import { loadTeamById } from '../../src/config/definitions.ts';
import { PLATFORM_MODULES } from '../../src/platforms/modules.ts';
import { weekEntries, weekMetrics } from '../../src/report/across-weeks/week-data.ts';
import { participationRows } from '../../src/report/across-weeks/participation.ts';
import { seedHistory, seededRandom } from '../../src/seed/history.ts';
import { MemoryStore } from '../../src/store/index.ts';

describe('seeded history (npm run seed -- --weeks N)', () => {
  it('fills N published weeks before this one, whose metrics all read, near the reference values', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const store = new MemoryStore();
    const { written: weeks } = await seedHistory(store, team, '2024-W23', 12);
    expect(weeks).toHaveLength(12);
    expect(weeks[0]).toBe('2024-W11');
    expect(weeks.at(-1)).toBe('2024-W22');
    const cycles = await store.listCycles(team.definition.id, 20);
    expect(cycles.map((c) => c.status)).toEqual(Array(12).fill('published'));

    let incidents = 0;
    const rows = [];
    for (const week of weeks) {
      const answers = await store.latestSubmissions(team.definition.id, week);
      const [metrics] = weekMetrics(team.definition, answers);
      if (metrics!.values.length > 0) {
        expect(metrics!.problems).toEqual([]);
        const deposit = metrics!.values.find((v) => v.id === 'deposit-success-rate')!.value;
        expect(deposit).toBeGreaterThan(99.95);
        expect(deposit).toBeLessThan(100);
      }
      incidents += weekEntries(team.definition, week, answers).length;
      const cycle = cycles.find((c) => c.week === week)!;
      rows.push(...participationRows(team.definition, [{ week, publishMoment: cycle.firstPublishedAt!, answers }]));
    }
    expect(incidents).toBeGreaterThan(3);
    const statuses = new Set(rows.flatMap((r) => r.weeks.map((w) => w.status)));
    expect([...statuses].sort()).toEqual(['late', 'missing', 'on-time', 'skipped']);

    // Last week's goals, reviewed the week after, with every kind of mark.
    const reviews = (await Promise.all(weeks.map((week) => goalReviewsOfWeek(store, team.definition, week)))).flat();
    expect(reviews.length).toBeGreaterThan(6);
    const marks = reviews.flatMap((r) => r.goals.flatMap((g) => (g.state ? [g.state.status] : [])));
    expect(new Set(marks)).toEqual(new Set(['done', 'in-progress', 'dropped']));
  });

  it('gives the same history for the same seed, and stores nothing new when run again', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const a = new MemoryStore();
    const b = new MemoryStore();
    await seedHistory(a, team, '2024-W23', 6);
    await seedHistory(b, team, '2024-W23', 6);
    await seedHistory(b, team, '2024-W23', 6);
    const range = { from: '2024-W01', to: '2024-W23', format: 'json' as const };
    expect(await exportWeeks(b, team, range)).toBe(await exportWeeks(a, team, range));
    expect(seededRandom(1)()).toBe(seededRandom(1)());
  });
});

describe('--weeks', () => {
  it('reads a week count and refuses anything else, saying what it expects', async () => {
    const { seedWeeksFlag } = await import('../../src/seed/history.ts');
    expect(seedWeeksFlag('12')).toBe(12);
    expect(() => seedWeeksFlag('0')).toThrow('--weeks expects a number of weeks from 1 to 52, got "0"');
    expect(() => seedWeeksFlag('lots')).toThrow(/got "lots"/);
  });
});
