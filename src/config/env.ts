import { existsSync } from 'node:fs';
import { z } from 'zod';
import { BotError } from '../errors.ts';

/**
 * The process environment, validated once at start-up. A missing or malformed variable is named
 * in the error (its value never is: most of these are secrets). Each platform validates its own
 * variables (PlatformModule.configFromEnv, with `readEnvPart` below); this is what the core reads.
 */
export const optionalVar = (schema: z.ZodType<string>) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The shortest ARCHIVE_SECRET accepted: 32 characters of a random secret are far past guessing. */
export const ARCHIVE_SECRET_MIN_CHARS = 32;

export const Env = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MONGODB_URI: optionalVar(z.string().regex(/^mongodb(\+srv)?:\/\//, 'expected a MongoDB connection string (mongodb://…)')),
  TEMPLATES_DIR: optionalVar(z.string()),
  /** Where the bot keeps what it must not lose between restarts (the inbound spool); `./data` by default. */
  DATA_DIR: optionalVar(z.string()),
  /**
   * The key that signs the web archive's links (src/archive/links.ts); the archive is served only
   * when it is set. Long enough that it cannot be guessed; changing it revokes every link given.
   */
  ARCHIVE_SECRET: optionalVar(
    z.string().min(ARCHIVE_SECRET_MIN_CHARS, `expected at least ${ARCHIVE_SECRET_MIN_CHARS} characters (e.g. \`openssl rand -base64 48\`)`),
  ),
  /** The base of every archive link, as readers reach the bot; `http://localhost:$PORT` by default. */
  PUBLIC_URL: optionalVar(
    z
      .string()
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'expected an http(s) base URL without query, like https://reports.example.com')
      .transform((v) => v.replace(/\/+$/, '')),
  ),
});
export type Env = z.infer<typeof Env>;

export class EnvError extends BotError {
  override name = 'EnvError';
  constructor(message: string, options?: ErrorOptions) {
    super('env_invalid', message, options);
  }
}

/** Validates some variables of the environment with a schema; the error names each bad variable. */
export function readEnvPart<S extends z.ZodType>(schema: S, source: Readonly<Record<string, string | undefined>>): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new EnvError(`Invalid environment:\n  ${lines.join('\n  ')}`);
}

/**
 * Whether the bot reads the `.env` of its working directory: yes unless WEEKLY_REPORT_DOTENV=0.
 * Every process the tests start has it at 0, so that the database a checkout's `.env` names (the
 * team's own) is never theirs. Read from the environment itself, before any file.
 */
export function dotEnvWanted(source: Readonly<Record<string, string | undefined>>): boolean {
  const value = source.WEEKLY_REPORT_DOTENV;
  if (value === undefined || value === '' || value === '1') return true;
  if (value === '0') return false;
  throw new EnvError(`WEEKLY_REPORT_DOTENV: expected 0 (do not read .env) or 1 (read it, the default), got "${value}"`);
}

/** Where the archive's links point: PUBLIC_URL, or this machine on PORT. */
export function publicUrlOf(env: Pick<Env, 'PUBLIC_URL' | 'PORT'>): string {
  return env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}

export function parseEnv(source: Readonly<Record<string, string | undefined>> = process.env): Env {
  return readEnvPart(Env, source);
}

/**
 * `.env` in the working directory, read before anything else by every entry point (the bot's
 * src/main.ts and the CLI's src/cli/main.ts), so that both see the same configuration, unless
 * WEEKLY_REPORT_DOTENV=0 (as every process the tests start has it). Variables already set in the
 * environment win over the file (Node's own loader never overwrites them).
 */
export function loadDotEnv(file = '.env'): void {
  if (dotEnvWanted(process.env) && existsSync(file)) process.loadEnvFile(file);
}
