import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../../src/log.ts';
import { CachingStore, openStore } from '../../../src/store/index.ts';
import { MEMORY_STORE_WARNING, MemoryStore } from '../../../src/store/memory.ts';
import { describeMongoUri } from '../../../src/store/mongo/connect.ts';
import { MongoStore } from '../../../src/store/mongo/mongo-store.ts';
import { testDatabaseUri } from '../../support/db.ts';
import { PLATFORM_NAMES } from '../../../src/platforms/modules.ts';

// Port 1 on loopback: nothing listens there, so every attempt is refused.
const PASSWORD = 'hunter2@s3cret';
const UNREACHABLE = `mongodb://weekly-bot:${encodeURIComponent(PASSWORD)}@127.0.0.1:1/weekly?authSource=admin`;
const FAST = { serverSelectionTimeoutMS: 200, retry: { initialDelayMs: 100, maxDelayMs: 400 } };

function capturingLogger(): { logger: Logger; lines: () => Array<{ level: number; msg: string }>; text: () => string } {
  const raw: string[] = [];
  const logger = createLogger('store', { level: 'debug', destination: { write: (line: string) => void raw.push(line) } });
  return {
    logger,
    lines: () => raw.map((line) => JSON.parse(line) as { level: number; msg: string }),
    text: () => raw.join(''),
  };
}

describe('connecting to MongoDB', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('logs a retry line for an unreachable server, gives up when told to, and never logs the password', async () => {
    const log = capturingLogger();
    const started = Date.now();
    await expect(
      MongoStore.connect(UNREACHABLE, { logger: log.logger, platforms: PLATFORM_NAMES, ...FAST, retry: { ...FAST.retry, maxAttempts: 3 } }),
    ).rejects.toThrow(/^MongoDB unreachable at mongodb:\/\/127\.0\.0\.1:1\/weekly \(gave up after 3 attempts\)/);
    expect(Date.now() - started).toBeLessThan(10_000);

    const messages = log.lines().map((l) => l.msg);
    expect(messages).toEqual([
      'MongoDB unreachable at mongodb://127.0.0.1:1/weekly, retrying in 0.1s',
      'MongoDB unreachable at mongodb://127.0.0.1:1/weekly, retrying in 0.2s',
      'MongoDB unreachable at mongodb://127.0.0.1:1/weekly, gave up after 3 attempts',
    ]);
    expect(log.text()).not.toContain('hunter2');
    expect(log.text()).not.toContain(encodeURIComponent(PASSWORD));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });

  it('keeps retrying with backoff until aborted', async () => {
    const log = capturingLogger();
    const abort = new AbortController();
    const connecting = MongoStore.connect(UNREACHABLE, { logger: log.logger, platforms: PLATFORM_NAMES, ...FAST, signal: abort.signal });
    // Without maxAttempts it would go on for ever; wait for a few retries, then stop it.
    while (log.lines().filter((l) => l.msg.includes('retrying')).length < 4) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    abort.abort();
    await expect(connecting).rejects.toThrow(/gave up \(aborted\)/);
    const delays = log
      .lines()
      .map((l) => /retrying in ([\d.]+)s/.exec(l.msg)?.[1])
      .filter(Boolean);
    expect(delays.slice(0, 4)).toEqual(['0.1', '0.2', '0.4', '0.4']);
    expect(log.text()).not.toContain('hunter2');
    expect(unhandled).toEqual([]);
  });

  it('describes a URI without its credentials or options', () => {
    expect(describeMongoUri('mongodb://u:p%40ss@db1:27017,db2:27017/weekly?authSource=admin&tlsCertificateKeyFilePassword=x')).toBe(
      'mongodb://db1:27017,db2:27017/weekly',
    );
    expect(describeMongoUri('mongodb+srv://u:pa@ss/word@cluster0.example.net/')).toBe('mongodb+srv://cluster0.example.net/');
    expect(describeMongoUri('mongodb://127.0.0.1:27017')).toBe('mongodb://127.0.0.1:27017');
  });
});

