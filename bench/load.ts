/**
 * Request loops for the load generator. Closed loop: `concurrency` requests in flight, the next
 * one sent as soon as one answers (what "2,000 requests at concurrency 50" means). Open loop:
 * requests started at a fixed rate whatever the answers do, as independent people would.
 */

export interface LoadResult {
  /** Per request, from just before sending to the complete answer, in ms. */
  latencies: number[];
  elapsedMs: number;
  /** HTTP status → count; 0 for requests that failed without an answer. */
  statuses: Record<number, number>;
}

type Send = (index: number) => Promise<number>;

async function timed(index: number, send: Send, result: LoadResult): Promise<void> {
  const start = performance.now();
  let status = 0;
  try {
    status = await send(index);
  } catch {
    status = 0;
  }
  result.latencies[index] = performance.now() - start;
  result.statuses[status] = (result.statuses[status] ?? 0) + 1;
}

export async function closedLoop(count: number, concurrency: number, send: Send): Promise<LoadResult> {
  const result: LoadResult = { latencies: new Array<number>(count), elapsedMs: 0, statuses: {} };
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await timed(index, send, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  result.elapsedMs = performance.now() - start;
  return result;
}

/**
 * Open loop until `until` settles: requests started at a fixed rate whatever the answers do, none
 * started after it settles (people asking beside another scenario's burst).
 */
export function openLoopUntil(until: Promise<unknown>, ratePerSecond: number, send: Send): Promise<LoadResult> {
  let finished = false;
  void until.then(
    () => (finished = true),
    () => (finished = true),
  );
  return paced(() => !finished, ratePerSecond, send);
}

/** Loads run one after another against the same server, as one. */
export function mergeLoads(loads: readonly LoadResult[]): LoadResult {
  const merged: LoadResult = { latencies: [], elapsedMs: 0, statuses: {} };
  for (const load of loads) {
    merged.latencies.push(...load.latencies);
    merged.elapsedMs += load.elapsedMs;
    for (const [status, n] of Object.entries(load.statuses)) merged.statuses[Number(status)] = (merged.statuses[Number(status)] ?? 0) + n;
  }
  return merged;
}

export function openLoop(count: number, ratePerSecond: number, send: Send): Promise<LoadResult> {
  return paced((index) => index < count, ratePerSecond, send);
}

/** Starts request `index` at `index / ratePerSecond` s for as long as `more(index)` says so (checked again after each wait). */
async function paced(more: (index: number) => boolean, ratePerSecond: number, send: Send): Promise<LoadResult> {
  const result: LoadResult = { latencies: [], elapsedMs: 0, statuses: {} };
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let index = 0; more(index); index++) {
    const wait = start + (index * 1000) / ratePerSecond - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (!more(index)) break;
    inFlight.push(timed(index, send, result));
  }
  await Promise.all(inFlight);
  result.elapsedMs = performance.now() - start;
  return result;
}

// The same seeded generator as the history seed, so that every run picks the same duplicates.
export { seededRandom } from '../src/seed/history.ts';
