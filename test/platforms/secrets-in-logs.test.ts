import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpServer } from '../../src/http/server.ts';
import { createLogger, scrubText, type Logger } from '../../src/log.ts';
import { createFeishuRuntime } from '../../src/platforms/feishu/app.ts';
import { Inbound } from '../../src/platforms/inbound.ts';
import type { InboundHandlers } from '../../src/platforms/runtime.ts';
import { createSlackRuntime } from '../../src/platforms/slack/app.ts';
import { MongoStore } from '../../src/store/index.ts';
import { PLATFORM_NAMES } from '../../src/platforms/modules.ts';
import { FakeFeishuOpenApi } from '../fakes/feishu-open-api.ts';
import { menuClicked, messageReceived, postToFeishuWebhook } from '../fakes/feishu-webhook.ts';
import { FakeSlackApi, signedPost } from '../fakes/slack-api.ts';
import { eventEnvelope, FORM_TYPE, JSON_TYPE, slashCommandBody } from '../fakes/slack-payloads.ts';

/**
 * Every secret the bot is given, each distinct and long enough that a match cannot be chance. The
 * runtimes are driven through what fails in production (a revoked token, a wrong app secret,
 * forged and stale requests, an API that is down, a handler that throws, a database that refuses
 * the connection) with every line logged at trace level, and the lines are searched for each
 * secret, also URL-encoded and in base64.
 */
const SECRETS = {
  slackBotToken: 'xoxb-1111111111-2222222222-LeakCanarySlackBotTok',
  slackSigningSecret: 'c0ffee5ecret51gn1ngLeakCanary0123',
  feishuAppSecret: 'FeishuAppSecretLeakCanary987654',
  feishuEncryptKey: 'FeishuEncryptKeyLeakCanary24680',
  feishuVerificationToken: 'FeishuVerifyTokLeakCanary13579',
  mongoPassword: 'M0ngoPa55w0rd-LeakCanary',
};

/** A logger at trace level that keeps every line. */
function traceLogger(name: string, lines: string[]): Logger {
  return createLogger(name, { level: 'trace', destination: { write: (line: string) => void lines.push(line) } });
}

/** Handlers that fail the way a bug or a lost database would: by throwing. */
function crashingHandlers(): InboundHandlers {
  const crash = async () => {
    throw new Error('handler crashed');
  };
  return { onReply: crash, onCommand: crash, openForm: crash, checkForm: () => null, firstDelivery: async () => true };
}

function expectNoSecret(lines: string[]): void {
  const text = lines.join('\n');
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), secret.slice(0, 16)]) {
      expect(text.includes(form), `${name} (${form}) appears in the log`).toBe(false);
    }
  }
}

