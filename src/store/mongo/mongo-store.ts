import { STATES, type Connection } from 'mongoose';
import type { Logger } from '../../log.ts';
import { RoleStore } from '../composite.ts';
import { PROMPT_SENDING_STALE_MS, SEEN_EVENT_WINDOW_MS, type StoreDescription, type StoreTiming } from '../policy.ts';
import type { PlatformName } from '../store.ts';
import { MongoClaims } from './claims.ts';
import { describeMongoUri, openConnection, safeErrorText, watchConnection, type ConnectOptions } from './connect.ts';
import { MongoCycles } from './cycles.ts';
import { MongoEvents } from './events.ts';
import { MongoGoalReviews } from './goal-reviews.ts';
import { MongoPlans } from './plans.ts';
import { MongoPrompts } from './prompts.ts';
import { allowPlatforms, createModels, type StoreModels } from './schemas.ts';
import { MongoSubmissions } from './submissions.ts';

export interface MongoStoreOptions extends ConnectOptions, StoreTiming {
  /** The names of the platform modules whose records this store keeps (src/platforms/modules.ts). */
  platforms: readonly PlatformName[];
}

/**
 * Store on MongoDB 6+ (and FerretDB, which the tests use): one Mongo implementation per role
 * (./cycles.ts, ./submissions.ts, …) over one connection's models. No transactions: every
 * decision that must have exactly one winner is an insert guarded by a unique index (see
 * schemas.ts for why not conditional updates), and a state that may be taken over (a stale lease
 * or reservation) is deleted and inserted again, so that the unique index picks the one contender
 * that gets it.
 */
export class MongoStore extends RoleStore {
  private readonly events: MongoEvents;

  private constructor(
    /** The store's own connection; exposed for tests and health checks. */
    readonly connection: Connection,
    private readonly models: StoreModels,
    private readonly uri: string,
    logger: Logger,
    private readonly unwatch: () => void,
    timing: StoreTiming,
  ) {
    const prompts = new MongoPrompts(models, timing.promptSendingStaleMs ?? PROMPT_SENDING_STALE_MS, logger);
    const events = new MongoEvents(models, timing.seenEventWindowMs ?? SEEN_EVENT_WINDOW_MS, logger, uri);
    super({
      cycles: new MongoCycles(models),
      submissions: new MongoSubmissions(models),
      prompts,
      claims: new MongoClaims(models, prompts, logger),
      plans: new MongoPlans(models),
      goalReviews: new MongoGoalReviews(models),
      events,
    });
    this.events = events;
  }

  /**
   * Connects (retrying while the server is unreachable, see ConnectOptions.retry) and makes sure
   * the indexes exist. The logger never sees the URI's credentials.
   */
  static async connect(uri: string, options: MongoStoreOptions): Promise<MongoStore> {
    allowPlatforms(options.platforms);
    const connection = await openConnection(uri, options);
    const unwatch = watchConnection(connection, uri, options.logger);
    const store = new MongoStore(connection, createModels(connection), uri, options.logger, unwatch, options);
    try {
      await store.ensureIndexes();
    } catch (error) {
      await store.close().catch(() => {});
      throw new Error(`MongoDB at ${describeMongoUri(uri)}: could not create indexes: ${safeErrorText(error, uri)}`);
    }
    return store;
  }

  describe(): StoreDescription {
    return { kind: 'mongo', durable: true, location: describeMongoUri(this.uri) };
  }

  /** Creates the indexes the queries rely on; a no-op for those that exist. */
  async ensureIndexes(): Promise<void> {
    for (const model of Object.values(this.models)) await model.createIndexes();
    await this.events.ensureExpiry();
  }

  async ping(): Promise<boolean> {
    // Not while disconnected: the command would wait for a server for serverSelectionTimeoutMS.
    if (this.connection.readyState !== STATES.connected || !this.connection.db) return false;
    try {
      await this.connection.db.command({ ping: 1 });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.unwatch();
    await this.connection.destroy();
  }
}
