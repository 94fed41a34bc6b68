/**
 * Calls `beat` every `intervalMs` until stopped. The interval is the only timer of a job run's
 * heartbeat, so tests swap it for one they step by hand (no real waits, no fake timers).
 */
export type Ticker = (intervalMs: number, beat: () => Promise<void>) => { stop(): void };

/** setInterval, unref'd (a heartbeat never keeps the process alive), skipping a beat while the last one still runs. */
export const intervalTicker: Ticker = (intervalMs, beat) => {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void beat().finally(() => {
      running = false;
    });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
};
