import type { PacerClock } from './pacing-clock.ts';

/**
 * One adaptive rate of calls to a platform (one Slack method for a workspace, one Feishu API for
 * an app), learned from the platform's throttled answers: Slack's pacer and Feishu's rate limiter
 * each keep one per method or API, and add their platform's own rules around it.
 *
 * - Calls are spaced evenly at the rate (`earliest`, `book`); a throttled answer's Retry-After or
 *   reset holds every call until it has passed (`pause`).
 * - A throttled answer says where the platform's limit is: the rate drops to a little under what
 *   got through in the second before the refused call (`learn`). Fewer calls than MIN_EVIDENCE
 *   say nothing about a rate (a storm on the first calls: only the pause is kept), and one burst
 *   teaches once: the other calls of it, let through before the rate changed, get their refusals
 *   too (`teaches`).
 * - Once the limit was seen, the rate creeps back up, 5% after each quiet spell (`probe`), since
 *   the platform's share for this app may have grown (another service sharing it went quiet).
 */

export type RateChangeReason = 'rate-limited' | 'probing';

export interface RateLaneOptions {
  /** Calls per second to start from; Infinity: not paced until a throttled answer shows a rate. */
  perSecond: number;
  /** Never slower than this, whatever the platform refuses. */
  minPerSecond: number;
  /** Never faster than this when probing or raising. */
  maxPerSecond: number;
  /** Once the limit was seen, how long without a change before trying 5% more. */
  probeAfterMs: number;
  /**
   * A throttled answer teaches a rate only when what got through in the second before was at least
   * this share of the current rate; far below it, the limit that refused it was another (one
   * receiver's, say). 0 (the default): any share.
   */
  nearRateShare?: number;
  clock: PacerClock;
  /** Told when the rate changes. */
  onRateChange?: (perSecond: number, reason: RateChangeReason) => void;
}

/** Fewer calls than this through in the second before a throttled answer say nothing about the rate. */
export const MIN_EVIDENCE = 3;
/** What the rate drops to after a throttled answer, as a share of what got through. */
const UNDER_THE_LIMIT = 0.95;
/** Each probe after a quiet spell. */
const PROBE_STEP = 1.05;
const SECOND = 1_000;

export class RateLane {
  private rate: number;
  private next = 0;
  private paused = 0;
  private changed: number;
  private seen = false;
  private readonly options: RateLaneOptions;

  constructor(options: RateLaneOptions) {
    this.options = options;
    this.rate = options.perSecond;
    this.changed = options.clock.now();
  }

  /** Calls per second now; Infinity when not paced. */
  get perSecond(): number {
    return this.rate;
  }

  /** No call before this (a Retry-After, a reset). */
  get pausedUntil(): number {
    return this.paused;
  }

  /** A throttled answer has shown where the limit is: the rate only creeps up from now on. */
  get limitSeen(): boolean {
    return this.seen;
  }

  /** When the rate last changed (or was last found at its maximum). */
  get lastChange(): number {
    return this.changed;
  }

  /** The earliest a call may go, from `now`: one interval after the last, and not during a pause. */
  earliest(now: number): number {
    return Math.max(now, this.next, this.paused);
  }

  /** A call goes at `at`: the next one waits one interval at the rate. */
  book(at: number): void {
    this.next = Number.isFinite(this.rate) ? at + SECOND / this.rate : at;
  }

  /** Nothing goes before `until`. */
  pause(until: number): void {
    this.paused = Math.max(this.paused, until);
  }

  /**
   * Whether a throttled answer to a call let through at `at` can teach a rate: not when the rate
   * changed after the call went (it belongs to a burst already learned from, or sent before a probe).
   */
  teaches(at: number): boolean {
    return !(this.seen && at < this.changed);
  }

  /**
   * A throttled answer to the call let through at `refusedAt`; `through` are when the calls that got
   * through went (any order, others ignored). With enough of them in the second before it, the rate
   * drops to 95% of their count (never up, never under the minimum). Returns whether it changed.
   */
  learn(refusedAt: number, through: readonly number[]): boolean {
    if (!this.teaches(refusedAt)) return false;
    let count = 0;
    for (const t of through) if (t > refusedAt - SECOND && t <= refusedAt) count += 1;
    if (count < MIN_EVIDENCE) return false;
    const share = this.options.nearRateShare ?? 0;
    if (share > 0 && count < this.rate * share) return false;
    this.seen = true;
    this.change(Math.max(this.options.minPerSecond, Math.min(this.rate, count) * UNDER_THE_LIMIT), 'rate-limited');
    return true;
  }

  /** Once the limit was seen, after a quiet spell since the last change: 5% more, up to the maximum. Returns whether it changed. */
  probe(now: number): boolean {
    if (!this.seen || !Number.isFinite(this.rate) || now - this.changed < this.options.probeAfterMs) return false;
    return this.change(Math.min(this.options.maxPerSecond, this.rate * PROBE_STEP), 'probing');
  }

  /** `factor` times the rate, up to the maximum (Slack's doubling before the first 429). Returns whether it changed. */
  raise(factor: number): boolean {
    if (!Number.isFinite(this.rate)) return false;
    return this.change(Math.min(this.options.maxPerSecond, this.rate * factor), 'probing');
  }

  private change(rate: number, reason: RateChangeReason): boolean {
    this.changed = this.options.clock.now();
    if (rate === this.rate) return false;
    this.rate = rate;
    this.options.onRateChange?.(rate, reason);
    return true;
  }
}
