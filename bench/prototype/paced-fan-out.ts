import { setTimeout as delay } from 'node:timers/promises';
import { webApi } from '@slack/bolt';
import type { Logger } from '../../src/log.ts';
import { boltLogger } from '../../src/platforms/slack/bolt-logger.ts';
import { SLACK_RETRY_POLICY } from '../../src/platforms/slack/app.ts';
import type { SlackConfig } from '../../src/platforms/slack/config.ts';
import type { Team } from '../../src/report/definition.ts';

/**
 * PROTOTYPE, not used by the bot: a prompt fan-out that paces itself below Slack's limits
 * instead of discovering them through 429s, and keeps several prompts in flight.
 *
 * Why: each 429 makes WebClient pause its whole queue for Retry-After (whole seconds), then the
 * retry policy adds its own backoff (SLACK_RETRY_POLICY: 0.5–1 s for the first retry) before the
 * call is tried again. A sender that goes as fast as it can therefore alternates a burst of
 * `limit` messages with 1.5–2 s of silence. Spacing chat.postMessage calls evenly just under the
 * limit never trips it.
 */

/**
 * Even spacing rather than a bucket with bursts: Slack counts messages in a sliding second, so a
 * burst of `limit` followed by one more send is already over.
 */
export class SendPacer {
  private readonly intervalMs: number;
  private readonly perKeyIntervalMs: number;
  private nextSlot = 0;
  private readonly nextKeySlot = new Map<string, number>();

  constructor(perSecond: number, perKeyPerSecond: number) {
    this.intervalMs = 1000 / perSecond;
    this.perKeyIntervalMs = 1000 / perKeyPerSecond;
  }

  /** Waits for this call's slot: one interval after the previous call, and after the previous call for `key`. */
  async slot(key: string): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.nextSlot, this.nextKeySlot.get(key) ?? 0);
    this.nextSlot = at + this.intervalMs;
    this.nextKeySlot.set(key, at + this.perKeyIntervalMs);
    const wait = at - now;
    if (wait > 0) await delay(wait);
  }
}

/**
 * WebClient with chat.postMessage paced, where Slack counts it (per workspace and per channel).
 * Built with the same options as createSlackWebClient (src/platforms/slack/app.ts).
 */
export class PacedWebClient extends webApi.WebClient {
  constructor(
    config: SlackConfig,
    logger: Logger,
    private readonly pacer: SendPacer,
  ) {
    super(config.botToken, {
      slackApiUrl: config.apiUrl,
      retryConfig: SLACK_RETRY_POLICY,
      rejectRateLimitedCalls: false,
      timeout: 30_000,
      logger: boltLogger(logger),
    });
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<webApi.WebAPICallResult> {
    if (method === 'chat.postMessage') await this.pacer.slot(typeof options?.channel === 'string' ? options.channel : '');
    return super.apiCall(method, options);
  }
}

/**
 * Bounded concurrency without touching handlers/cycle/prompt.ts: the team's sections dealt round-robin
 * into `shards` teams with the same id, each prompted by its own promptOwners call at the same
 * time. Reservations are per (report, week, section, owner), so the shards never overlap. In
 * handlers/cycle/prompt.ts itself this would be a small worker pool over the (section, owner) pairs.
 */
export function shardSections(team: Team, shards: number): Team[] {
  const groups: Team['definition']['sections'][number][][] = Array.from({ length: Math.max(1, shards) }, () => []);
  team.definition.sections.forEach((section, i) => groups[i % groups.length]!.push(section));
  return groups.filter((g) => g.length > 0).map((sections) => ({ ...team, definition: { ...team.definition, sections } }));
}