describe('secrets never reach the log, at any level', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => {});
  });

  it('Slack: a revoked bot token, forged and stale requests, a crashing handler, an API that is down', async () => {
    const lines: string[] = [];
    const logger = traceLogger('slack-secrets', lines);
    // The fake accepts another token: every Web API call answers invalid_auth.
    const fake = await FakeSlackApi.start({ token: 'xoxb-the-one-the-fake-accepts' });
    cleanup.push(() => fake.close());
    const config = { botToken: SECRETS.slackBotToken, apiUrl: fake.apiUrl, transport: { mode: 'http' as const, signingSecret: SECRETS.slackSigningSecret } };

    // auth.test at start fails: the error names the variable, not its value.
    const refused = createSlackRuntime(config, { logger, retryConfig: { retries: 0 } });
    await expect(refused.start(new Inbound(crashingHandlers(), { logger }))).rejects.toThrow(/SLACK_BOT_TOKEN/);

    const runtime = createSlackRuntime(config, { logger, retryConfig: { retries: 0 }, botUserId: 'UBOT', botId: 'BBOT' });
    const server = await HttpServer.start(runtime.routes(), { port: 0, host: '127.0.0.1', logger });
    cleanup.push(() => server.close());
    await runtime.start(new Inbound(crashingHandlers(), { logger }));
    cleanup.push(() => runtime.stop());
    const url = server.url('/slack/events');

    // A signed command whose handler throws; an event; forged, stale and future-dated requests.
    const command = slashCommandBody(fake, { user: 'U0000000001', channel: 'C0000000001', text: 'publish' });
    expect((await signedPost(url, command, FORM_TYPE, SECRETS.slackSigningSecret)).status).toBe(200);
    const event = eventEnvelope(fake, {
      type: 'message',
      channel: 'D0000000001',
      channel_type: 'im',
      user: 'U0000000001',
      text: 'hi',
      ts: '1717400000.000100',
    });
    expect((await signedPost(url, event, JSON_TYPE, SECRETS.slackSigningSecret)).status).toBe(200);
    expect((await signedPost(url, command, FORM_TYPE, 'not-the-signing-secret')).status).toBe(401);
    expect((await signedPost(url, command, FORM_TYPE, SECRETS.slackSigningSecret, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    expect((await signedPost(url, command, FORM_TYPE, SECRETS.slackSigningSecret, { timestamp: Math.floor(Date.now() / 1000) + 3600 })).status).toBe(401);
    await runtime.idle();

    // Sends with the revoked token, and to an API that is not there.
    await expect(runtime.platform.sendDirect('U0000000001', { text: 'hello' })).rejects.toThrow();
    const down = createSlackRuntime({ ...config, apiUrl: 'http://127.0.0.1:1/api/' }, { logger, retryConfig: { retries: 0 }, timeoutMs: 2_000 });
    await expect(down.platform.sendDirect('U0000000001', { text: 'hello' })).rejects.toThrow();

    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((l) => l.includes('handler crashed'))).toBe(true);
    expectNoSecret(lines);
  });

  it('Feishu: a wrong app secret, forged webhook requests, a crashing handler', async () => {
    const lines: string[] = [];
    const logger = traceLogger('feishu-secrets', lines);
    const app = { appId: 'cli_leak_canary', encryptKey: SECRETS.feishuEncryptKey, verificationToken: SECRETS.feishuVerificationToken };
    // The fake knows another secret: the tenant token is refused, and every call with it.
    const fake = new FakeFeishuOpenApi({ appId: app.appId, appSecret: 'the-secret-the-fake-accepts' });
    await fake.start();
    cleanup.push(() => fake.stop());
    const runtime = createFeishuRuntime(
      {
        appId: app.appId,
        appSecret: SECRETS.feishuAppSecret,
        domain: fake.url,
        transport: { mode: 'webhook', encryptKey: app.encryptKey, verificationToken: app.verificationToken },
      },
      { logger, rateLimit: { maxRetries: 0 } },
    );
    const server = await HttpServer.start(runtime.routes(), { port: 0, host: '127.0.0.1', logger });
    cleanup.push(() => server.close());
    await runtime.start(new Inbound(crashingHandlers(), { logger }));
    cleanup.push(() => runtime.stop());
    const base = server.url();

    const message = fake.userWrites('ou_leak_canary', { msgType: 'text', content: JSON.stringify({ text: 'status' }) });
    expect((await postToFeishuWebhook(base, app, messageReceived(app, message))).status).toBe(200);
    expect((await postToFeishuWebhook(base, app, menuClicked(app, 'ou_leak_canary', 'weekly_report_publish'))).status).toBe(200);
    expect((await postToFeishuWebhook(base, app, menuClicked(app, 'ou_leak_canary', 'weekly_report_status'), { signature: 'f'.repeat(64) })).status).toBe(401);
    expect(
      (await postToFeishuWebhook(base, app, menuClicked(app, 'ou_leak_canary', 'weekly_report_status'), { encryptWith: 'another-key-entirely' })).status,
    ).toBe(401);
    expect(
      (
        await postToFeishuWebhook(
          base,
          { ...app, verificationToken: 'another-token' },
          menuClicked({ ...app, verificationToken: 'another-token' }, 'ou_x', 'weekly_report_status'),
        )
      ).status,
    ).toBe(401);
    expect(
      (await postToFeishuWebhook(base, app, menuClicked(app, 'ou_leak_canary', 'weekly_report_status'), { timestamp: Math.floor(Date.now() / 1000) + 3600 }))
        .status,
    ).toBe(401);
    await runtime.idle();

    await expect(runtime.platform.sendDirect('ou_leak_canary', { text: 'hello' })).rejects.toThrow();

    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((l) => l.includes('handler crashed'))).toBe(true);
    expectNoSecret(lines);
  });

  it('MongoDB: a connection string whose server refuses, at trace level', async () => {
    const lines: string[] = [];
    const logger = traceLogger('mongo-secrets', lines);
    const uri = `mongodb://weekly-bot:${encodeURIComponent(SECRETS.mongoPassword)}@127.0.0.1:1/weekly?authSource=admin`;
    const error = await MongoStore.connect(uri, {
      logger,
      platforms: PLATFORM_NAMES,
      serverSelectionTimeoutMS: 200,
      retry: { initialDelayMs: 50, maxDelayMs: 100, maxAttempts: 2 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    // What main.ts does with a start-up failure: log it and exit.
    logger.fatal({ err: error }, 'could not start');
    expect(lines.length).toBeGreaterThan(1);
    expect(`${(error as Error).message}\n${(error as Error).stack ?? ''}`).not.toContain(SECRETS.mongoPassword);
    expectNoSecret(lines);
  });
});

describe('what the log masks in text', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('masks secret-named pairs in JSON (escaped at any depth), query strings and headers, and Slack tokens', () => {
    const lines: string[] = [];
    const logger = traceLogger('text', lines);
    // As the Feishu SDK logs a failed token request: the request as JSON inside the message.
    logger.error(JSON.stringify([{ config: { data: JSON.stringify({ app_id: 'cli_1', app_secret: 'plain-app-secret-1' }) } }]));
    logger.debug('http request url: https://slack.test/api/chat.postMessage?token=xoxb-1-2-three&channel=C01');
    logger.debug('headers: {"Authorization":"Bearer t-tenant-token-4"} Cookie: session-cookie-5');
    logger.warn({ detail: 'retrying with xapp-1-A01-6-seven' }, 'Socket Mode');
    const text = lines.join('');
    for (const secret of ['plain-app-secret-1', 'xoxb-1-2-three', 't-tenant-token-4', 'session-cookie-5', 'xapp-1-A01-6-seven'])
      expect(text).not.toContain(secret);
    // Still one JSON object per line, and what is not secret is kept.
    expect(lines.map((l) => JSON.parse(l) as { msg: string }).map((l) => l.msg)).toEqual([
      '[{"config":{"data":"{\\"app_id\\":\\"cli_1\\",\\"app_secret\\":\\"***\\"}"}}]',
      'http request url: https://slack.test/api/chat.postMessage?token=***&channel=C01',
      'headers: {"Authorization":"***"} Cookie: ***',
      'Socket Mode',
    ]);
  });

  it('leaves JSON numbers and flags, file positions and plain words in text alone', () => {
    const lines: string[] = [];
    traceLogger('text', lines).info('token manager is ready at secrets-in-logs.test.ts:39:11');
    expect((JSON.parse(lines[0]!) as { msg: string }).msg).toBe('token manager is ready at secrets-in-logs.test.ts:39:11');
    expect(scrubText('{"tokens":3,"hasToken":true}')).toBe('{"tokens":3,"hasToken":true}');
  });

  it('masks the value of a secret-named environment variable wherever it appears, and a password in a URI there', () => {
    vi.stubEnv('FEISHU_ENCRYPT_KEY', 'enc"key\\with-quotes-8');
    vi.stubEnv('MONGODB_URI', `mongodb://bot:${encodeURIComponent('p@ss word/9')}@db:27017/weekly`);
    vi.stubEnv('PWD', '/work/main');
    const lines: string[] = [];
    const logger = traceLogger('env', lines);
    logger.error({ err: new Error('decrypt failed with enc"key\\with-quotes-8'), raw: JSON.stringify({ k: 'enc"key\\with-quotes-8' }) }, 'at /work/main/src');
    logger.warn(`login failed for p@ss word/9 (${encodeURIComponent('p@ss word/9')})`);
    const text = lines.join('');
    for (const secret of ['enc"key', 'enc\\"key', 'p@ss word/9', encodeURIComponent('p@ss word/9')]) expect(text).not.toContain(secret);
    // The working directory is not a secret, though its variable's name looks like "pwd".
    expect(text).toContain('at /work/main/src');
  });
});
