import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../../log.ts';
import { Spool, type OpenSpoolFile, type SpoolEntry } from './spool.ts';

/** How often pending entries are tried again while the store is away. */
export const REPLAY_EVERY_MS = 5_000;

/** What became of one piece of work a delivery started (Inbound reports it). */
export type WorkOutcome = 'done' | 'retry';

/** One delivery being processed: the work it starts is claimed against it. */
export interface Delivery {
  entryId: number;
  platform: string;
  receivedAt: Date;
  /** Processed again from the spool (after a failure or a restart), not as it arrived. */
  replay: boolean;
  claims: Promise<WorkOutcome>[];
}

const currentDeliveries = new AsyncLocalStorage<Delivery>();

/** The delivery whose processing is running now (for Inbound to claim its work against), if any. */
export function currentDelivery(): Delivery | undefined {
  return currentDeliveries.getStore();
}

/** Processes a platform's payload again, as its adapter did when it arrived (without answering anyone). */
export type Redeliver = (payload: unknown) => Promise<unknown>;

export interface DurableIntakeOptions {
  logger: Logger;
  /** Whether the store answers now: replays wait for it rather than fail one by one. */
  storeAvailable: () => Promise<boolean>;
  now?: () => Date;
  replayEveryMs?: number;
  /** How the spool opens its file; node:fs/promises `open` by default. */
  openFile?: OpenSpoolFile;
}

/**
 * Nothing acknowledged is lost: every verified delivery is written to the spool (./spool.ts)
 * before the adapter answers the platform, and stays there until the work it started is done.
 * Work that failed because the store was unreachable (Inbound reports 'retry') stays pending and
 * is processed again, in arrival order, when the store is back, and at start-up before the
 * adapter listens. A replay goes through the normal path: the same adapter code, de-duplicated by
 * the platform's event id downstream, so an entry processed twice stores and confirms once.
 */
export class DurableIntake {
  private readonly redeliverers = new Map<string, Redeliver>();
  /** Entries being processed now, live or replayed: a replay skips them. */
  private readonly inFlight = new Set<number>();
  /** Live deliveries whose work is still running: closing waits for them to settle. */
  private readonly settling = new Set<Promise<void>>();
  private replaying: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => Date;

  private constructor(
    private readonly spool: Spool,
    private readonly options: DurableIntakeOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  static async open(dataDir: string, options: DurableIntakeOptions): Promise<DurableIntake> {
    const spool = await Spool.open(dataDir, options.openFile);
    const pending = spool.pending().length;
    options.logger.info({ spool: spool.location, pending }, pending > 0 ? `inbound spool: ${pending} deliveries to replay` : 'inbound spool ready');
    return new DurableIntake(spool, options);
  }

  /** How `platform`'s entries are processed again. */
  register(platform: string, redeliver: Redeliver): void {
    this.redeliverers.set(platform, redeliver);
  }

  /**
   * Spools a verified payload (on disk when this resolves the first time it yields), then
   * processes it. Rejects, before processing anything, when it cannot be spooled: the adapter
   * must then answer the platform with an error status so that it delivers again.
   */
  async accept<T>(platform: string, payload: unknown, process: () => Promise<T>): Promise<T> {
    const entry = await this.spool.append(platform, payload, this.now());
    return this.run(entry, false, process);
  }

  /** Entries not yet done, in arrival order. */
  pending(): SpoolEntry[] {
    return this.spool.pending();
  }

  /**
   * Processes the pending entries (of one platform, or all), one at a time in arrival order, each
   * waiting for the work it starts. Does nothing while the store is unreachable.
   */
  replayPending(platform?: string): Promise<void> {
    const previous = this.replaying ?? Promise.resolve();
    const next = previous.then(() => this.replayNow(platform));
    this.replaying = next.finally(() => {
      if (this.replaying === next) this.replaying = null;
    });
    return next;
  }

  /** Retries pending entries every few seconds (the store may come back at any time). */
  startRetrying(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.pending().some((e) => !this.inFlight.has(e.id))) void this.replayPending();
    }, this.options.replayEveryMs ?? REPLAY_EVERY_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.replaying;
    await Promise.all(this.settling);
    await this.spool.close();
  }

  private async replayNow(platform?: string): Promise<void> {
    const entries = this.spool.pending().filter((e) => (!platform || e.platform === platform) && !this.inFlight.has(e.id) && this.redeliverers.has(e.platform));
    if (entries.length === 0) return;
    if (!(await this.options.storeAvailable().catch(() => false))) return;
    this.options.logger.info({ entries: entries.length, platform }, 'replaying spooled deliveries');
    for (const entry of entries) {
      if (this.inFlight.has(entry.id)) continue;
      const redeliver = this.redeliverers.get(entry.platform)!;
      const settled = await this.run(entry, true, () => redeliver(entry.payload)).then(
        () => true,
        (error: unknown) => {
          this.options.logger.error({ err: error, platform: entry.platform, entry: entry.id }, 'replaying a spooled delivery failed');
          return false;
        },
      );
      // The store went away again: the rest waits for the next round, in order.
      if (!settled || this.spool.pending().some((e) => e.id === entry.id)) break;
    }
  }

  /** Processes an entry with its delivery current, then settles it once the work it started is done. */
  private async run<T>(entry: SpoolEntry, replay: boolean, process: () => Promise<T>): Promise<T> {
    const delivery: Delivery = { entryId: entry.id, platform: entry.platform, receivedAt: new Date(entry.receivedAt), replay, claims: [] };
    this.inFlight.add(entry.id);
    let result: T;
    try {
      result = await currentDeliveries.run(delivery, process);
    } catch (error) {
      this.inFlight.delete(entry.id);
      // Processing failed before any work was queued (e.g. a payload the adapter cannot read):
      // replaying it would fail the same way.
      if (delivery.claims.length === 0) await this.spool.complete(entry.id);
      throw error;
    }
    const settling = this.settle(entry, delivery);
    // A replay waits for its work, so that entries are processed in order; a live delivery doesn't.
    if (replay) {
      await settling;
    } else {
      this.settling.add(settling);
      void settling.finally(() => this.settling.delete(settling));
    }
    return result;
  }

  private async settle(entry: SpoolEntry, delivery: Delivery): Promise<void> {
    const outcomes = await Promise.all(delivery.claims);
    this.inFlight.delete(entry.id);
    if (outcomes.includes('retry')) {
      this.options.logger.warn(
        { platform: entry.platform, entry: entry.id },
        'the store is unreachable: the delivery stays in the spool and is processed again when it is back',
      );
      return;
    }
    await this.spool
      .complete(entry.id)
      .catch((error: unknown) =>
        this.options.logger.error({ err: error, entry: entry.id }, 'could not mark a spooled delivery done; it will be replayed once more'),
      );
  }
}
