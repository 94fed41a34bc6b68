import { webApi } from '@slack/bolt';
import { callOn, realPacerClock, type PacerClock } from '../pacing-clock.ts';
import { RateLane, type RateChangeReason } from '../rate-lane.ts';

/**
 * Pacing of Web API calls under Slack's rate limits, for a whole workspace.
 *
 * Slack limits per token (the workspace's bot), per method, and `chat.postMessage` also per
 * channel (about one message a second). Every team posting through the same token shares those
 * limits, so the pacer is one per token (`workspacePacer`), shared by every WebClient built with
 * it. Slack publishes no fixed workspace rate for `chat.postMessage` ("several hundred per
 * minute"), so the pacer learns it: it starts at an assumed rate, doubles it while callers queue
 * and nothing is refused, and on a 429 drops to what got through in the second before (a little
 * under) and waits out Retry-After; then it probes upwards, 5% at a time, after a quiet while
 * (each method's RateLane, rate-lane.ts). Other methods are not paced until a 429 says they need
 * to be.
 */

/**
 * Slack allows about one message per second per channel. A burst to one channel (the digest's
 * header, its parts and a reminder; an owner's several prompts) would otherwise learn that from a
 * 429. Other channels are not slowed.
 */
export class ChannelPacer {
  private readonly next = new Map<string, number>();
  /** The latest slot handed out per channel. */
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs = 1_000,
    private readonly clock: PacerClock = realPacerClock,
  ) {}

  /**
   * Waits until this channel's next slot and books the one after it. Resolves with whether the
   * channel had another message just before this one (a 429 for it may then be the channel's).
   */
  async slot(channel: string): Promise<{ followsAnother: boolean }> {
    const now = this.clock.now();
    const at = Math.max(now, this.next.get(channel) ?? 0);
    const previous = this.last.get(channel);
    this.next.set(channel, at + this.intervalMs);
    this.last.set(channel, at);
    // Forget channels whose slot has passed, so the maps stay as small as the current burst.
    if (this.next.size > 1_000) {
      for (const [key, slot] of this.next) {
        if (slot < now - this.intervalMs) {
          this.next.delete(key);
          this.last.delete(key);
        }
      }
    }
    if (at > now) await this.clock.sleep(at - now);
    return { followsAnother: previous !== undefined && at - previous <= 2 * this.intervalMs };
  }

  /** A 429 blamed on this channel: nothing more to it until Retry-After has passed. */
  postpone(channel: string, until: number): void {
    this.next.set(channel, Math.max(this.next.get(channel) ?? 0, until));
  }
}

export interface WorkspacePacerOptions {
  /**
   * chat.postMessage per second to start from: 10 (600 a minute, Slack's "several hundred per
   * minute"). Learned from there.
   */
  initialPostsPerSecond?: number;
  /** Never faster than this, whatever Slack lets through. */
  maxPerSecond?: number;
  /** Never slower than this after 429s. */
  minPerSecond?: number;
  /** Once a 429 has shown the limit, how long without one before trying 5% more. */
  probeAfterMs?: number;
  channelIntervalMs?: number;
  clock?: PacerClock;
  /** Told when a method's rate changes (for the log). */
  onRateChange?: (method: string, perSecond: number, reason: RateChangeReason) => void;
}

/** When a call was let through: what a 429 for it is compared with. */
export interface PacerTicket {
  method: string;
  at: number;
  /** chat.postMessage: the channel had another message just before this one. */
  channelBusy?: boolean;
}

/** One method's rate (its RateLane) and the callers waiting for it. */
interface Lane {
  method: string;
  rate: RateLane;
  /** When the calls Slack accepted had been let through, for the last few seconds. */
  accepted: number[];
  /** A 429 came for a call let through at this time: the rate is measured when the pause is over. */
  measureAt: number | null;
  /** Callers in arrival order; released one per slot by `pump`. */
  waiters: ((ticket: PacerTicket) => void)[];
  pumping: boolean;
  /** Callers had to wait for the rate since the last change: more would have been sent. */
  queued: boolean;
}

const POST_MESSAGE = 'chat.postMessage';
const SECOND = 1_000;
/** Accepted calls are kept this long: a rate is measured after a Retry-After pause, over the second before it. */
const ACCEPTED_KEPT_MS = 10 * SECOND;

