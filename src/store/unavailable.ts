/**
 * Names of the errors the MongoDB driver and mongoose raise when the server can't be reached or
 * went away: the operation may succeed later, unchanged. Anything else (a validation error, a
 * bug) would fail the same way again.
 */
const UNAVAILABLE_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
  // Before the store has connected at all (DeferredStore, at start-up).
  'StoreNotOpenError',
]);

/** True when `error` (or what caused it) says the store is unreachable right now. */
export function isStoreUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (UNAVAILABLE_ERRORS.has(current.name)) return true;
    // mongoose, when commands are buffered while disconnected and the wait runs out.
    if (/buffering timed out|ECONNREFUSED|connection .* closed/i.test(current.message)) return true;
  }
  return false;
}
