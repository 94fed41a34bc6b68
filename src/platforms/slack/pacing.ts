import { webApi } from '@slack/bolt';

/**
 * Slack allows about one message per second per channel. A burst to one channel (the digest's
 * header, its parts and a reminder; an owner's several prompts) would otherwise learn that from a
 * 429, and WebClient then pauses its whole queue, every other channel included, for Retry-After.
 * Spacing messages per channel avoids that; other channels are not slowed.
 */
export class ChannelPacer {
  private readonly next = new Map<string, number>();

  constructor(private readonly intervalMs = 1_000) {}

  /** Waits until this channel's next slot and books the one after it. */
  async slot(channel: string): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.next.get(channel) ?? 0);
    this.next.set(channel, at + this.intervalMs);
    // Forget channels whose slot has passed, so the map stays as small as the current burst.
    if (this.next.size > 1_000) for (const [key, slot] of this.next) if (slot < now) this.next.delete(key);
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}

/** A WebClient whose chat.postMessage calls are spaced per channel (see ChannelPacer). */
export class PacedWebClient extends webApi.WebClient {
  constructor(
    token: string,
    options: webApi.WebClientOptions,
    private readonly pacer = new ChannelPacer(),
  ) {
    super(token, options);
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<webApi.WebAPICallResult> {
    if (method === 'chat.postMessage' && typeof options?.channel === 'string') await this.pacer.slot(options.channel);
    return super.apiCall(method, options);
  }
}
