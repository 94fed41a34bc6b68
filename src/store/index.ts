import type { Logger } from '../log.ts';
import { CachingStore, type CacheClock } from './caching-store.ts';
import { MEMORY_STORE_WARNING, MemoryStore } from './memory.ts';
import { MongoStore, type MongoStoreOptions } from './mongo/mongo-store.ts';
import type { Store } from './store.ts';

export type {
  ClaimStore,
  CycleStore,
  EventStore,
  GoalReviewStore,
  OpenCycleOptions,
  PlanStore,
  PromptStore,
  ReadOptions,
  Store,
  StoreLifecycle,
  SubmissionStore,
} from './store.ts';
export { MemoryStore, MEMORY_STORE_WARNING } from './memory.ts';
export { MongoStore, type MongoStoreOptions } from './mongo/mongo-store.ts';
export { ANSWERS_TTL_MS, CachingStore, PLANS_TTL_MS, weekVersionOf, type CacheClock, type WeekVersions } from './caching-store.ts';
export { describeMongoUri, StoreUnreachableError } from './mongo/connect.ts';
export { isStoreUnavailable } from './unavailable.ts';
export { PROMPT_RENEW_MS, PROMPT_SENDING_STALE_MS, SEEN_EVENT_WINDOW_MS, type StoreDescription, type StoreTiming } from './policy.ts';

/** A store that can also say where its data lives (for the start-up log line): every Store can. */
export type OpenedStore = Store;

export interface OpenStoreOptions extends Omit<MongoStoreOptions, 'logger'> {
  /** MONGODB_URI; without one the data lives in memory and is lost on exit. */
  mongoUri?: string;
  logger: Logger;
  /** The clock of the cache's time to live (the bot's clock); the system's by default. */
  clock?: CacheClock;
}

const systemTime: CacheClock = { now: () => new Date() };

/**
 * MongoStore when a URI is given (waiting, with logged retries, until the server is reachable),
 * MemoryStore otherwise, with MEMORY_STORE_WARNING logged so that nobody mistakes a demo for a
 * deployment; either behind a CachingStore, which is what the handlers read through.
 */
export async function openStore(options: OpenStoreOptions): Promise<CachingStore> {
  const { mongoUri, logger, clock = systemTime, ...rest } = options;
  if (mongoUri && mongoUri.trim() !== '') {
    const store = await MongoStore.connect(mongoUri.trim(), { ...rest, logger });
    logger.info({ store: store.describe() }, `storing data in MongoDB at ${store.describe().location}`);
    return new CachingStore(store, clock);
  }
  logger.warn(MEMORY_STORE_WARNING);
  return new CachingStore(new MemoryStore(rest), clock);
}
