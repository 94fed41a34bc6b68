import { pino, stdSerializers, type DestinationStream, type Logger as PinoLogger } from 'pino';

/**
 * The one way the bot makes a logger. Secrets never reach a log line, at any level:
 *
 * - fields whose names look secret are replaced (`{ appSecret: '[Redacted]' }`);
 * - in text (messages, string fields, error messages, stacks, and the finished line itself, where
 *   the SDKs' own lines end up as JSON inside a message), these are masked: credentials inside
 *   URLs (`mongodb://user:***@host`), secret-named pairs (`"app_secret":"***"`, `token=***`,
 *   `Authorization: ***`), Slack tokens (`xoxb-***`), and the values of the secret-named
 *   environment variables (SLACK_SIGNING_SECRET, FEISHU_ENCRYPT_KEY…) and of `secrets` given here.
 *
 * The last step runs on the serialised line (pino's streamWrite hook): whatever a library puts
 * into an error or a message, the line written has been through it.
 */

export type Logger = PinoLogger;

export interface LoggerOptions {
  /** Overrides LOG_LEVEL (and the 'silent' default under vitest). */
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
  /** Values masked wherever they appear, besides those of the secret-named environment variables. */
  secrets?: readonly string[];
}

export const REDACTED = '[Redacted]';

const SECRET_WORD = 'token|secret|password|passwd|pwd|authorization|api[-_]?key|encrypt[-_]?key|private[-_]?key|cookie|credential';
const SECRET_KEY = new RegExp(`(${SECRET_WORD})`, 'i');

// `scheme://user:password@` → `scheme://user:***@`; a token alone before `@` (`scheme://token@`) is
// masked too. Quotes and backslashes end a match: in a serialised line they end the string.
const URI_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@"'\\]+)(:[^\s/?#@"'\\]*)?@/gi;

/** Masks the credentials of every URL inside `text`. */
export function scrubUriCredentials(text: string): string {
  return text.replace(URI_CREDENTIALS, (_match, scheme: string, user: string, password: string | undefined) =>
    password === undefined ? `${scheme}***@` : `${scheme}${user}:***@`,
  );
}

/**
 * A secret-named key and its value in text, in the three forms a line may hold them: JSON at any
 * depth of escaping (`\\"app_secret\\":\\"…`; a JSON number or boolean is no secret), `key=value`
 * (query strings, forms), and `Key: value` (headers; the space tells it from `file.ts:12`).
 */
const SECRET_PAIR = new RegExp(
  `([\\w.-]*(?:${SECRET_WORD})[\\w.-]*)(\\\\*["']\\s*:\\s*\\\\*["']|\\\\*["']?\\s*=\\s*\\\\*["']?|:\\s+\\\\*["']?)` +
    `(?:(?:Bearer|Basic)\\s+)?(?!\\[Redacted\\]|\\*\\*\\*)[^\\s"'\\\\,;&}\\]]+`,
  'gi',
);
/** Slack's tokens have a shape of their own: bot, user, app-level, configuration and refresh tokens. */
const SLACK_TOKEN = /\b(xox[abposre]|xapp)-[A-Za-z0-9-]+/g;

function scrubSecretPairs(text: string): string {
  return text.replace(SECRET_PAIR, (_match, key: string, separator: string) => `${key}${separator}***`);
}

/** SLACK_BOT_TOKEN, FEISHU_APP_SECRET, FEISHU_ENCRYPT_KEY…, as whole words (not PWD, the working directory). */
const SECRET_ENV_NAME = /(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ENCRYPT_KEY|PRIVATE_KEY|CREDENTIALS?)(_|$)/i;

/** Values masked in every line: those of secret-named environment variables, and passwords in URIs there. */
function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_ENV_NAME.test(name)) values.push(value);
    for (const match of value.matchAll(new RegExp(URI_CREDENTIALS.source, 'gi'))) {
      const password = match[3]?.slice(1);
      if (password) values.push(password, safeDecode(password));
    }
  }
  return values;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Short values would mask ordinary words; real secrets are longer. */
const MIN_SECRET_CHARS = 8;

/** Masks each known value, as it is and in the escaped forms a log line may hold it in. */
function valueScrubber(values: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const value of values) {
    if (value.length < MIN_SECRET_CHARS) continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
    // As a JSON string inside a JSON string: quotes and backslashes escaped once or twice.
    forms.add(JSON.stringify(value).slice(1, -1));
    forms.add(JSON.stringify(JSON.stringify(value).slice(1, -1)).slice(1, -1));
  }
  const known = [...forms].sort((a, b) => b.length - a.length);
  if (known.length === 0) return (text) => text;
  const pattern = new RegExp(known.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}

/** Everything masked in text: URL credentials, secret-named pairs, Slack tokens. */
export function scrubText(text: string): string {
  return scrubSecretPairs(scrubUriCredentials(text)).replace(SLACK_TOKEN, '$1-***');
}

const MAX_DEPTH = 8;

function scrubValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubText(value);
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

/**
 * An error as pino writes it, with every field masked: errors from HTTP clients carry the request
 * they failed on (URL, headers, body), and so the credentials sent with it.
 */
function serializeError(error: Error): ReturnType<typeof stdSerializers.err> {
  const serialized = stdSerializers.err(error);
  if (!serialized || typeof serialized !== 'object') return serialized;
  const record = serialized as unknown as Record<string, unknown>;
  for (const [key, inner] of Object.entries(record)) {
    record[key] = SECRET_KEY.test(key) && inner !== undefined && inner !== null ? REDACTED : scrubValue(inner, 1, new WeakSet());
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
  const scrubKnown = valueScrubber([...secretsFromEnv(process.env), ...(options.secrets ?? [])]);
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
        const scrubbed = (args as unknown[]).map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
        return method.apply(this, scrubbed as Parameters<PinoLogger['info']>);
      },
      // The last word: the line as written, whatever a serializer or a library put into it.
      streamWrite: (line: string) => scrubKnown(scrubText(line)),
    },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
