import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer, type HttpRoute } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/log.ts';
import { createFeishuRuntime, FEISHU_WEBHOOK_PATHS } from '../../../src/platforms/feishu/index.ts';
import type { InboundHandlers } from '../../../src/platforms/runtime.ts';
import { FakeFeishuOpenApi } from '../../fakes/feishu-open-api.ts';
import { menuClicked, postToFeishuWebhook, urlVerification } from '../../fakes/feishu-webhook.ts';
import { APP } from './harness.ts';
import { Inbound } from '../../../src/platforms/inbound.ts';

/**
 * Feishu's webhook is a pair of routes (/feishu/events, /feishu/card) on the bot's one server,
 * beside whatever else it serves (Slack's events, /healthz): the runtime listens on nothing itself.
 */
describe('the Feishu webhook on the bot’s server', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('answers on the server’s port beside the other routes, and only once the runtime has started', async () => {
    const fake = new FakeFeishuOpenApi({ appId: APP.appId, appSecret: APP.appSecret });
    await fake.start();
    cleanup.push(() => fake.stop());
    const runtime = createFeishuRuntime(
      {
        appId: APP.appId,
        appSecret: APP.appSecret,
        domain: fake.url,
        transport: { mode: 'webhook', encryptKey: APP.encryptKey, verificationToken: APP.verificationToken },
      },
      { logger: createLogger('feishu-shared') },
    );
    const routes = runtime.routes();
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(FEISHU_WEBHOOK_PATHS.map((path) => `POST ${path}`));
    // A route standing for another platform's, on the same server.
    const slack: HttpRoute = { path: '/slack/events', method: 'GET', handler: (_req, res) => res.end('slack') };
    const server = await HttpServer.start([slack, ...routes], { port: 0, host: '127.0.0.1', logger: createLogger('feishu-shared') });
    cleanup.push(() => server.close());
    const base = server.url();

    const commands: string[] = [];
    const handlers: InboundHandlers = {
      onReply: async () => {},
      onCommand: async (command) => {
        commands.push(command.text);
      },
      openForm: async () => ({ refusal: { text: 'no form' } }),
      checkForm: () => null,
      firstDelivery: async () => true,
    };
    const early = await postToFeishuWebhook(base, APP, menuClicked(APP, 'ou_someone', 'weekly_report_status'));
    expect(early.status).toBe(503);

    await runtime.start(new Inbound(handlers, { logger: createLogger('shared-server') }));
    cleanup.push(() => runtime.stop());
    expect(await postToFeishuWebhook(base, APP, urlVerification(APP, 'c-1'), { unsigned: true })).toEqual({ status: 200, body: { challenge: 'c-1' } });
    expect((await postToFeishuWebhook(base, APP, menuClicked(APP, 'ou_someone', 'weekly_report_status'))).status).toBe(200);
    await runtime.idle();
    expect(commands).toEqual(['status']);
    expect(await (await fetch(`${base}/slack/events`)).text()).toBe('slack');
  });
});
