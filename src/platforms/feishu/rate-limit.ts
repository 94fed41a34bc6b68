import { BotError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { callOn, realPacerClock, type PacerClock } from '../pacing-clock.ts';
import { RateLane } from '../rate-lane.ts';

/**
 * Feishu allows 3 edits a second to a docx for the app, and 3 a second to one document from
 * anyone: the edit APIs go at that rate, and each call to a document passes it as its receiver rate.
 */
export const DOCUMENT_EDIT_QPS: Readonly<Record<string, number>> = {
  'docx.v1.document_block_descendant.create': 3,
  'docx.v1.document_block_children.batch_delete': 3,
  'docx.v1.document_block.patch': 3,
};

/** Feishu's answer to a throttled call (HTTP 429, on some older APIs HTTP 400). */
export const RATE_LIMITED_CODE = 99991400;

/**
 * An Open API call that failed; `feishuCode` and `msg` are Feishu's, never a token or a payload.
 * (`code` is the bot's error code, 'feishu_api', as on every BotError.)
 */
export class FeishuApiError extends BotError {
  override name = 'FeishuApiError';
  constructor(
    readonly api: string,
    readonly feishuCode: number | undefined,
    readonly httpStatus: number | undefined,
    detail: string,
    options: { cause?: unknown; retryAfterMs?: number; limit?: number } = {},
  ) {
    super(
      'feishu_api',
      `Feishu ${api} failed${feishuCode !== undefined ? ` with code ${feishuCode}` : ''}${httpStatus ? ` (HTTP ${httpStatus})` : ''}: ${detail}`,
      { cause: options.cause },
    );
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.limit = options.limit ?? null;
  }

  /** For a throttled call: how long Feishu asked to wait. Null for any other failure. */
  readonly retryAfterMs: number | null;
  /** For a throttled call: the limit Feishu named (`x-ogw-ratelimit-limit`), when it did. */
  readonly limit: number | null;
}

export interface FeishuRateLimiterOptions {
  /**
   * Calls per second to one user or chat. Feishu allows 5; the default of 4 leaves room for calls
   * that reach Feishu closer together than they were started (network jitter, a token fetch).
   */
  perReceiverQps?: number;
  /** Calls per second of one API for the app: Feishu documents 50 for sending messages. */
  appQps?: number;
  /** APIs Feishu limits lower than `appQps`, calls per second for the app (DOCUMENT_EDIT_QPS by default). */
  apiQps?: Readonly<Record<string, number>>;
  /** Calls per minute of one API for the app: Feishu documents 1,000 for sending messages. */
  appPerMinute?: number;
  /** Retries of one call that keeps being throttled, before it fails. */
  maxRetries?: number;
  /** The longest wait for one reset, so that a strange header cannot stall a fan-out for hours. */
  maxResetMs?: number;
  /** After a throttled burst lowered an API's rate, how long without one before trying 5% more. */
  probeAfterMs?: number;
  /** What the pacing waits on; real time by default. */
  clock?: PacerClock;
  logger?: Logger;
}

interface Envelope {
  code?: number;
  msg?: string;
}

/**
 * Feishu counts a window from when a call arrives, and calls arrive a little later than they are
 * started, by varying amounts: each window is kept as if it were this much longer.
 */
const WINDOW_GUARD_MS = { second: 50, minute: 1_000 };
/**
 * Below this share of the API's rate in the second before a throttled answer, the API was not what
 * Feishu counted (a receiver, or a storm): the rate is kept.
 */
const NEAR_RATE = 0.5;

/** One API's pacing for the app: its rate (a RateLane), and when its recent calls went out (for the windows). */
interface ApiLane {
  rate: RateLane;
  /** Start times of the calls of the last minute (and a guard), oldest first. */
  started: number[];
}

/**
 * Paces Open API calls below Feishu's documented limits and waits out the throttling answers it
 * still gets. The SDK neither paces nor retries, and a fan-out of prompts to a whole company would
 * otherwise lose the calls past the limit.
 *
 * Limits, per app (one limiter per app, shared by every team it posts for): each API at most
 * `appQps` a second and `appPerMinute` a minute, counted in sliding windows of the calls' start
 * times (Feishu's 50/s and 1,000/min for sending messages); and at most `perReceiverQps` a second
 * to one user or chat (Feishu's 5, shared by every API). Calls of an API are spaced evenly at its
 * rate rather than in bursts, so that the per-second window is never the one that waits.
 *
 * A throttled answer (99991400) holds the receiver and the API until `x-ogw-ratelimit-reset`. When
 * the API was near its rate, the answer also says the app's real limit is lower than documented
 * (another service sharing the app, or a tenant with its own quota): the API's rate drops to a
 * little under what got through in the second before, and probes back up 5% after each quiet while.
 */
export class FeishuRateLimiter {
  private readonly receiverIntervalMs: number;
  private readonly appQps: number;
  private readonly apiQps: Readonly<Record<string, number>>;
  private readonly appPerMinute: number;
  private readonly maxRetries: number;
  private readonly maxResetMs: number;
  private readonly probeAfterMs: number;
  private readonly clock: PacerClock;
  private readonly logger: Logger | undefined;
  private readonly apis = new Map<string, ApiLane>();
  private readonly nextReceiverSlot = new Map<string, number>();
  private readonly receiverPausedUntil = new Map<string, number>();

  constructor(options: FeishuRateLimiterOptions = {}) {
    this.receiverIntervalMs = 1000 / (options.perReceiverQps ?? 4);
    this.appQps = options.appQps ?? 50;
    this.apiQps = options.apiQps ?? DOCUMENT_EDIT_QPS;
    this.appPerMinute = options.appPerMinute ?? 1000;
    this.maxRetries = options.maxRetries ?? 5;
    this.maxResetMs = options.maxResetMs ?? 60_000;
    this.probeAfterMs = options.probeAfterMs ?? 30_000;
    this.clock = options.clock ?? realPacerClock;
    this.logger = options.logger;
  }

  /** The API's current rate per second for the app. */
  perSecond(api: string): number {
    return this.lane(api).rate.perSecond;
  }

  /**
   * Runs one Open API call for `receiver` (a user's open_id or a chat_id; null when the call sends
   * nothing to anyone), paced, and retried while Feishu answers 99991400. An answer with another
   * non-zero code becomes a FeishuApiError. `receiverQps`: a receiver Feishu limits lower than
   * users and chats (a document: DOCUMENT_EDIT_QPS).
   */
  async call<T>(api: string, receiver: string | null, request: () => Promise<T>, options: { receiverQps?: number } = {}): Promise<T> {
    const receiverIntervalMs = options.receiverQps ? Math.max(1000 / options.receiverQps, this.receiverIntervalMs) : this.receiverIntervalMs;
    for (let attempt = 0; ; attempt++) {
      const startAt = await this.take(api, receiver, receiverIntervalMs);
      let failure: FeishuApiError;
      try {
        return checked(api, await callOn(this.clock, request));
      } catch (error) {
        failure = asApiError(api, error);
      }
      if (failure.retryAfterMs === null || attempt >= this.maxRetries) throw failure;
      const waitMs = Math.min(Math.max(failure.retryAfterMs, 100), this.maxResetMs);
      this.logger?.warn(
        { api, receiver, attempt: attempt + 1, waitMs, ...(failure.limit ? { limit: failure.limit } : {}) },
        'Feishu rate limit hit; waiting for the reset',
      );
      this.throttled(api, receiver, startAt, this.clock.now() + waitMs);
    }
  }

  /** Waits for a slot of the API and the receiver that is still good when the wait is over. */
  private async take(api: string, receiver: string | null, receiverIntervalMs: number): Promise<number> {
    for (;;) {
      const { at, waitMs } = this.reserve(api, receiver, receiverIntervalMs);
      if (waitMs > 0) await this.clock.sleep(waitMs);
      const lane = this.lane(api);
      const receiverPause = receiver === null ? 0 : (this.receiverPausedUntil.get(receiver) ?? 0);
      if (lane.rate.pausedUntil <= at && receiverPause <= at) return at;
      // A throttled answer during the wait holds the API or the receiver past this slot: give it back.
      forgetStart(lane, at);
    }
  }

  /** Takes the next slot free in every window of the API and for the receiver; returns it and how long to wait for it. */
  private reserve(api: string, receiver: string | null, receiverIntervalMs: number): { at: number; waitMs: number } {
    const now = this.clock.now();
    const lane = this.lane(api);
    // After a quiet while at a lowered rate, 5% more, up to the documented rate.
    lane.rate.probe(now);
    const receiverSlot = receiver === null ? 0 : Math.max(this.nextReceiverSlot.get(receiver) ?? 0, this.receiverPausedUntil.get(receiver) ?? 0);
    let at = Math.max(lane.rate.earliest(now), receiverSlot);
    at = Math.max(at, this.windowFree(lane.started, at, 1000 + WINDOW_GUARD_MS.second, this.qpsOf(api)));
    at = Math.max(at, this.windowFree(lane.started, at, 60_000 + WINDOW_GUARD_MS.minute, this.appPerMinute));
    lane.started.push(at);
    lane.rate.book(at);
    while (lane.started.length > 0 && lane.started[0]! <= now - 60_000 - WINDOW_GUARD_MS.minute) lane.started.shift();
    if (receiver !== null) this.nextReceiverSlot.set(receiver, at + receiverIntervalMs);
    this.prune(now);
    return { at, waitMs: at - now };
  }

  /** The earliest time from `at` at which fewer than `max` of `started` fall in the window before it. */
  private windowFree(started: readonly number[], at: number, windowMs: number, max: number): number {
    const inWindow = started.filter((t) => t > at - windowMs);
    return inWindow.length < max ? at : inWindow[inWindow.length - max]! + windowMs;
  }

  /**
   * A throttled answer to a call started at `startAt`: everything to this receiver, and every call
   * of this API, waits for the reset. Near the API's rate, the rate itself was too high.
   */
  private throttled(api: string, receiver: string | null, startAt: number, until: number): void {
    const lane = this.lane(api);
    lane.rate.pause(until);
    if (receiver !== null) this.receiverPausedUntil.set(receiver, Math.max(this.receiverPausedUntil.get(receiver) ?? 0, until));
    // Feishu counts the calls it admits: a refused one takes no room in the windows. Left in, the
    // refused call of a fan-out that fills the minute would make its retry wait for the next minute.
    forgetStart(lane, startAt);
    // What went in the second before it, unless too few or far below the rate; once per burst.
    lane.rate.learn(startAt, lane.started);
  }

  /** The API's documented rate for the app. */
  private qpsOf(api: string): number {
    return Math.min(this.apiQps[api] ?? this.appQps, this.appQps);
  }

  private lane(api: string): ApiLane {
    let lane = this.apis.get(api);
    if (!lane) {
      const rate = new RateLane({
        perSecond: this.qpsOf(api),
        minPerSecond: 1,
        maxPerSecond: this.qpsOf(api),
        probeAfterMs: this.probeAfterMs,
        nearRateShare: NEAR_RATE,
        clock: this.clock,
        onRateChange: (perSecond, reason) =>
          this.logger?.info(
            { api, perSecond: Number(perSecond.toFixed(1)) },
            reason === 'rate-limited'
              ? 'Feishu throttled this API near its documented rate; pacing it slower'
              : 'Feishu: no throttling for a while; trying this API a little faster',
          ),
      });
      lane = { rate, started: [] };
      this.apis.set(api, lane);
    }
    return lane;
  }

  /** Forgets receivers whose slot has passed, so the map does not grow with every chat ever seen. */
  private prune(now: number): void {
    if (this.nextReceiverSlot.size < 1000) return;
    for (const [key, slot] of this.nextReceiverSlot) if (slot < now) this.nextReceiverSlot.delete(key);
    for (const [key, until] of this.receiverPausedUntil) if (until < now) this.receiverPausedUntil.delete(key);
  }
}

/** Takes a call's start out of the API's windows (a slot given back, or a call Feishu refused). */
function forgetStart(lane: ApiLane, at: number): void {
  const index = lane.started.lastIndexOf(at);
  if (index >= 0) lane.started.splice(index, 1);
}

/** A resolved answer with a non-zero code is a failure too (the SDK resolves HTTP 200 answers). */
function checked<T>(api: string, value: T): T {
  const envelope = value as Envelope | null | undefined;
  if (envelope && typeof envelope === 'object' && typeof envelope.code === 'number' && envelope.code !== 0) {
    // An HTTP 200 carries no reset header: wait a second, Feishu's window.
    const retryAfterMs = envelope.code === RATE_LIMITED_CODE ? 1000 : undefined;
    throw new FeishuApiError(api, envelope.code, 200, envelope.msg ?? 'no message', { retryAfterMs });
  }
  return value;
}

type ResponseHeaders = Record<string, unknown> & { get?: (name: string) => unknown };

interface HttpFailure {
  message?: string;
  response?: { status?: number; data?: unknown; headers?: ResponseHeaders };
}

/** An axios error from the SDK (HTTP 4xx/5xx, or no answer at all) as a FeishuApiError. */
function asApiError(api: string, error: unknown): FeishuApiError {
  if (error instanceof FeishuApiError) return error;
  const failure = (error ?? {}) as HttpFailure;
  const status = failure.response?.status;
  const data = failure.response?.data as Envelope | undefined;
  const code = data && typeof data === 'object' && typeof data.code === 'number' ? data.code : undefined;
  const rateLimited = code === RATE_LIMITED_CODE || (status === 429 && code === undefined);
  const detail = data && typeof data === 'object' && data.msg ? data.msg : (failure.message ?? String(error));
  // The axios error itself is not kept as the cause: its config carries the bearer token, and a
  // logged cause would print it.
  const headers = failure.response?.headers;
  return new FeishuApiError(api, code, status, detail, {
    retryAfterMs: rateLimited ? resetSeconds(headers) * 1000 : undefined,
    limit: rateLimited ? (headerNumber(headers, 'x-ogw-ratelimit-limit') ?? undefined) : undefined,
  });
}

/** `x-ogw-ratelimit-reset`: seconds until the limit resets; 1 s when absent or unreadable. */
function resetSeconds(headers: ResponseHeaders | undefined): number {
  return headerNumber(headers, 'x-ogw-ratelimit-reset') ?? 1;
}

/** A non-negative number in a response header, or null. */
function headerNumber(headers: ResponseHeaders | undefined, name: string): number | null {
  if (!headers) return null;
  const raw = typeof headers.get === 'function' ? headers.get(name) : headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === null || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : null;
}
