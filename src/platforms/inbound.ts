import PQueue from 'p-queue';
import type { Logger } from '../log.ts';
import type { PlatformName } from './platform.ts';
import type { InboundHandlers } from './runtime.ts';

/** One piece of inbound traffic, as the log and the dedupe know it. */
export interface InboundEvent {
  platform: PlatformName;
  /** The platform's id of the delivery: a retry carries the same id. */
  eventId: string;
  /** Who sent it, for the log. */
  userId?: string;
  /** What it is: `reply`, `command`, `form`… (for the log). */
  kind: string;
  /**
   * Run the work only the first time this event id is seen. For work the store does not already
   * de-duplicate, such as commands (a redelivered `publish` must not run twice).
   */
  dedupe?: boolean;
}

export interface InboundOptions {
  logger: Logger;
  /** Events handled at once; the rest wait in the queue, so a burst cannot starve the acks. */
  concurrency?: number;
}

/**
 * The one inbound path every adapter uses, after it has verified a request and acknowledged it
 * within the platform's deadline (Slack and Feishu both want an answer within 3 s, and retry
 * otherwise): the event is de-duplicated where the handler needs it, the handler runs in the
 * background through a bounded queue, shutdown (and tests) can wait for everything in flight, and a
 * failure is logged once, with the platform, event id and user. Adapters keep no trackers or error
 * wrappers of their own.
 */
export class Inbound {
  private readonly queue: PQueue;
  private readonly logger: Logger;

  constructor(
    readonly handlers: InboundHandlers,
    options: InboundOptions,
  ) {
    this.logger = options.logger;
    this.queue = new PQueue({ concurrency: options.concurrency ?? 16 });
  }

  /**
   * Queues the work for an event. The promise settles when the work is done (it never rejects:
   * failures are logged here); adapters that must answer the platform first do not wait for it.
   */
  dispatch(event: InboundEvent, work: (handlers: InboundHandlers) => Promise<unknown>): Promise<void> {
    return this.queue.add(async () => {
      try {
        if (event.dedupe && !(await this.handlers.firstDelivery(event.platform, event.eventId))) {
          this.logger.info({ platform: event.platform, eventId: event.eventId, kind: event.kind }, 'repeated delivery ignored');
          return;
        }
        await work(this.handlers);
      } catch (error) {
        this.logger.error(
          { err: error, platform: event.platform, eventId: event.eventId, user: event.userId, kind: event.kind },
          `handling a ${event.kind} failed`,
        );
      }
    });
  }

  /** Resolves once nothing is queued or running, including work queued while waiting. */
  async idle(): Promise<void> {
    await this.queue.onIdle();
  }
}