describe('openStore', () => {
  it('falls back to MemoryStore and says that data is lost on exit', async () => {
    const log = capturingLogger();
    const store = await openStore({ logger: log.logger, platforms: PLATFORM_NAMES });
    expect(store).toBeInstanceOf(CachingStore);
    expect(store.inner).toBeInstanceOf(MemoryStore);
    expect(store.describe()).toMatchObject({ durable: false, warning: MEMORY_STORE_WARNING });
    expect(log.lines()).toEqual([expect.objectContaining({ level: 40, msg: MEMORY_STORE_WARNING })]);
    await store.close();
  });

  it('opens MongoStore when a URI is given', async () => {
    const log = capturingLogger();
    const uri = testDatabaseUri('open_store');
    const store = await openStore({ mongoUri: uri, logger: log.logger, platforms: PLATFORM_NAMES });
    expect(store).toBeInstanceOf(CachingStore);
    expect(store.inner).toBeInstanceOf(MongoStore);
    expect(store.describe()).toMatchObject({ kind: 'mongo', durable: true });
    expect(log.text()).not.toContain(MEMORY_STORE_WARNING);
    await (store.inner as MongoStore).connection.dropDatabase();
    await store.close();
  });

  it('logs a lost and a restored connection, and an error event without crashing', async () => {
    const log = capturingLogger();
    const store = (await openStore({ mongoUri: testDatabaseUri('events'), logger: log.logger, platforms: PLATFORM_NAMES })).inner as MongoStore;
    const { connection } = store;
    // What the driver's monitoring reports when the server goes away and comes back.
    connection.emit('disconnected');
    connection.emit('reconnected');
    connection.emit('error', new Error('socket closed, mongodb://bot:pa55word@db:27017'));
    const where = store.describe().location;
    expect(log.lines().slice(-3)).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringMatching(new RegExp(`^MongoDB connection to ${where} lost`)) }),
      expect.objectContaining({ level: 30, msg: `MongoDB connection to ${where} restored` }),
      expect.objectContaining({ level: 50, msg: `MongoDB error at ${where}`, reason: 'socket closed, mongodb://bot:***@db:27017' }),
    ]);
    const before = log.lines().length;
    await connection.dropDatabase();
    await store.close();
    // A deliberate close is not "connection lost".
    expect(
      log
        .lines()
        .slice(before)
        .filter((l) => l.msg.includes('lost')),
    ).toEqual([]);
  });
});

describe('createLogger redaction', () => {
  it('masks secret-looking fields and URI credentials in messages, fields and errors', () => {
    const log = capturingLogger();
    const error = new Error('connect failed for mongodb://bot:pa55word@db:27017/x');
    log.logger.info(
      {
        token: 'xoxb-123',
        config: { slack: { signingSecret: 'abc', appToken: 'xapp-1' }, feishu: { appSecret: 'def' } },
        headers: { Authorization: 'Bearer qwe' },
        mongoUri: 'mongodb://bot:pa55word@db:27017/x',
        channel: 'C01',
        err: error,
      },
      'using mongodb://bot:pa55word@db:27017/x',
    );
    const text = log.text();
    for (const secret of ['xoxb-123', 'abc"', 'xapp-1', 'def"', 'qwe', 'pa55word']) expect(text).not.toContain(secret);
    const line = JSON.parse(text) as Record<string, unknown>;
    expect(line).toMatchObject({
      msg: 'using mongodb://bot:***@db:27017/x',
      token: '[Redacted]',
      config: { slack: { signingSecret: '[Redacted]', appToken: '[Redacted]' }, feishu: { appSecret: '[Redacted]' } },
      headers: { Authorization: '[Redacted]' },
      mongoUri: 'mongodb://bot:***@db:27017/x',
      channel: 'C01',
      err: { message: 'connect failed for mongodb://bot:***@db:27017/x' },
    });
  });

  it('is silent under vitest unless a level is given', () => {
    expect(createLogger('quiet').level).toBe(process.env.LOG_LEVEL ?? 'silent');
  });
});
