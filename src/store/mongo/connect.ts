import mongoose, { type Connection } from 'mongoose';
import { BotError } from '../../errors.ts';
import { scrubUriCredentials, type Logger } from '../../log.ts';

/**
 * The server could not be reached (or refused the connection) and connecting gave up: after
 * `retry.maxAttempts`, or when aborted. `where` has no credentials; `reason` is the driver's, with
 * the password masked.
 */
export class StoreUnreachableError extends BotError {
  override name = 'StoreUnreachableError';
  readonly where: string;
  readonly reason: string;
  constructor(message: string, options: ErrorOptions & { where: string; reason: string }) {
    super('store_unreachable', message, options);
    this.where = options.where;
    this.reason = options.reason;
  }
}

export interface ConnectRetryOptions {
  /** First wait after a failed attempt; doubles per attempt. Default 1 s. */
  initialDelayMs?: number;
  /** Longest wait between attempts. Default 30 s. */
  maxDelayMs?: number;
  /** Attempts before giving up; default: keep trying until `signal` aborts. */
  maxAttempts?: number;
}

export interface ConnectOptions {
  logger: Logger;
  /** How long one attempt (and, later, one operation) waits for a usable server. Default 10 s. */
  serverSelectionTimeoutMS?: number;
  retry?: ConnectRetryOptions;
  /** Stops the retry loop; connect then rejects. */
  signal?: AbortSignal;
}

/**
 * `mongodb://user:secret@db1:27017,db2:27017/weekly?authSource=admin` → `mongodb://db1:27017,db2:27017/weekly`:
 * where the data is, for log lines, with no credentials and no options (which may hold secrets too).
 */
export function describeMongoUri(uri: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*:\/\/)/i.exec(uri)?.[1];
  if (!scheme) return '<MongoDB URI without a scheme>';
  // Up to the query; a password may hold '@' or '/' when the operator forgot to percent-encode it.
  const authorityAndPath = uri.slice(scheme.length).split('?')[0] ?? '';
  const at = authorityAndPath.lastIndexOf('@');
  return scheme + (at >= 0 ? authorityAndPath.slice(at + 1) : authorityAndPath);
}

/** The password of a URI, raw and percent-decoded, so that it can be masked in any text. */
function passwordsOf(uri: string): string[] {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(uri)?.[0];
  if (!scheme) return [];
  const authority = uri.slice(scheme.length).split('?')[0] ?? '';
  const at = authority.lastIndexOf('@');
  if (at < 0) return [];
  const credentials = authority.slice(0, at);
  const colon = credentials.indexOf(':');
  const password = colon >= 0 ? credentials.slice(colon + 1) : credentials;
  if (!password) return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // Not valid percent-encoding: the raw form is all there is.
  }
  return [...new Set([password, decoded])];
}

/** Error text safe to log: no URI credentials, and not the password of `uri` in any form. */
export function safeErrorText(error: unknown, uri: string): string {
  let text = scrubUriCredentials(error instanceof Error ? error.message : String(error));
  for (const password of passwordsOf(uri)) text = text.split(password).join('***');
  return text;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))}s`;

/**
 * Opens a mongoose Connection of its own (not the global one), retrying with backoff while the
 * server is unreachable, and logs what happens to it afterwards. The driver reconnects by itself
 * after a connection is lost; operations in the meantime fail after serverSelectionTimeoutMS,
 * and the caller (a handler) reports that.
 */
export async function openConnection(uri: string, options: ConnectOptions): Promise<Connection> {
  const { logger, signal } = options;
  const where = describeMongoUri(uri);
  const initialDelay = options.retry?.initialDelayMs ?? 1000;
  const maxDelay = options.retry?.maxDelayMs ?? 30_000;
  const maxAttempts = options.retry?.maxAttempts ?? Number.POSITIVE_INFINITY;
  const serverSelectionTimeoutMS = options.serverSelectionTimeoutMS ?? 10_000;

  for (let attempt = 1; ; attempt++) {
    // No URI here: createConnection(uri) would start connecting before we can catch its failure.
    const connection = mongoose.createConnection();
    try {
      await connection.openUri(uri, {
        serverSelectionTimeoutMS,
        // Indexes are built by MongoStore.ensureIndexes, awaited, so that failures are seen.
        autoIndex: false,
        autoCreate: false,
      });
      if (attempt > 1) logger.info({ attempt }, `MongoDB reachable at ${where} again; connected`);
      return connection;
    } catch (error) {
      // destroy() also drops it from mongoose.connections, so that failed attempts don't pile up.
      await connection.destroy(true).catch(() => {});
      // One line: the driver's message may span several.
      const reason = safeErrorText(error, uri).replace(/\s*\n\s*/g, ' ');
      if (attempt >= maxAttempts || signal?.aborted) {
        const why = signal?.aborted ? 'gave up (aborted)' : `gave up after ${attempt} ${attempt === 1 ? 'attempt' : 'attempts'}`;
        logger.error({ attempt, reason }, `MongoDB unreachable at ${where}, ${why}`);
        throw new StoreUnreachableError(`MongoDB unreachable at ${where} (${why}): ${reason}`, { where, reason });
      }
      const delay = Math.min(maxDelay, initialDelay * 2 ** (attempt - 1));
      logger.warn({ attempt, reason }, `MongoDB unreachable at ${where}, retrying in ${seconds(delay)}`);
      await sleep(delay, signal);
    }
  }
}

/**
 * Logs what happens to an open connection. Returns a function that stops it, for a deliberate
 * close (which would otherwise log 'connection lost').
 */
export function watchConnection(connection: Connection, uri: string, logger: Logger): () => void {
  const where = describeMongoUri(uri);
  // An 'error' event without a listener would crash the process; this is that listener.
  const onError = (error: unknown): void => {
    logger.error({ reason: safeErrorText(error, uri) }, `MongoDB error at ${where}`);
  };
  const onDisconnected = (): void => {
    logger.warn(`MongoDB connection to ${where} lost; the driver keeps reconnecting, operations fail until it is back`);
  };
  const onReconnected = (): void => {
    logger.info(`MongoDB connection to ${where} restored`);
  };
  connection.on('error', onError);
  connection.on('disconnected', onDisconnected);
  connection.on('reconnected', onReconnected);
  return () => {
    connection.off('disconnected', onDisconnected);
    connection.off('reconnected', onReconnected);
    // 'error' stays: an error during close must not crash the process either.
  };
}
