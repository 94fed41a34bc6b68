import { afterAll, inject } from 'vitest';
import { createLogger, type Logger } from '../../src/log.ts';
import { CachingStore, MemoryStore, MongoStore, type CacheClock, type Store } from '../../src/store/index.ts';
import { testDatabaseUri } from './db.ts';
import { PLATFORM_NAMES } from '../../src/platforms/modules.ts';

/** Which Store a vitest project's tests run on; each project provides one (vitest.config.ts). */
export type StoreKind = 'memory' | 'mongo';

const systemTime: CacheClock = { now: () => new Date() };

/**
 * A fresh, empty store for one test file (or one test): a MemoryStore in the unit project, a
 * MongoStore on a database of its own in the db project, so that the same whole-week tests pin
 * both. Bots standing for two replicas must share the one store this returns: two MemoryStores
 * are two separate databases.
 *
 * As src/store/index.ts's openStore, it is behind a CachingStore (whose time to live runs on
 * `cache`, the system's time by default; bots sharing it share its cache), unless `cache` is false:
 * then it is the store itself, for a test to put its own cache (and clock) in front of.
 */
export async function openTestStore(
  label: string,
  logger: Logger = createLogger('test-store'),
  platforms: readonly string[] = PLATFORM_NAMES,
  cache: CacheClock | false = systemTime,
): Promise<Store> {
  const store =
    inject('storeKind') === 'memory' ? new MemoryStore() : await MongoStore.connect(testDatabaseUri(label), { logger, retry: { maxAttempts: 3 }, platforms });
  return cache ? new CachingStore(store, cache) : store;
}

/** Closes a store from openTestStore, dropping its database first when it has one. */
export async function discardTestStore(store: Store): Promise<void> {
  const inner = store instanceof CachingStore ? store.inner : store;
  if (inner instanceof MongoStore) await inner.connection.dropDatabase().catch(() => {});
  await store.close();
}

/**
 * openTestStore for a file that opens several stores: each is discarded after the file's tests.
 * Call it at the top level of the test file (it registers the afterAll).
 */
export function storesDiscardedAfterFile(): (label: string) => Promise<Store> {
  const opened: Store[] = [];
  afterAll(async () => {
    for (const store of opened.splice(0)) await discardTestStore(store);
  });
  return async (label) => {
    const store = await openTestStore(label);
    opened.push(store);
    return store;
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    storeKind: StoreKind;
  }
}
