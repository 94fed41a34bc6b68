import type { PacerClock } from '../../src/platforms/pacing-clock.ts';

/**
 * Time for pacers under test: `now()` moves only when the test says, and `sleep` resolves when
 * the clock passes its end. No real waits, no timing assertions.
 */
export class ManualClock implements PacerClock {
  private t = 0;
  private sleepers: { until: number; wake: () => void }[] = [];

  now = (): number => this.t;

  sleep = (ms: number): Promise<void> =>
    new Promise<void>((wake) => {
      this.sleepers.push({ until: this.t + Math.max(0, ms), wake });
    });

  /** Moves time forward by `ms`, waking each sleeper at its moment and letting the woken code run. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      const due = this.sleepers.filter((s) => s.until <= end).sort((a, b) => a.until - b.until)[0];
      if (!due) break;
      this.t = Math.max(this.t, due.until);
      const woken = this.sleepers.filter((s) => s.until <= this.t);
      this.sleepers = this.sleepers.filter((s) => s.until > this.t);
      for (const s of woken) s.wake();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

/**
 * Time for whole weeks against the fakes: it runs as fast as the code allows. A `sleep` ends as
 * soon as nothing else can run (a macrotask turn in which no call is out to a fake), and `now()`
 * is then its end; sleepers wake in the order of their ends, those ending together at once. While
 * a call is out to a fake (`during`), time stands still: the fake, reading the same clock, sees
 * the call at the moment the pacer let it through, and refuses exactly what the platform would at
 * that pace. Never a real wait; what took seconds of pacing takes milliseconds. (So a call a fake
 * never answers holds every paced sleeper with it: a test that hangs a call on purpose hangs it
 * outside the platform client, as the crash-recovery tests do.)
 */
export class VirtualClock implements PacerClock {
  private t: number;
  private sleepers: { until: number; wake: () => void }[] = [];
  private calls = 0;
  private ticking = false;

  /** `start`: the first `now()`; e.g. Date.now() for times that read like the epoch's. */
  constructor(start = 0) {
    this.t = start;
  }

  now = (): number => this.t;

  sleep = (ms: number): Promise<void> =>
    new Promise<void>((wake) => {
      this.sleepers.push({ until: this.t + Math.max(0, ms), wake });
      this.tick();
    });

  during = async <T>(call: () => Promise<T>): Promise<T> => {
    this.calls += 1;
    try {
      return await call();
    } finally {
      this.calls -= 1;
      this.tick();
    }
  };

  /** Sleepers not woken yet (a test can check that nothing is left waiting). */
  get sleeping(): number {
    return this.sleepers.length;
  }

  /** On the next macrotask turn, wakes the earliest sleepers unless a call is out. */
  private tick(): void {
    if (this.ticking) return;
    this.ticking = true;
    setImmediate(() => {
      this.ticking = false;
      if (this.calls > 0 || this.sleepers.length === 0) return;
      const until = Math.min(...this.sleepers.map((s) => s.until));
      this.t = Math.max(this.t, until);
      const woken = this.sleepers.filter((s) => s.until <= this.t);
      this.sleepers = this.sleepers.filter((s) => s.until > this.t);
      for (const s of woken) s.wake();
      if (this.sleepers.length > 0) this.tick();
    });
  }
}

/** Lets every promise chain that can run now run (a macrotask turn). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
