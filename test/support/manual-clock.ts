/**
 * Time for pacers under test: `now()` moves only when the test says, and `sleep` resolves when
 * the clock passes its end. No real waits, no timing assertions.
 */
export class ManualClock {
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

/** Lets every promise chain that can run now run (a macrotask turn). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
