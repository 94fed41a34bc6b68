import { pino, stdSerializers, type DestinationStream, type Logger as PinoLogger } from 'pino';

/**
 * The one way the bot makes a logger. Secrets never reach a log line: fields whose names look
 * secret are replaced, and credentials inside connection strings (`mongodb://user:pass@host`)
 * are masked wherever they appear: in the message, in logged fields, in error messages and stacks.
 */

export type Logger = PinoLogger;

export interface LoggerOptions {
  /** Overrides LOG_LEVEL (and the 'silent' default under vitest). */
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

export const REDACTED = '[Redacted]';

const SECRET_KEY =
  /(token|secret|password|passwd|pwd|authorization|api[-_]?key|encrypt[-_]?key|private[-_]?key|cookie|credential)/i;

// `scheme://user:password@` → `scheme://user:***@`; a token alone before `@` (`scheme://token@`) is masked too.
const URI_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@]+)(:[^\s/?#@]*)?@/gi;

/** Masks the credentials of every URL inside `text`. */
export function scrubUriCredentials(text: string): string {
  return text.replace(URI_CREDENTIALS, (_match, scheme: string, user: string, password: string | undefined) =>
    password === undefined ? `${scheme}***@` : `${scheme}${user}:***@`,
  );
}

const MAX_DEPTH = 8;

function scrubValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubUriCredentials(value);
  if (value === null || typeof value !== 'object') return value;
  // Errors go through the err serializer below; dates, buffers and class instances are left alone.
  if (value instanceof Error) return value;
  if (depth >= MAX_DEPTH || seen.has(value)) return value;
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => scrubValue(item, depth + 1, seen));
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && inner !== undefined && inner !== null ? REDACTED : scrubValue(inner, depth + 1, seen);
  }
  return out;
}

/** A copy of a log object with secret-looking fields replaced and URI credentials masked. */
export function redactLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  return scrubValue(obj, 0, new WeakSet()) as Record<string, unknown>;
}

function serializeError(error: Error): ReturnType<typeof stdSerializers.err> {
  const serialized = stdSerializers.err(error);
  if (serialized && typeof serialized === 'object') {
    if (typeof serialized.message === 'string') serialized.message = scrubUriCredentials(serialized.message);
    if (typeof serialized.stack === 'string') serialized.stack = scrubUriCredentials(serialized.stack);
  }
  return serialized;
}

function defaultLevel(): string {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  // Tests assert on behaviour, not on log output; a test that wants lines passes its own level.
  return process.env.VITEST ? 'silent' : 'info';
}

/** A pino logger named for the module or component that logs (`store`, `slack`, `scheduler`). */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const pinoOptions = {
    name,
    level: options.level ?? defaultLevel(),
    serializers: { err: serializeError, error: serializeError },
    formatters: {
      log: redactLogObject,
      bindings: redactLogObject,
    },
    hooks: {
      logMethod(this: PinoLogger, args: Parameters<PinoLogger['info']>, method: PinoLogger['info']) {
        const scrubbed = (args as unknown[]).map((arg) => (typeof arg === 'string' ? scrubUriCredentials(arg) : arg));
        return method.apply(this, scrubbed as Parameters<PinoLogger['info']>);
      },
    },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
