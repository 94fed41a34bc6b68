/** Latency summaries from plain sorted arrays: the sample counts here are small (thousands). */

export interface Summary {
  count: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array (p in 0–100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((acc, v) => acc + v, 0);
  return {
    count: sorted.length,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
  };
}

/** Every field rounded, so that results files stay readable. */
export function rounded(summary: Summary, digits = 2): Summary {
  const r = (v: number) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v);
  return { count: summary.count, median: r(summary.median), p95: r(summary.p95), p99: r(summary.p99), max: r(summary.max), mean: r(summary.mean) };
}

/**
 * Milliseconds since the epoch with sub-millisecond resolution. Comparable between the bench's
 * processes on one machine (each derives it from the same wall clock), which is how a request's
 * send time (load generator) and its submission's store time (bot process) are subtracted.
 */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
