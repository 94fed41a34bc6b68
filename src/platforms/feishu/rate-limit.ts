import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../log.ts';

/** Feishu's answer to a throttled call (HTTP 429, on some older APIs HTTP 400). */
export const RATE_LIMITED_CODE = 99991400;

/** An Open API call that failed; `code` and `msg` are Feishu's, never a token or a payload. */
export class FeishuApiError extends Error {
  override name = 'FeishuApiError';
  constructor(
    readonly api: string,
    readonly code: number | undefined,
    readonly httpStatus: number | undefined,
    detail: string,
    options: { cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(`Feishu ${api} failed${code !== undefined ? ` with code ${code}` : ''}${httpStatus ? ` (HTTP ${httpStatus})` : ''}: ${detail}`, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs ?? null;
  }

  /** For a throttled call: how long Feishu asked to wait. Null for any other failure. */
  readonly retryAfterMs: number | null;
}

export interface FeishuRateLimiterOptions {
  /**
   * Calls per second to one user or chat. Feishu allows 5; the default of 4 leaves room for calls
   * that reach Feishu closer together than they were started (network jitter, a token fetch).
   */
  perReceiverQps?: number;
  /** Calls per second of the app. Feishu allows 50; 40 by default, for the same reason. */
  appQps?: number;
  /** Retries of one call that keeps being throttled, before it fails. */
  maxRetries?: number;
  /** The longest wait for one reset, so that a strange header cannot stall a fan-out for hours. */
  maxResetMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  logger?: Logger;
}

interface Envelope {
  code?: number;
  msg?: string;
}

/**
 * Paces Open API calls below Feishu's limits and waits out the throttling answers it still gets.
 * The SDK neither paces nor retries, and a fan-out of prompts to a whole team would otherwise
 * lose the calls past the limit.
 *
 * Pacing spaces calls evenly (a call to a receiver every 250 ms, any call every 25 ms) rather than
 * allowing bursts: the fan-outs are small, and even spacing below the limit never trips it.
 */
export class FeishuRateLimiter {
  private readonly receiverIntervalMs: number;
  private readonly appIntervalMs: number;
  private readonly maxRetries: number;
  private readonly maxResetMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly logger: Logger | undefined;
  private nextAppSlot = 0;
  private readonly nextReceiverSlot = new Map<string, number>();

  constructor(options: FeishuRateLimiterOptions = {}) {
    this.receiverIntervalMs = 1000 / (options.perReceiverQps ?? 4);
    this.appIntervalMs = 1000 / (options.appQps ?? 40);
    this.maxRetries = options.maxRetries ?? 5;
    this.maxResetMs = options.maxResetMs ?? 60_000;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
  }

  /**
   * Runs one Open API call for `receiver` (a user's open_id or a chat_id; null when the call sends
   * nothing to anyone), paced, and retried while Feishu answers 99991400. An answer with another
   * non-zero code becomes a FeishuApiError.
   */
  async call<T>(api: string, receiver: string | null, request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.sleep(this.reserve(receiver));
      let failure: FeishuApiError;
      try {
        return checked(api, await request());
      } catch (error) {
        failure = asApiError(api, error);
      }
      if (failure.retryAfterMs === null || attempt >= this.maxRetries) throw failure;
      const waitMs = Math.min(Math.max(failure.retryAfterMs, 100), this.maxResetMs);
      this.logger?.warn({ api, receiver, attempt: attempt + 1, waitMs }, 'Feishu rate limit hit; waiting for the reset');
      // Everything to this receiver (and, since the answer does not say which limit it was, every
      // call of the app) waits for the reset, not only the call that was refused.
      this.postpone(receiver, this.now() + waitMs);
    }
  }

  /** Takes the next free slot for the receiver and the app; returns how long to wait for it. */
  private reserve(receiver: string | null): number {
    const now = this.now();
    const receiverSlot = receiver === null ? 0 : (this.nextReceiverSlot.get(receiver) ?? 0);
    const at = Math.max(now, this.nextAppSlot, receiverSlot);
    this.nextAppSlot = at + this.appIntervalMs;
    if (receiver !== null) this.nextReceiverSlot.set(receiver, at + this.receiverIntervalMs);
    this.prune(now);
    return at - now;
  }

  private postpone(receiver: string | null, until: number): void {
    this.nextAppSlot = Math.max(this.nextAppSlot, until);
    if (receiver !== null) this.nextReceiverSlot.set(receiver, Math.max(this.nextReceiverSlot.get(receiver) ?? 0, until));
  }

  /** Forgets receivers whose slot has passed, so the map does not grow with every chat ever seen. */
  private prune(now: number): void {
    if (this.nextReceiverSlot.size < 1000) return;
    for (const [key, slot] of this.nextReceiverSlot) if (slot < now) this.nextReceiverSlot.delete(key);
  }
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
  return new FeishuApiError(api, code, status, detail, {
    retryAfterMs: rateLimited ? resetSeconds(failure.response?.headers) * 1000 : undefined,
  });
}

/** `x-ogw-ratelimit-reset`: seconds until the limit resets; 1 s when absent or unreadable. */
function resetSeconds(headers: ResponseHeaders | undefined): number {
  if (!headers) return 1;
  const raw = typeof headers.get === 'function' ? headers.get('x-ogw-ratelimit-reset') : headers['x-ogw-ratelimit-reset'];
  const seconds = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : 1;
}
