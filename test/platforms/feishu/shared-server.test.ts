import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { createFeishuRuntime, FEISHU_WEBHOOK_PATHS } from '../../../src/platforms/feishu/index.ts';
import type { InboundHandlers } from '../../../src/platforms/runtime.ts';
import { FakeFeishuOpenApi } from '../../fakes/feishu-open-api.ts';
import { menuClicked, postToFeishuWebhook, urlVerification } from '../../fakes/feishu-webhook.ts';
import { APP } from './harness.ts';
import { Inbound } from '../../../src/platforms/inbound.ts';

/**
 * Slack in HTTP mode and Feishu in webhook mode share the one PORT: Feishu's listener is mounted
 * on the other server for its own paths (/feishu/events, /feishu/card) instead of listening itself.
 */
describe('the Feishu webhook on a shared server', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('answers on the other server’s port, and only once the runtime has started', async () => {
    const fake = new FakeFeishuOpenApi({ appId: APP.appId, appSecret: APP.appSecret });
    await fake.start();
    cleanup.push(() => fake.stop());
    const runtime = createFeishuRuntime(
      { appId: APP.appId, appSecret: APP.appSecret, domain: fake.url, transport: { mode: 'webhook', port: 0, encryptKey: APP.encryptKey, verificationToken: APP.verificationToken } },
      { logger: createLogger('feishu-shared'), listen: false },
    );
    const feishu = runtime.webhookListener();
    // Stands for Slack's receiver: it serves its own paths and hands Feishu's to Feishu.
    const server: Server = createServer((req, res) => {
      if ((FEISHU_WEBHOOK_PATHS as readonly string[]).includes(req.url ?? '')) return feishu(req, res);
      res.writeHead(200).end('slack');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

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
    expect(runtime.webhookUrl()).toBeNull();
    expect(await postToFeishuWebhook(base, APP, urlVerification(APP, 'c-1'), { unsigned: true })).toEqual({ status: 200, body: { challenge: 'c-1' } });
    expect((await postToFeishuWebhook(base, APP, menuClicked(APP, 'ou_someone', 'weekly_report_status'))).status).toBe(200);
    await runtime.idle();
    expect(commands).toEqual(['status']);
    expect(await (await fetch(`${base}/slack/events`)).text()).toBe('slack');
  });
});
