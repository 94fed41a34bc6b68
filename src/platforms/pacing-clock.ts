/**
 * The time that paces calls to a chat platform: Slack's pacer, Feishu's rate limiter, and whatever
 * else waits between calls. Real in production; a test gives a clock of its own (a manual one, or
 * a virtual one that runs as fast as the code allows), and the fake platform it runs against reads
 * the same clock, so that the fake refuses exactly what the real API would without anyone waiting.
 */
export interface PacerClock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /**
   * Runs one call to the platform. A virtual clock does not move while a call is on its way, so
   * that the platform sees it at the time it was let through (as a real one does, give or take the
   * network); the real clock just runs it.
   */
  during?<T>(call: () => Promise<T>): Promise<T>;
}

/**
 * Real time. Read through the globals at each call (not bound once), so that a test's fake
 * timers (`vi.useFakeTimers`) drive code built with it.
 */
export const realPacerClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** Runs a call to the platform on the clock (see PacerClock.during). */
export function callOn<T>(clock: PacerClock, call: () => Promise<T>): Promise<T> {
  return clock.during ? clock.during(call) : call();
}
