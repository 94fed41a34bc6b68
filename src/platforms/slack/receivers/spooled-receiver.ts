import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Inbound } from '../../inbound.ts';

/**
 * Bolt's receiver (HTTP or Socket Mode), with every verified request spooled before the App sees
 * it. The receiver verifies the request, then hands it to `App.processEvent`, which is where the
 * acknowledgement happens (Events API deliveries are acked before the listeners run; commands,
 * actions and views when the listener calls ack()). Putting the spool in between means Slack is
 * never answered for something that is not on disk yet; if the spool can't take it, processEvent
 * rejects before any ack and the receiver answers 500 (HTTP) or leaves the envelope un-acked
 * (Socket Mode), so Slack delivers it again.
 */
export class SpooledReceiver implements Receiver {
  private app: App | undefined;
  private inbound: Inbound | undefined;
  /** Requests the App is processing: an event is acked before its listener runs, so before its work is queued. */
  private readonly processing = new Set<Promise<void>>();

  constructor(private readonly inner: Receiver) {}

  init(app: App): void {
    this.app = app;
    // The receiver only ever calls processEvent on the App it is given.
    const gate = { processEvent: (event: ReceiverEvent) => this.process(event) } as unknown as App;
    this.inner.init(gate);
  }

  /** Where deliveries are spooled from now on (set when the runtime starts). */
  spoolTo(inbound: Inbound): void {
    this.inbound = inbound;
  }

  start(...args: unknown[]): Promise<unknown> {
    return this.inner.start(...args);
  }

  stop(...args: unknown[]): Promise<unknown> {
    return this.inner.stop(...args);
  }

  /** Processes a spooled request body again, as it was processed when it arrived; nobody is answered (it was acked then). */
  async redeliver(body: unknown): Promise<void> {
    await this.requireApp().processEvent({ body: body as ReceiverEvent['body'], ack: async () => {}, customProperties: {} });
  }

  /** Resolves once every request received so far has reached its listener (its work is queued, or done). */
  async settled(): Promise<void> {
    while (this.processing.size > 0) await Promise.allSettled([...this.processing]);
  }

  private process(event: ReceiverEvent): Promise<void> {
    const app = this.requireApp();
    const processed = this.inbound ? this.inbound.accept('slack', event.body, () => app.processEvent(event)) : app.processEvent(event);
    this.processing.add(processed);
    void processed.catch(() => {}).finally(() => this.processing.delete(processed));
    return processed;
  }

  private requireApp(): App {
    if (!this.app) throw new Error('the Slack receiver is not attached to an App');
    return this.app;
  }
}
