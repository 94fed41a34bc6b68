import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { FeishuPlatform } from '../../../src/platforms/feishu/client-platform.ts';
import type { OutgoingMessage } from '../../../src/platforms/platform.ts';
import { FakeFeishuOpenApi } from '../../fakes/feishu-open-api.ts';

const OWNER = 'ou_owner_o1';
const KEY = 'prompt:payments-weekly:2024-W23:o1:owner-o1';
const silent = () => {};
const quiet = { error: silent, warn: silent, info: silent, debug: silent, trace: silent };
const prompt = (section: string): OutgoingMessage => ({
  text: `📝 支付中心周报 2024-W23：请填写 ${section}，截止 6月7日 17:00。\n\n上周没有内容，请直接填写。`,
  answerForm: { teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', title: section, prefill: '', locale: 'zh-CN' },
});

/** Whether a send whose outcome is unknown reached the p2p chat, read back with im.v1.message.list (issue #14). */
describe('FeishuPlatform.findSentDirect', () => {
  let fake: FakeFeishuOpenApi;
  // A new platform each time, as a restarted process has: it knows no p2p chat.
  const platform = () =>
    new FeishuPlatform(new lark.Client({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, cache: new lark.DefaultCache(), logger: quiet }), {
      logger: createLogger('test'),
    });
  beforeEach(async () => {
    fake = new FakeFeishuOpenApi();
    fake.addUser({ open_id: OWNER, name: 'Owner O1' });
    await fake.start();
  });
  afterEach(async () => {
    await fake?.stop();
  });

  it('finds the bot’s card by its text in the chat, paging through the chat’s messages', async () => {
    const since = new Date(Date.now() - 60_000);
    const sent = await platform().sendDirect(OWNER, prompt('【O1 业务服务】'), { idempotencyKey: KEY });
    await platform().sendDirect(OWNER, prompt('【O2 能力升级】'), { idempotencyKey: `${KEY}-other` });
    // The owner's own messages before and after, one quoting the prompt's first line.
    for (let i = 0; i < 60; i++)
      fake.userWrites(OWNER, { msgType: 'text', content: JSON.stringify({ text: i === 0 ? prompt('【O1 业务服务】').text : `第 ${i} 条` }) });

    const lookup = { idempotencyKey: KEY, message: prompt('【O1 业务服务】'), since };
    // A restarted process does not know the chat: it cannot look (a resend with the same key is
    // then deduplicated by Feishu's uuid for an hour).
    expect(await platform().findSentDirect(OWNER, lookup)).toBeNull();
    expect(fake.callsTo('im.v1.message.list')).toHaveLength(0);

    // Knowing the chat (from another message to the owner), it finds the card, on the first page here.
    expect(await platform().findSentDirect(OWNER, { ...lookup, channel: sent.channel })).toEqual(sent);
    // The process that sent it knows the chat itself; a card sent later than it is found on the second page.
    const sender = platform();
    const late = await sender.sendDirect(OWNER, prompt('【O3 平台治理】'), { idempotencyKey: `${KEY}-late` });
    expect(await sender.findSentDirect(OWNER, { ...lookup, message: prompt('【O3 平台治理】') })).toEqual(late);
    const pages = fake.callsTo('im.v1.message.list');
    expect(pages.at(-1)!.query.page_token).toBeTruthy();
    expect(pages.every((c) => c.query.container_id_type === 'chat' && c.query.container_id === sent.channel)).toBe(true);

    expect(await sender.findSentDirect(OWNER, { ...lookup, message: prompt('【O4 支付 × AI】') })).toBeNull();
  });

  it('resending with the same key within the hour gives back the message Feishu already has', async () => {
    const sent = await platform().sendDirect(OWNER, prompt('【O1 业务服务】'), { idempotencyKey: KEY });
    const again = await platform().sendDirect(OWNER, prompt('【O1 业务服务】'), { idempotencyKey: KEY });
    expect(again).toEqual(sent);
    expect(fake.chatMessages(fake.p2pChatOf(OWNER).chat_id)).toHaveLength(1);
  });
});
