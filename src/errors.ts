/**
 * The bot's own errors: one base class with a stable `code`, and the one place that decides how a
 * process ends on an error (the bot's `npm start` and the `weekly-report` CLI both ask `exitFor`).
 */

/** What kind of problem an error is: stable strings for logs, tests and the exit mapping below. */
export const ERROR_CODES = [
  /**
   * A command line that cannot be run as typed: an unknown command or option, an option without
   * its value, a required option missing, a value of the wrong form (a week that is not one), values
   * that contradict each other (--from after --to).
   */
  'usage',
  /** What a CLI argument names turns out wrong: an unreadable replies folder, a section the team does not have, a range with no stored week. */
  'input_invalid',
  /** An environment variable is malformed, missing, or does not go with another one. */
  'env_invalid',
  /** A team definition (the YAML, or its layout once loaded) is invalid. */
  'definition_invalid',
  /** A layout fails to compile a report. Loading a definition turns it into definition_invalid. */
  'layout_invalid',
  /** Another live bot process runs with this DATA_DIR, or took it over. */
  'data_dir_in_use',
  /** `npm run seed` found weeks it did not write in the database, and was not told --force. */
  'seed_refused',
  /** A platform payload does not have the shape its platform documents. */
  'payload_invalid',
  /** Another revision of the same answer was stored meanwhile. */
  'revision_conflict',
  /** A Feishu Open API call failed. */
  'feishu_api',
  /** The font charts are drawn with is not installed. */
  'chart_font',
  /** No MongoDB-wire server could be reached (the CLI gives up after a few seconds) or started (the tests' database). */
  'store_unreachable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error of the bot's own, with a stable `code` (Node's convention for `error.code`: a string). */
export class BotError extends Error {
  override name = 'BotError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * How each code ends a process: `usage` exits 2 with the line (and the command's usage text when
 * it has one); `fixable` exits 1 with the message alone, since the person running the bot or the
 * command can fix it and a stack trace would only hide the line that says how; `crash` exits 1
 * with the error itself, stack and causes: it is a bug, or what the error says is not for a person
 * to fix at start-up. A Record, so that a new code cannot be added without deciding this.
 */
const EXIT_KINDS: Record<ErrorCode, 'usage' | 'fixable' | 'crash'> = {
  usage: 'usage',
  input_invalid: 'fixable',
  env_invalid: 'fixable',
  definition_invalid: 'fixable',
  data_dir_in_use: 'fixable',
  seed_refused: 'fixable',
  // The database is down or MONGODB_URI is wrong: the line says where and why, a stack would not help.
  store_unreachable: 'fixable',
  layout_invalid: 'crash',
  payload_invalid: 'crash',
  revision_conflict: 'crash',
  feishu_api: 'crash',
  chart_font: 'crash',
};

/** How a process ends on an error. */
export interface Exit {
  /** The exit status: 2 for a usage error, 1 for anything else. */
  status: 1 | 2;
  /** What to print on stderr when `stack` is false. */
  message: string;
  /** True: print the error itself (its stack and causes), not `message`. */
  stack: boolean;
}

/**
 * The error's code: a BotError's own, `usage` for what node:util's parseArgs throws (an unknown
 * option, a missing value), null for anything else.
 */
export function errorCodeOf(error: unknown): ErrorCode | null {
  if (error instanceof BotError) return error.code;
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) return 'usage';
  return null;
}

/** How to end the process on `error`; `usage` is the command's usage text, printed after a usage error's line. */
export function exitFor(error: unknown, options: { usage?: string } = {}): Exit {
  const code = errorCodeOf(error);
  const kind = code ? EXIT_KINDS[code] : 'crash';
  const message = error instanceof Error ? error.message : String(error);
  if (kind === 'usage') return { status: 2, message: options.usage ? `${message}\n\n${options.usage}` : message, stack: false };
  return { status: 1, message, stack: kind === 'crash' };
}