export class WorkspacePacer {
  private readonly lanes = new Map<string, Lane>();
  readonly channels: ChannelPacer;
  readonly clock: PacerClock;
  private readonly initialPosts: number;
  private readonly maxPerSecond: number;
  private readonly minPerSecond: number;
  private readonly probeAfterMs: number;
  private readonly onRateChange: WorkspacePacerOptions['onRateChange'];

  constructor(options: WorkspacePacerOptions = {}) {
    this.clock = options.clock ?? realPacerClock;
    this.initialPosts = options.initialPostsPerSecond ?? 10;
    this.maxPerSecond = options.maxPerSecond ?? 100;
    this.minPerSecond = options.minPerSecond ?? 0.2;
    this.probeAfterMs = options.probeAfterMs ?? 30_000;
    this.onRateChange = options.onRateChange;
    this.channels = new ChannelPacer(options.channelIntervalMs ?? SECOND, this.clock);
  }

  /** The current rate of a method, per second (Infinity when it is not paced). */
  perSecond(method: string): number {
    return this.lane(method).rate.perSecond;
  }

  /**
   * Waits for the method's next slot (and first the channel's, for chat.postMessage). Callers are
   * let through in arrival order at the current rate; a rate learned meanwhile applies at once
   * to everyone still waiting.
   */
  async slot(method: string, channel?: string): Promise<PacerTicket> {
    const channelBusy = method === POST_MESSAGE && channel ? (await this.channels.slot(channel)).followsAnother : false;
    const lane = this.lane(method);
    const ticket = new Promise<PacerTicket>((resolve) => lane.waiters.push(resolve));
    void this.pump(lane);
    return channelBusy ? { ...(await ticket), channelBusy } : ticket;
  }

  /** Slack accepted the call let through at `ticket`: what a later 429 measures the limit by. */
  accepted(ticket: PacerTicket): void {
    const lane = this.lane(ticket.method);
    lane.accepted.push(ticket.at);
    const horizon = this.clock.now() - ACCEPTED_KEPT_MS;
    while (lane.accepted.length > 0 && lane.accepted[0]! <= horizon) lane.accepted.shift();
  }

  /**
   * Slack answered 429 for a call let through at `ticket`. Nothing of the method goes out before
   * Retry-After. When the pause is over (and the calls still in flight at the 429 have their
   * answers), the rate drops to a little under what Slack accepted in the second before the
   * refused call; once per burst: the other calls of the same burst get their 429s too.
   * A 429 for a message that followed another to the same channel is the channel's: only that
   * channel waits.
   */
  rateLimited(ticket: PacerTicket, retryAfterMs: number, channel?: string): void {
    const lane = this.lane(ticket.method);
    const until = this.clock.now() + retryAfterMs;
    if (ticket.method === POST_MESSAGE && channel && ticket.channelBusy) {
      this.channels.postpone(channel, until);
      return;
    }
    lane.rate.pause(until);
    if (!lane.rate.teaches(ticket.at)) return;
    lane.measureAt = lane.measureAt === null ? ticket.at : Math.min(lane.measureAt, ticket.at);
  }

  /** The pause after a 429 is over: what Slack accepted in the second before the refused call is the limit; stay 5% under it. */
  private learn(lane: Lane): void {
    const refusedAt = lane.measureAt!;
    lane.measureAt = null;
    // Too few calls before it say nothing about the rate (a storm on the first calls): Retry-After was all.
    if (lane.rate.learn(refusedAt, lane.accepted)) lane.queued = false;
  }

  private lane(method: string): Lane {
    let lane = this.lanes.get(method);
    if (!lane) {
      const rate = new RateLane({
        perSecond: method === POST_MESSAGE ? this.initialPosts : Number.POSITIVE_INFINITY,
        minPerSecond: this.minPerSecond,
        maxPerSecond: this.maxPerSecond,
        probeAfterMs: this.probeAfterMs,
        clock: this.clock,
        onRateChange: (perSecond, reason) => this.onRateChange?.(method, perSecond, reason),
      });
      lane = { method, rate, accepted: [], measureAt: null, waiters: [], pumping: false, queued: false };
      this.lanes.set(method, lane);
    }
    return lane;
  }

