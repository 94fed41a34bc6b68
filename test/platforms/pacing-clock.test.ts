import { describe, expect, it } from 'vitest';
import { callOn, realPacerClock } from '../../src/platforms/pacing-clock.ts';
import { settle, VirtualClock } from '../support/manual-clock.ts';

/** The clocks pacing runs on: the real one, and the virtual one whole-week tests give the bot and its fakes. */
describe('pacing clocks', () => {
  it('real: sleeps for real, and runs a call as it is', async () => {
    const before = realPacerClock.now();
    await realPacerClock.sleep(20);
    expect(realPacerClock.now() - before).toBeGreaterThanOrEqual(15);
    expect(await callOn(realPacerClock, async () => 'answer')).toBe('answer');
  });

  it('virtual: wakes sleepers at once, in the order of their ends, with now() at each end', async () => {
    const clock = new VirtualClock(1_000);
    const woken: string[] = [];
    const sleep = (ms: number, label: string) => clock.sleep(ms).then(() => woken.push(`${label}@${clock.now()}`));
    const started = performance.now();
    await Promise.all([sleep(3_000, 'c'), sleep(1_000, 'a'), sleep(1_000, 'a2'), sleep(2_000, 'b')]);
    expect(woken).toEqual(['a@2000', 'a2@2000', 'b@3000', 'c@4000']);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(clock.sleeping).toBe(0);
  });

  it('virtual: stands still while a call is out, and moves on once it has its answer', async () => {
    const clock = new VirtualClock();
    let answer!: () => void;
    const call = callOn(clock, () => new Promise<void>((resolve) => (answer = resolve)));
    let woke = false;
    void clock.sleep(500).then(() => (woke = true));
    for (let i = 0; i < 5; i++) await settle();
    expect(woke).toBe(false);
    expect(clock.now()).toBe(0);
    answer();
    await call;
    for (let i = 0; i < 3; i++) await settle();
    expect(woke).toBe(true);
    expect(clock.now()).toBe(500);
  });
});
