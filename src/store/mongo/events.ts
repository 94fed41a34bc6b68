import type { Logger } from '../../log.ts';
import type { EventStore, PlatformName } from '../store.ts';
import { safeErrorText } from './connect.ts';
import { INDEXES, type StoreModels } from './schemas.ts';
import { insertUnlessExists } from './shared.ts';

/**
 * Platform deliveries already handled: an insert per event id (the unique key), forgotten after
 * the window by the server's TTL index, or, on a server without TTL indexes, pruned from here.
 */
export class MongoEvents implements EventStore {
  /** Set when the server refused a TTL index: seen events are then pruned by the bot itself. */
  private pruneSeenEventsAfter: number | null = null;
  private lastSeenEventPrune = 0;

  constructor(
    private readonly models: Pick<StoreModels, 'seenEvents'>,
    private readonly seenEventWindowMs: number,
    private readonly logger: Logger,
    /** The server's URI, only to keep its credentials out of logged errors. */
    private readonly uri: string,
  ) {}

  /** Creates the index that expires seen events (or, without TTL indexes, the one the prune uses). */
  async ensureExpiry(): Promise<void> {
    const collection = this.models.seenEvents.collection;
    try {
      await collection.createIndex({ seenAt: 1 }, { name: INDEXES.seenEventExpiry, expireAfterSeconds: Math.ceil(this.seenEventWindowMs / 1000) });
      this.pruneSeenEventsAfter = null;
    } catch (error) {
      if (!isNotImplemented(error)) throw error;
      // FerretDB 1.x: "Index option expireAfterSeconds is not implemented yet". markEventSeen
      // ignores old entries anyway; this plain index keeps the periodic prune cheap.
      await collection.createIndex({ seenAt: 1 }, { name: INDEXES.seenEventExpiry });
      this.pruneSeenEventsAfter = 60 * 60 * 1000;
      this.logger.info('MongoDB server does not support TTL indexes; seen event ids are pruned by the bot instead');
    }
  }

  async markEventSeen(platform: PlatformName, eventId: string, now: Date): Promise<boolean> {
    const { seenEvents } = this.models;
    const create = (): Promise<unknown> => seenEvents.create({ platform, eventId, seenAt: now });
    if (await insertUnlessExists(create)) {
      this.pruneSeenEvents(now);
      return true;
    }
    // Seen before the window: as good as expired, whether or not the server has removed it yet.
    const cutoff = new Date(now.getTime() - this.seenEventWindowMs);
    const old = await seenEvents.findOne({ platform, eventId, seenAt: { $lt: cutoff } }).lean<{ _id: unknown; seenAt: Date }>();
    if (!old) return false;
    await seenEvents.deleteOne({ _id: old._id, seenAt: old.seenAt });
    return insertUnlessExists(create);
  }

  private pruneSeenEvents(now: Date): void {
    if (this.pruneSeenEventsAfter === null || now.getTime() - this.lastSeenEventPrune < this.pruneSeenEventsAfter) return;
    this.lastSeenEventPrune = now.getTime();
    const cutoff = new Date(now.getTime() - this.seenEventWindowMs);
    // Housekeeping, off the event's path; a failure only postpones it.
    this.models.seenEvents.deleteMany({ seenAt: { $lt: cutoff } }).catch((error: unknown) => {
      this.logger.warn({ reason: safeErrorText(error, this.uri) }, 'could not prune old seen event ids');
    });
  }
}

function isNotImplemented(error: unknown): boolean {
  const e = error as { code?: unknown; codeName?: unknown; message?: unknown } | null;
  // 238 NotImplemented (FerretDB), 115 CommandNotSupported, 67 CannotCreateIndex.
  return e?.code === 238 || e?.code === 115 || e?.code === 67 || e?.codeName === 'NotImplemented';
}