  /** Lets the lane's callers through, one per slot, until none is left waiting. */
  private async pump(lane: Lane): Promise<void> {
    if (lane.pumping) return;
    lane.pumping = true;
    try {
      while (lane.waiters.length > 0) {
        const now = this.clock.now();
        if (lane.measureAt !== null && now >= lane.rate.pausedUntil) this.learn(lane);
        this.grow(lane, now);
        const at = lane.rate.earliest(now);
        if (at > now) {
          lane.queued = true;
          await this.clock.sleep(at - now);
          continue;
        }
        lane.rate.book(now);
        lane.waiters.shift()!({ method: lane.method, at: now });
      }
    } finally {
      lane.pumping = false;
    }
  }

  /** Before any 429, double every second in which callers queued; after one, 5% per quiet probe period. */
  private grow(lane: Lane, now: number): void {
    if (!Number.isFinite(lane.rate.perSecond) || !lane.queued || lane.measureAt !== null) return;
    const period = lane.rate.limitSeen ? this.probeAfterMs : SECOND;
    if (now - lane.rate.lastChange < period) return;
    lane.queued = false;
    if (lane.rate.limitSeen) lane.rate.probe(now);
    else lane.rate.raise(2);
  }
}

/**
 * One pacer per workspace token (and API address) on each clock: every client built with it shares
 * its limits. Production has one clock (the real one); a test that gives its runtimes a clock of
 * its own gets pacers of its own, shared only by the runtimes on that clock.
 */
const pacers = new WeakMap<PacerClock, Map<string, WorkspacePacer>>();

export function workspacePacer(token: string, apiUrl = 'https://slack.com/api/', options: WorkspacePacerOptions = {}): WorkspacePacer {
  const clock = options.clock ?? realPacerClock;
  let onClock = pacers.get(clock);
  if (!onClock) {
    onClock = new Map();
    pacers.set(clock, onClock);
  }
  const key = `${apiUrl}\n${token}`;
  let pacer = onClock.get(key);
  if (!pacer) {
    pacer = new WorkspacePacer({ ...options, clock });
    onClock.set(key, pacer);
  }
  return pacer;
}

/** Retries of one call that keeps getting 429s, before it fails (each waits out Retry-After). */
const MAX_RATE_LIMITED_RETRIES = 10;

/** Retry-After of a 429 that WebClient rejected (rejectRateLimitedCalls), in seconds; undefined for any other error. */
function retryAfterSeconds(error: unknown): number | undefined {
  const e = error as { code?: unknown; retryAfter?: unknown } | null;
  return e?.code === webApi.ErrorCode.RateLimitedError && typeof e.retryAfter === 'number' ? e.retryAfter : undefined;
}

/**
 * A WebClient whose calls go through the workspace's pacer. WebClient's own handling of a 429
 * pauses its whole queue for Retry-After and then adds its retry backoff; here a 429 is rejected
 * to this class instead, which tells the pacer (everything of that method waits exactly
 * Retry-After, and the rate is learned) and sends the call again through it.
 */
export class PacedWebClient extends webApi.WebClient {
  readonly pacer: WorkspacePacer;

  /** `pacing`: a pacer to use, or the clock of the workspace's pacer (workspacePacer); the real clock's by default. */
  constructor(token: string, options: webApi.WebClientOptions, pacing: { pacer?: WorkspacePacer; clock?: PacerClock } = {}) {
    super(token, { ...options, rejectRateLimitedCalls: true });
    const log = options.logger;
    this.pacer =
      pacing.pacer ??
      workspacePacer(token, options.slackApiUrl, {
        clock: pacing.clock,
        onRateChange: (method, perSecond, reason) =>
          reason === 'rate-limited'
            ? log?.warn(`Slack rate limit: ${method} now paced at ${perSecond.toFixed(1)}/s for this workspace`)
            : log?.info(`Slack: ${method} now paced at ${perSecond.toFixed(1)}/s for this workspace (no 429 for a while)`),
      });
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<webApi.WebAPICallResult> {
    const channel = typeof options?.channel === 'string' ? options.channel : undefined;
    for (let attempt = 0; ; attempt++) {
      const ticket = await this.pacer.slot(method, channel);
      try {
        const result = await callOn(this.pacer.clock, () => super.apiCall(method, options));
        this.pacer.accepted(ticket);
        return result;
      } catch (error) {
        const seconds = retryAfterSeconds(error);
        if (seconds === undefined || attempt >= MAX_RATE_LIMITED_RETRIES) throw error;
        this.pacer.rateLimited(ticket, seconds * SECOND, channel);
      }
    }
  }
}
