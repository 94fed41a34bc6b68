import { setTimeout as delay } from 'node:timers/promises';
import type { CompiledReport } from '../../src/report/compile.ts';
import type { AnswerForm, ChatPlatform, ChatUserProfile, MessageRef, OutgoingMessage, SendOptions } from '../../src/platforms/platform.ts';
import type { TeamReport } from '../../src/report/definition.ts';

/**
 * PROTOTYPE, not used by the bot: what the prompt fan-out could look like if it paced itself
 * below Slack's limits instead of discovering them through 429s. Each WebClient 429 costs the
 * Retry-After (whole seconds) plus the retry policy's backoff, during which the client's whole
 * queue is paused; spacing sends evenly just under the limit never trips it.
 *
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

  /** Waits for this send's slot: at least one interval after the previous send, and after the previous send to `key`. */
  async slot(key: string): Promise<void> {
    const now = performance.now();
    const keySlot = Math.max(now, this.nextKeySlot.get(key) ?? 0);
    const at = Math.max(keySlot, this.nextSlot);
    this.nextSlot = at + this.intervalMs;
    this.nextKeySlot.set(key, at + this.perKeyIntervalMs);
    const wait = at - now;
    if (wait > 0) await delay(wait);
  }
}

/** A ChatPlatform whose messages go out through a SendPacer. */
export class PacedPlatform implements ChatPlatform {
  constructor(
    private readonly inner: ChatPlatform,
    private readonly pacer: SendPacer,
  ) {}

  get name(): ChatPlatform['name'] {
    return this.inner.name;
  }

  async sendDirect(userId: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    await this.pacer.slot(`user:${userId}`);
    return this.inner.sendDirect(userId, message, options);
  }

  async postToChannel(channel: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    await this.pacer.slot(channel);
    return this.inner.postToChannel(channel, message, options);
  }

  async replyInThread(parent: MessageRef, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    await this.pacer.slot(parent.channel);
    return this.inner.replyInThread(parent, message, options);
  }

  updateMessage(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    return this.inner.updateMessage(ref, message);
  }

  renderReport(report: CompiledReport): OutgoingMessage[] {
    return this.inner.renderReport(report);
  }

  uploadFile(channel: string, file: { filename: string; title: string; content: string }, thread?: MessageRef): Promise<MessageRef> {
    return this.inner.uploadFile(channel, file, thread);
  }

  async showForm(trigger: string, form: AnswerForm): Promise<void> {
    await this.inner.showForm?.(trigger, form);
  }

  lookupUser(userId: string): Promise<ChatUserProfile | null> {
    return this.inner.lookupUser(userId);
  }
}

/**
 * Bounded concurrency without touching handlers/prompt.ts: the team's sections dealt round-robin
 * into `shards` teams with the same id, each prompted by its own promptOwners call at the same
 * time. Reservations are per (report, week, section, owner), so the shards never overlap. In
 * handlers/prompt.ts itself this would be a worker pool over the (section, owner) pairs.
 */
export function shardSections(team: TeamReport, shards: number): TeamReport[] {
  const groups: TeamReport['definition']['sections'][number][][] = Array.from({ length: Math.max(1, shards) }, () => []);
  team.definition.sections.forEach((section, i) => groups[i % groups.length]!.push(section));
  return groups.filter((g) => g.length > 0).map((sections) => ({ ...team, definition: { ...team.definition, sections } }));
}
