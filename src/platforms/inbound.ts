import PQueue from 'p-queue';
import type { Logger } from '../log.ts';
import { currentDelivery, type DurableIntake, type WorkOutcome } from './intake/intake.ts';
import type { PlatformName } from './platform.ts';
import type { InboundEvent, InboundHandlers, InboundPipeline } from './runtime.ts';

export interface InboundOptions {
  logger: Logger;
  /** Events handled at once; the rest wait in the queue, so a burst cannot starve the acks. */
  concurrency?: number;
  /**
   * Where adapters spool what they acknowledge (./intake/intake.ts). Without one (the console,
   * tests of a single adapter), deliveries are processed directly.
   */
  intake?: DurableIntake;
}

/**
 * The one inbound path every adapter uses, after it has verified a request and acknowledged it
 * within the platform's deadline (Slack and Feishu both want an answer within 3 s, and retry
 * otherwise): the event is de-duplicated where the handler needs it, the handler runs in the
 * background through a bounded queue, shutdown (and tests) can wait for everything in flight, and a
 * failure is logged once, with the platform, event id and user. Adapters keep no trackers or error
 * wrappers of their own.
 */
export class Inbound implements InboundPipeline {
  private readonly queue: PQueue;
  private readonly logger: Logger;
  readonly intake: DurableIntake | undefined;

  constructor(
    readonly handlers: InboundHandlers,
    options: InboundOptions,
  ) {
    this.logger = options.logger;
    this.queue = new PQueue({ concurrency: options.concurrency ?? 16 });
    this.intake = options.intake;
  }

  /**
   * What an adapter calls with a verified payload, before it answers the platform: the payload is
   * spooled first (when there is an intake), then `process` runs (the adapter's own routing, which
   * dispatches the work). Rejects when the payload could not be spooled: answer the platform with
   * an error status then, so that it delivers again.
   */
  accept<T>(platform: PlatformName, payload: unknown, process: () => Promise<T>): Promise<T> {
    return this.intake ? this.intake.accept(platform, payload, process) : process();
  }

  /** Registers how the adapter processes a spooled payload again, and replays its pending ones (start-up). */
  async replayFrom(platform: PlatformName, redeliver: (payload: unknown) => Promise<unknown>): Promise<void> {
    if (!this.intake) return;
    this.intake.register(platform, redeliver);
    await this.intake.replayPending(platform);
  }

  /**
   * Queues the work for an event. The promise settles when the work is done (it never rejects:
   * failures are logged here); adapters that must answer the platform first do not wait for it.
   */
  dispatch(event: InboundEvent, work: (handlers: InboundHandlers) => Promise<unknown>): Promise<void> {
    // The spooled delivery this work comes from, if any: it stays spooled until the work is done.
    const delivery = currentDelivery();
    const handlers = delivery?.replay ? receivedEarlier(this.handlers, delivery.receivedAt) : this.handlers;
    const outcome = this.queue.add(async (): Promise<WorkOutcome> => {
      try {
        if (event.dedupe && !(await handlers.firstDelivery(event.platform, event.eventId))) {
          this.logger.info({ platform: event.platform, eventId: event.eventId, kind: event.kind }, 'repeated delivery ignored');
          return 'done';
        }
        await work(handlers);
        return 'done';
      } catch (error) {
        const retry = delivery !== undefined && (handlers.retryLater?.(error) ?? false);
        this.logger.error(
          { err: error, platform: event.platform, eventId: event.eventId, user: event.userId, kind: event.kind, ...(retry ? { spooled: true } : {}) },
          retry ? `handling a ${event.kind} failed; it is kept and retried when the store is back` : `handling a ${event.kind} failed`,
        );
        return retry ? 'retry' : 'done';
      }
    });
    delivery?.claims.push(outcome);
    return outcome.then(() => undefined);
  }

  /** Resolves once nothing is queued or running, including work queued while waiting. */
  async idle(): Promise<void> {
    await this.queue.onIdle();
  }
}

/** The handlers, for work replayed from the spool: replies keep the time they arrived, and say they are late. */
function receivedEarlier(handlers: InboundHandlers, receivedAt: Date): InboundHandlers {
  return { ...handlers, onReply: (reply) => handlers.onReply({ ...reply, receivedAt, delayed: true }) };
}
