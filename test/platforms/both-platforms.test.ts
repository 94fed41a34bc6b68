import { afterEach, describe, expect, it } from 'vitest';
import type { BotContext } from '../../src/bot/context.ts';
import { inboundHandlers } from '../../src/app.ts';
import { loadTeamById } from '../../src/config/definitions.ts';
import { createLogger } from '../../src/log.ts';
import { MemoryStore } from '../../src/store/index.ts';
import { FakeFeishuOpenApi } from '../fakes/feishu-open-api.ts';
import { menuClicked, postToFeishuWebhook } from '../fakes/feishu-webhook.ts';
import { FakeSlackApi, signedPost } from '../fakes/slack-api.ts';
import { FORM_TYPE, slashCommandBody } from '../fakes/slack-payloads.ts';
import { FakeClock } from '../support/bot.ts';
import { APP } from './feishu/harness.ts';
import { PLATFORM_MODULES } from '../../src/platforms/modules.ts';
import { Inbound } from '../../src/platforms/inbound.ts';
import { freePort } from '../support/free-port.ts';
import { serveConfigured } from '../support/platform-server.ts';

const SLACK_TOKEN = 'xoxb-0000-both-platforms';
const SLACK_SECRET = 'both-platforms-signing-secret';

describe('Slack and Feishu in one process', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('serves Slack’s events and Feishu’s webhook on the one PORT, each verified as its platform does', async () => {
    const slackApi = await FakeSlackApi.start({ token: SLACK_TOKEN });
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

    const { runtimes, server } = await serveConfigured(source, createLogger('both'));
    cleanup.push(() => server.close());
    expect(runtimes.map((r) => r.platform.name)).toEqual(['slack', 'feishu']);
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const ctx: BotContext = {
      teams: [team],
      store: new MemoryStore(),
      modules: PLATFORM_MODULES,
      platforms: Object.fromEntries(runtimes.map((r) => [r.platform.name, r.platform])),
      clock: new FakeClock(new Date('2024-06-05T10:00:00+08:00')),
      logger: createLogger('both'),
    };
    for (const runtime of runtimes) {
      await runtime.start(new Inbound(inboundHandlers(ctx, 'both'), { logger: ctx.logger }));
      cleanup.push(() => runtime.stop());
    }
    const base = `http://127.0.0.1:${port}`;

    // Slack: a signed slash command is answered over response_url; an unsigned one is refused.
    const command = slashCommandBody(slackApi, { user: 'U0000000099', channel: 'D0000000099', text: 'help' });
    expect((await signedPost(`${base}/slack/events`, command, FORM_TYPE, SLACK_SECRET)).status).toBe(200);
    expect((await signedPost(`${base}/slack/events`, command, FORM_TYPE, SLACK_SECRET, { unsigned: true })).status).toBe(401);
    await expect.poll(() => slackApi.responses.length).toBe(1);
    expect(JSON.stringify(slackApi.responses[0]!.body)).toContain('week 2024-W22');

    // Feishu: an encrypted, signed menu event on the same port runs the command; a badly signed one is refused.
    const menu = menuClicked(APP, 'ou_placeholder_99', 'weekly_report_status');
    expect((await postToFeishuWebhook(base, APP, menu, { signature: 'f'.repeat(64) })).status).toBe(401);
    expect((await postToFeishuWebhook(base, APP, menu)).status).toBe(200);
    await expect.poll(() => feishuApi.callsTo('im.v1.message.create').length).toBeGreaterThan(0);
    expect(JSON.stringify(feishuApi.callsTo('im.v1.message.create').at(-1))).toContain('2024-W23');
  });
});
