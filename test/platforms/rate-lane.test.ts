import { describe, expect, it } from 'vitest';
import { MIN_EVIDENCE, RateLane, type RateLaneOptions } from '../../src/platforms/rate-lane.ts';
import { ManualClock } from '../support/manual-clock.ts';

/**
 * The adaptive rate that Slack's pacer and Feishu's rate limiter share (src/platforms/rate-lane.ts),
 * on a manual clock: spacing, pauses, what a throttled answer teaches, probing back up.
 */
describe('RateLane', () => {
  function lane(options: Partial<RateLaneOptions> = {}) {
    const clock = new ManualClock();
    const changes: string[] = [];
    const rate = new RateLane({
      perSecond: 20,
      minPerSecond: 1,
      maxPerSecond: 50,
      probeAfterMs: 30_000,
      clock,
      onRateChange: (perSecond, reason) => changes.push(`${perSecond.toFixed(2)} ${reason}`),
      ...options,
    });
    return { clock, rate, changes };
  }
  /** `count` calls a second apart / count, starting at `from`. */
  const spread = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + (i * 1_000) / count);

  it('spaces calls evenly at its rate, and lets an unpaced one through at once', () => {
    const { rate } = lane({ perSecond: 4 });
    expect(rate.earliest(0)).toBe(0);
    rate.book(0);
    expect(rate.earliest(0)).toBe(250);
    rate.book(250);
    expect(rate.earliest(300)).toBe(500);
    expect(rate.earliest(900)).toBe(900);

    const unpaced = lane({ perSecond: Number.POSITIVE_INFINITY }).rate;
    unpaced.book(0);
    expect(unpaced.earliest(0)).toBe(0);
  });

  it('holds every call until a pause is over, the longest pause winning', () => {
    const { rate } = lane();
    rate.pause(2_000);
    rate.pause(1_000);
    expect(rate.pausedUntil).toBe(2_000);
    expect(rate.earliest(10)).toBe(2_000);
    expect(rate.earliest(2_500)).toBe(2_500);
  });

  it('drops to 95% of what got through in the second before a throttled call, and tells', async () => {
    const { clock, rate, changes } = lane();
    await clock.advance(1_000);
    // 19 went through in the second before the refused call at 1,000 (one at 0 is outside it).
    expect(rate.learn(1_000, [0, ...spread(50, 19)])).toBe(true);
    expect(rate.perSecond).toBeCloseTo(19 * 0.95, 5);
    expect(rate.limitSeen).toBe(true);
    expect(rate.lastChange).toBe(1_000);
    expect(changes).toEqual(['18.05 rate-limited']);
  });

  it('never goes up from a throttled answer, nor under its minimum', () => {
    const above = lane({ perSecond: 10 });
    above.rate.learn(1_000, spread(1, 30));
    expect(above.rate.perSecond).toBeCloseTo(10 * 0.95, 5);

    const floor = lane({ perSecond: 3, minPerSecond: 2.9 });
    floor.rate.learn(1_000, spread(1, 3));
    expect(floor.rate.perSecond).toBe(2.9);
  });

  it(`learns nothing from fewer than ${MIN_EVIDENCE} calls through before it (a storm on the first calls)`, () => {
    const { rate, changes } = lane();
    expect(rate.learn(1_000, spread(1, MIN_EVIDENCE - 1))).toBe(false);
    expect(rate.perSecond).toBe(20);
    expect(rate.limitSeen).toBe(false);
    expect(changes).toEqual([]);
  });

  it('with a share of the rate to reach, learns nothing from a throttled answer far below it (another limit refused it)', () => {
    const { rate } = lane({ perSecond: 50, nearRateShare: 0.5 });
    expect(rate.learn(1_000, spread(1, 24))).toBe(false);
    expect(rate.perSecond).toBe(50);
    expect(rate.learn(1_000, spread(1, 25))).toBe(true);
    expect(rate.perSecond).toBeCloseTo(25 * 0.95, 5);
  });

  it('learns once from a burst: the refusals of calls let through before the rate changed say nothing more', async () => {
    const { clock, rate, changes } = lane();
    await clock.advance(1_000);
    expect(rate.teaches(990)).toBe(true);
    rate.learn(990, spread(0, 19));
    expect(rate.teaches(995)).toBe(false);
    expect(rate.learn(995, spread(0, 19))).toBe(false);
    expect(changes).toHaveLength(1);
    // A call let through after the change teaches again.
    await clock.advance(1_000);
    expect(rate.teaches(1_500)).toBe(true);
    expect(rate.learn(2_000, spread(1_001, 10))).toBe(true);
    expect(rate.perSecond).toBeCloseTo(10 * 0.95, 5);
  });

  it('once the limit was seen, probes 5% up after each quiet spell, up to its maximum', async () => {
    const { clock, rate, changes } = lane({ perSecond: 36, maxPerSecond: 36 });
    expect(rate.probe(clock.now())).toBe(false);
    await clock.advance(1_000);
    rate.learn(1_000, spread(1, 36));
    const learned = 36 * 0.95;
    await clock.advance(29_999);
    expect(rate.probe(clock.now())).toBe(false);
    await clock.advance(1);
    expect(rate.probe(clock.now())).toBe(true);
    expect(rate.perSecond).toBeCloseTo(learned * 1.05, 5);
    // The next probe waits a whole quiet spell again, and stops at the maximum.
    expect(rate.probe(clock.now() + 29_000)).toBe(false);
    await clock.advance(30_000);
    expect(rate.probe(clock.now())).toBe(true);
    expect(rate.perSecond).toBe(36);
    await clock.advance(30_000);
    expect(rate.probe(clock.now())).toBe(false);
    expect(rate.lastChange).toBe(clock.now());
    expect(changes).toEqual(['34.20 rate-limited', `${(learned * 1.05).toFixed(2)} probing`, '36.00 probing']);
  });

  it('is raised by a factor up to its maximum, and never when unpaced', () => {
    const { rate, changes } = lane({ perSecond: 20, maxPerSecond: 50 });
    expect(rate.raise(2)).toBe(true);
    expect(rate.raise(2)).toBe(true);
    expect(rate.perSecond).toBe(50);
    expect(rate.raise(2)).toBe(false);
    expect(changes).toEqual(['40.00 probing', '50.00 probing']);
    const unpaced = lane({ perSecond: Number.POSITIVE_INFINITY }).rate;
    expect(unpaced.raise(2)).toBe(false);
    expect(unpaced.probe(1e9)).toBe(false);
  });
});
