import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ChartFontError } from '../src/charts/chart-font.ts';
import { ArgumentError } from '../src/cli/args.ts';
import { ExportUsageError } from '../src/cli/export.ts';
import { EnvError } from '../src/config/env.ts';
import { BotError, ERROR_CODES, errorCodeOf, exitFor, type ErrorCode } from '../src/errors.ts';
import { FeishuApiError } from '../src/platforms/feishu/rate-limit.ts';
import { LayoutError } from '../src/report/compile.ts';
import { DefinitionError } from '../src/report/definition.ts';
import { PayloadError } from '../src/report/parse/converted.ts';
import { DataDirInUseError } from '../src/schedule/replica.ts';
import { SeedRefused } from '../src/seed/seed-teams.ts';
import { StoreUnreachableError } from '../src/store/index.ts';
import { RevisionConflict } from '../src/store/store.ts';
import { NoMongoServerError } from './support/mongo-server.ts';

/** What node:util's parseArgs throws for an option it does not know. */
function parseArgsError(): unknown {
  try {
    parseArgs({ args: ['--nope'], options: {}, strict: true });
  } catch (error) {
    return error;
  }
  throw new Error('parseArgs accepted --nope');
}

describe('the bot’s errors', () => {
  const cases: [Error, string, ErrorCode][] = [
    [new EnvError('Invalid environment'), 'EnvError', 'env_invalid'],
    [new DefinitionError('payments-weekly.yaml: timeZone'), 'DefinitionError', 'definition_invalid'],
    [new LayoutError('layout payments-weekly.md'), 'LayoutError', 'layout_invalid'],
    [new PayloadError('blocks[0]: unexpected shape'), 'PayloadError', 'payload_invalid'],
    [new ExportUsageError('no stored week of payments-weekly from 2024-W30 to 2024-W35'), 'ExportUsageError', 'input_invalid'],
    [new DataDirInUseError('DATA_DIR /data is in use'), 'DataDirInUseError', 'data_dir_in_use'],
    [new SeedRefused('The database holds weeks the seed did not write'), 'SeedRefused', 'seed_refused'],
    [new RevisionConflict('revision 2 exists already'), 'RevisionConflict', 'revision_conflict'],
    [new FeishuApiError('im.v1.message.create', 99991400, 429, 'too many requests'), 'FeishuApiError', 'feishu_api'],
    [new ChartFontError('Charts need the font'), 'ChartFontError', 'chart_font'],
    [new NoMongoServerError('no server'), 'NoMongoServerError', 'store_unreachable'],
    [
      new StoreUnreachableError('MongoDB unreachable at mongodb://db:27017/weekly', { where: 'mongodb://db:27017/weekly', reason: 'ECONNREFUSED' }),
      'StoreUnreachableError',
      'store_unreachable',
    ],
    [new ArgumentError('--from (2024-W30) is after --to (2024-W20)'), 'ArgumentError', 'usage'],
  ];

  it.each(cases)('%s is a BotError with its own name and code', (error, name, code) => {
    expect(error).toBeInstanceOf(BotError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect((error as BotError).code).toBe(code);
    expect(errorCodeOf(error)).toBe(code);
    expect(error.stack).toContain(`${name}: ${error.message}`);
  });

  it('keeps the cause it is given', () => {
    const cause = new Error('EACCES');
    expect(new DataDirInUseError('in use', { cause }).cause).toBe(cause);
  });

  it('keeps Feishu’s own numeric code apart from the bot’s', () => {
    const error = new FeishuApiError('im.v1.message.reply', 230011, 400, 'message withdrawn');
    expect(error.feishuCode).toBe(230011);
    expect(error.code).toBe('feishu_api');
    expect(error.message).toBe('Feishu im.v1.message.reply failed with code 230011 (HTTP 400): message withdrawn');
  });

  it('has a code for every BotError above, and each code once', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(new Set(cases.map(([, , code]) => code))).toEqual(new Set(ERROR_CODES));
  });
});

describe('how a process ends on an error (exitFor)', () => {
  it('a command line that does not parse: exit 2, the line, then the usage text', () => {
    const error = parseArgsError();
    expect(errorCodeOf(error)).toBe('usage');
    expect(exitFor(error, { usage: 'Usage: weekly-report …' })).toEqual({
      status: 2,
      message: `${(error as Error).message}\n\nUsage: weekly-report …`,
      stack: false,
    });
    expect(exitFor(new BotError('usage', 'unknown command "x"'))).toEqual({ status: 2, message: 'unknown command "x"', stack: false });
  });

  it('an option the CLI cannot use as given (missing, malformed, contradicting another): exit 2, the line, then the usage text', () => {
    const error = new ArgumentError('--from (2024-W30) is after --to (2024-W20): swap them, e.g. --from 2024-W20 --to 2024-W30');
    expect(exitFor(error, { usage: 'Usage: weekly-report export …' })).toEqual({
      status: 2,
      message: `${error.message}\n\nUsage: weekly-report export …`,
      stack: false,
    });
  });

  it.each([
    ['a bad environment', new EnvError('Invalid environment:\n  SLACK_BOT_TOKEN: expected a bot token starting with xoxb-')],
    ['a bad definition', new DefinitionError('payments-weekly.yaml: timeZone: expected an IANA time zone')],
    ['a DATA_DIR in use', new DataDirInUseError('DATA_DIR /data is in use by another bot process')],
    ['a seed refused', new SeedRefused('The database at 127.0.0.1:27017/wr holds weeks the seed did not write: …')],
    ['a bad argument', new ExportUsageError('--section: payments-weekly has no section "nope"')],
    ['a folder an argument names that cannot be read (the compile command’s)', new BotError('input_invalid', '--replies: cannot read seeds/nope (ENOENT)')],
    [
      'a database the CLI cannot reach',
      new StoreUnreachableError('MongoDB unreachable at mongodb://127.0.0.1:1/weekly (gave up after 3 s): connect ECONNREFUSED 127.0.0.1:1', {
        where: 'mongodb://127.0.0.1:1/weekly',
        reason: 'connect ECONNREFUSED 127.0.0.1:1',
      }),
    ],
  ])('%s, which a person can fix: exit 1 with the message alone, no stack', (_what, error) => {
    expect(exitFor(error, { usage: 'Usage: …' })).toEqual({ status: 1, message: error.message, stack: false });
  });

  it.each([
    ['a plain Error', new Error('boom')],
    ['a TypeError that is not parseArgs’s', Object.assign(new TypeError('x is not a function'), { code: 'ERR_INVALID_ARG_TYPE' })],
    ['a layout that escaped loading', new LayoutError('layout x.md: Parse error')],
    ['a revision conflict that escaped its retry', new RevisionConflict('revision 2 exists already')],
    ['a Feishu failure', new FeishuApiError('im.v1.chat.get', undefined, 500, 'internal error')],
    ['a missing chart font', new ChartFontError('Charts need the font')],
  ])('%s is a crash: exit 1 with the error’s stack', (_what, error) => {
    expect(exitFor(error)).toEqual({ status: 1, message: error.message, stack: true });
  });

  it('something thrown that is not an Error is a crash too', () => {
    expect(exitFor('a string')).toEqual({ status: 1, message: 'a string', stack: true });
    expect(exitFor(undefined)).toEqual({ status: 1, message: 'undefined', stack: true });
  });
});
