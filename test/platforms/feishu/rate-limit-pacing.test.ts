import { describe, expect, it } from 'vitest';
import { FeishuRateLimiter, RATE_LIMITED_CODE } from '../../../src/platforms/feishu/rate-limit.ts';
import { ManualClock } from '../../support/manual-clock.ts';

/**
 * FeishuRateLimiter's pacing with an injected clock: Feishu's documented limits for sending
 * messages (50 a second and 1,000 a minute per app, 5 a second per user or chat) and what a
 * 99991400 answer does to them. No real waits.
 */
describe('FeishuRateLimiter pacing', () => {
  const ok = () => Promise.resolve({ code: 0, msg: 'success', data: {} });
  const throttled = (resetSeconds: number) => () =>
    Promise.reject({
      response: {
        status: 429,
        data: { code: RATE_LIMITED_CODE, msg: 'request trigger frequency limit' },
        headers: { 'x-ogw-ratelimit-reset': String(resetSeconds), 'x-ogw-ratelimit-limit': '50' },
      },
    });

  /** Starts `count` calls of one API, each to its own receiver; records when each reached Feishu. */
  function send(limiter: FeishuRateLimiter, clock: ManualClock, count: number, answer: (i: number) => () => Promise<unknown> = () => ok) {
    const started: number[] = [];
    const calls = Array.from({ length: count }, (_, i) =>
      limiter.call('im.v1.message.create', `ou_${i}`, () => {
        started.push(clock.now());
        return answer(i)();
      }),
    );
    return { started, done: Promise.allSettled(calls) };
  }
  const inWindow = (times: number[], windowMs: number) => Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));

  it('spaces an API evenly and keeps every second under 50 and every minute under 1,000', async () => {
    const clock = new ManualClock();
    const limiter = new FeishuRateLimiter({ clock });
    const { started, done } = send(limiter, clock, 1_100);
    await clock.advance(25_000);
    // 1,000 in the first minute, at about 47 a second (50 in any second and a guard).
    expect(started.length).toBe(1_000);
    expect(inWindow(started, 1_000)).toBeLessThanOrEqual(50);
    expect(started[999]!).toBeLessThan(22_000);
    await clock.advance(35_000);
    expect(started.length).toBe(1_000);
    await clock.advance(6_000);
    await done;
    expect(started.length).toBe(1_100);
    // The 1,001st waits until the first has left the minute (and its guard).
    expect(started[1_000]!).toBeGreaterThanOrEqual(started[0]! + 60_000);
    expect(inWindow(started, 60_000)).toBeLessThanOrEqual(1_000);
  });

  it('counts a refused call in no window: its retry does not wait for the minute that a fan-out of 1,000 fills', async () => {
    const clock = new ManualClock();
    const limiter = new FeishuRateLimiter({ clock });
    let refused = 0;
    const { started, done } = send(limiter, clock, 1_000, (i) => (i === 499 && refused++ === 0 ? throttled(1) : ok));
    await clock.advance(30_000);
    // 1,000 admitted calls and the refused one: the retry went after the reset, well within the minute.
    expect(started).toHaveLength(1_001);
    expect(started.at(-1)!).toBeLessThan(30_000);
    await done;
  });

  it('sends to one user at most 4 a second, whatever the app’s rate', async () => {
    const clock = new ManualClock();
    const limiter = new FeishuRateLimiter({ clock });
    const started: number[] = [];
    const calls = Array.from({ length: 8 }, () => limiter.call('im.v1.message.create', 'ou_lead', () => (started.push(clock.now()), ok())));
    await clock.advance(2_000);
    await Promise.all(calls);
    expect(started).toEqual([0, 250, 500, 750, 1_000, 1_250, 1_500, 1_750]);
  });

  it('on 99991400 holds the receiver and the API until x-ogw-ratelimit-reset, and near the rate paces the API slower', async () => {
    const clock = new ManualClock();
    const limiter = new FeishuRateLimiter({ clock, probeAfterMs: 30_000 });
    // The app's real limit is lower than documented: the 31st call of the first second is refused.
    let refused = 0;
    const { started, done } = send(limiter, clock, 200, (i) => (i === 30 && refused++ === 0 ? throttled(2) : ok));
    await clock.advance(650);
    expect(limiter.perSecond('im.v1.message.create')).toBeCloseTo(30 * 0.95, 5);
    const atRefusal = started.length;
    await clock.advance(1_900);
    expect(started.length).toBe(atRefusal);
    await clock.advance(60_000);
    await done;
    expect(started).toHaveLength(201);
    // The refused call was tried again after the reset, not before.
    expect(started.filter((t) => t > started[30]! && t < started[30]! + 2_000)).toEqual([]);
    // Quiet for 30 s since: the next call tries 5% more.
    expect(limiter.perSecond('im.v1.message.create')).toBeCloseTo(30 * 0.95, 5);
    const next = limiter.call('im.v1.message.create', 'ou_next', ok);
    await clock.advance(0);
    await next;
    expect(limiter.perSecond('im.v1.message.create')).toBeCloseTo(30 * 0.95 * 1.05, 5);
  });

  it('keeps the rate when a throttled answer comes far below it (a storm, or one user’s limit)', async () => {
    const clock = new ManualClock();
    const limiter = new FeishuRateLimiter({ clock });
    let refused = 0;
    const { done } = send(limiter, clock, 3, () => (refused++ === 0 ? throttled(1) : ok));
    await clock.advance(2_000);
    await done;
    expect(limiter.perSecond('im.v1.message.create')).toBe(50);
  });
});
