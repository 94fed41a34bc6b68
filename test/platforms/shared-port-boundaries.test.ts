import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Health } from '../../src/health/health.ts';
import { healthRoutes } from '../../src/health/server.ts';
import { MAX_BODY_BYTES } from '../../src/http/limits.ts';
import { createLogger } from '../../src/log.ts';
import { Inbound } from '../../src/platforms/inbound.ts';
import type { InboundHandlers } from '../../src/platforms/runtime.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { FakeFeishuOpenApi } from '../fakes/feishu-open-api.ts';
import { menuClicked, postToFeishuWebhook } from '../fakes/feishu-webhook.ts';
import { postOversized } from '../fakes/oversized-body.ts';
import { FakeSlackApi, signedPost } from '../fakes/slack-api.ts';
import { eventEnvelope, FORM_TYPE, JSON_TYPE, slashCommandBody } from '../fakes/slack-payloads.ts';
import { APP } from './feishu/harness.ts';
import { freePort } from '../support/free-port.ts';
import { serveConfigured } from '../support/platform-server.ts';

const SLACK_TOKEN = 'xoxb-0000-shared-port';
const SLACK_SECRET = 'shared-port-signing-secret-0123';

/**
 * Slack's (HTTP) and Feishu's (webhook) routes on the bot's one server on PORT, as src/main.ts
 * sets them up: each path is verified as its own platform signs, so a request verified by one
 * platform is refused by the other's path, and every path refuses an oversized body while reading it.
 */
describe('both platforms’ routes on one server: each path trusts only its own platform', () => {
  const cleanup: (() => Promise<void>)[] = [];
  const ran: string[] = [];
  let base = '';
  let slackApi: FakeSlackApi;

  beforeAll(async () => {
    slackApi = await FakeSlackApi.start({ token: SLACK_TOKEN });
    cleanup.push(() => slackApi.close());
    const feishuApi = new FakeFeishuOpenApi({ appId: APP.appId, appSecret: APP.appSecret });
    await feishuApi.start();
    cleanup.push(() => feishuApi.stop());
    const port = await freePort();
    const source = {
      PORT: String(port),
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: slackApi.apiUrl,
      FEISHU_APP_ID: APP.appId,
      FEISHU_APP_SECRET: APP.appSecret,
      FEISHU_DOMAIN: feishuApi.url,
      FEISHU_EVENT_MODE: 'webhook',
      FEISHU_ENCRYPT_KEY: APP.encryptKey,
      FEISHU_VERIFICATION_TOKEN: APP.verificationToken,
    };
    const logger = createLogger('shared-port');
    const health = new Health({ logger });
    health.watchStore(new MemoryStore());
    health.setReady(true);
    const { runtimes, server } = await serveConfigured(source, logger, healthRoutes(health, logger));
    cleanup.push(() => server.close());
    const record = (what: string) => async () => {
      ran.push(what);
    };
    const handlers: InboundHandlers = {
      onReply: record('reply'),
      onCommand: record('command'),
      openForm: async () => {
        ran.push('form');
        return { refusal: { text: 'no' } };
      },
      checkForm: () => null,
      firstDelivery: async () => true,
    };
    for (const runtime of runtimes) {
      await runtime.start(new Inbound(handlers, { logger }));
      cleanup.push(() => runtime.stop());
    }
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('refuses a validly signed Slack request on Feishu’s paths', async () => {
    const event = eventEnvelope(slackApi, {
      type: 'message',
      channel: 'D0000000001',
      channel_type: 'im',
      user: 'U0000000001',
      text: '1. done',
      ts: '1717400000.000100',
    });
    const command = slashCommandBody(slackApi, { user: 'U0000000001', channel: 'C0000000001', text: 'publish' });
    expect((await signedPost(`${base}/feishu/events`, event, JSON_TYPE, SLACK_SECRET)).status).toBe(401);
    expect((await signedPost(`${base}/feishu/card`, event, JSON_TYPE, SLACK_SECRET)).status).toBe(401);
    // A form body is not even JSON to Feishu's check.
    expect((await signedPost(`${base}/feishu/events`, command, FORM_TYPE, SLACK_SECRET)).status).toBe(400);
    expect(ran).toEqual([]);
    // The same requests are good on Slack's path.
    expect((await signedPost(`${base}/slack/events`, command, FORM_TYPE, SLACK_SECRET)).status).toBe(200);
    await expect.poll(() => ran).toEqual(['command']);
    ran.length = 0;
  });

  it('refuses a valid Feishu request on Slack’s path', async () => {
    const menu = menuClicked(APP, 'ou_someone', 'weekly_report_publish');
    expect((await postToFeishuWebhook(base, APP, menu, { path: '/slack/events' })).status).toBe(401);
    expect((await postToFeishuWebhook(base, APP, menu, { path: '/slack/events', plain: true })).status).toBe(401);
    expect(ran).toEqual([]);
    // The same request is good on Feishu's path.
    expect((await postToFeishuWebhook(base, APP, menu)).status).toBe(200);
    await expect.poll(() => ran).toEqual(['command']);
    ran.length = 0;
  });

  it('answers 413 on every path to a body over the limit, declared or chunked', async () => {
    for (const path of ['/slack/events', '/feishu/events', '/feishu/card', '/healthz', '/elsewhere']) {
      for (const declareLength of [true, false]) {
        const answer = await postOversized(`${base}${path}`, { bytes: 64 * MAX_BODY_BYTES, declareLength });
        expect([path, declareLength, answer.status]).toEqual([path, declareLength, 413]);
      }
    }
    expect(ran).toEqual([]);
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: 'ok' });
  });
});
