import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formAnswerText, FORM_INPUT_MAX_CHARS, FEISHU_CARD_LIMIT_BYTES } from '../../../src/platforms/feishu/cards.ts';
import type { CompiledReport } from '../../../src/report/compile.ts';
import { seedReply } from '../../support/bot.ts';
import { APP, formInputsOf, markdownOf, startFeishuHarness, STRANGER, textOf, type FeishuHarness } from './harness.ts';

const GROUP = 'oc_placeholder_1';
const silent = () => {};
const quiet = { error: silent, warn: silent, info: silent, debug: silent, trace: silent };

/** A report far over one card: 60 sections of 30 long Chinese items each. */
function longReport(): CompiledReport {
  const sections = Array.from({ length: 60 }, (_, s) => {
    const items = Array.from(
      { length: 30 },
      (_, i) => `${i + 1}. 第 ${s + 1} 部分第 ${i + 1} 项：支付链路出金测试方案梳理，输出出金安全的QA验证点；入金&退款安全梳理中。`,
    );
    return `## 【部分 ${s + 1}】\n\n${items.join('\n')}`;
  });
  const markdown = `# 2024-W23\n\nCreated: 2024年6月4日 15:34\n\n${sections.join('\n\n')}`;
  return { teamId: 'payments-weekly', week: '2024-W23', title: '2024-W23', created: '2024年6月4日 15:34', sections: [], markdown };
}

/** The outbound side against the fake Open API: cards, sizes, idempotency, files, people. */
describe('FeishuPlatform', () => {
  let bot: FeishuHarness;
  beforeAll(async () => {
    // Pacing is tested in rate-limit.test.ts; here it would only slow the long report down.
    bot = await startFeishuHarness('feishu_platform', { rateLimit: { perReceiverQps: 100, appQps: 1000 } });
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('renders a long report as cards that each fit under 30 KB, without cutting an item', async () => {
    const report = longReport();
    expect(Buffer.byteLength(report.markdown)).toBeGreaterThan(4 * FEISHU_CARD_LIMIT_BYTES);
    const parts = bot.runtime.platform.renderReport(report);
    expect(parts.length).toBeGreaterThan(4);
    expect(parts.map((p) => p.markdown).join('\n\n')).toBe(report.markdown);
    const lines = new Set(report.markdown.split('\n'));
    for (const part of parts) for (const line of part.markdown!.split('\n')) expect(lines.has(line)).toBe(true);

    const header = await bot.runtime.platform.postToChannel(GROUP, { text: 'header' });
    for (const part of parts) await bot.runtime.platform.replyInThread(header, part);
    const thread = bot.fake.threadOf(header.messageId);
    expect(thread.map(markdownOf).join('\n\n')).toBe(report.markdown);
    const replies = bot.fake.callsTo('im.v1.message.reply');
    expect(replies.every((c) => c.code === 0 && c.size <= FEISHU_CARD_LIMIT_BYTES)).toBe(true);
  });

  it('is what the fake checks: Feishu refuses a card over 30 KB with 230025', async () => {
    const client = new lark.Client({ appId: APP.appId, appSecret: APP.appSecret, domain: bot.fake.url, cache: new lark.DefaultCache(), logger: quiet });
    const card = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '支付'.repeat(6000) }] } };
    const refused = await client.im.v1.message
      .create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: GROUP, msg_type: 'interactive', content: JSON.stringify(card) } })
      .then(
        () => null,
        (error: { response?: { data?: { code?: number } } }) => error.response?.data?.code,
      );
    expect(refused).toBe(230025);
  });

  it('sends a message too long for one card as several', async () => {
    const text = Array.from({ length: 800 }, (_, i) => `第 ${i + 1} 行：一段很长的说明文字，用来超过飞书卡片的大小限制。`).join('\n');
    const ref = await bot.runtime.platform.sendDirect(bot.openId('owner-o3'), { text });
    const chat = bot.fake.chatMessages(ref.channel);
    expect(chat[0]!.message_id).toBe(ref.messageId);
    expect(chat.length).toBeGreaterThan(1);
    expect(chat.map(textOf).join('\n')).toBe(text);
  });

  it('puts the form of a message too long for one card in a card of its own, prefilled when it fits', async () => {
    const form = { teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o3', title: '【O3 平台治理】', locale: 'zh-CN' as const };
    const preview = Array.from({ length: 800 }, (_, i) => `${i + 1}. 一段很长的说明文字，用来超过飞书卡片的大小限制。`).join('\n');
    const short = await bot.runtime.platform.sendDirect(bot.openId('owner-o3'), {
      text: `✅\n\n${preview}`,
      markdown: preview,
      answerForm: { ...form, prefill: '1. 短的答案' },
    });
    const cards = bot.fake.chatMessages(short.channel).filter((m) => m.create_time >= bot.fake.messages.get(short.messageId)!.create_time);
    expect(cards.length).toBeGreaterThan(2);
    expect(formInputsOf(cards.at(-1)!).map((i) => i.value)).toEqual(['1. 短的答案']);
    expect(cards.slice(0, -1).map(textOf).join('\n')).toContain(preview.split('\n').at(-1));

    // A prefill no card can hold (20,000 CJK characters): the form still comes, empty.
    const huge = `${'甲'.repeat(99)}\n`.repeat(200);
    const long = await bot.runtime.platform.sendDirect(bot.openId('owner-o4'), {
      text: `✅\n\n${preview}`,
      markdown: preview,
      answerForm: { ...form, prefill: huge },
    });
    const last = bot.fake.chatMessages(long.channel).at(-1)!;
    expect(formInputsOf(last).map((i) => i.value)).toEqual(['']);
  });

  it('sends once per idempotency key (Feishu’s uuid), however often it is retried', async () => {
    const platform = bot.runtime.platform;
    const to = bot.openId('owner-o1');
    const key = 'prompt:payments-weekly:2024-W23:o1:owner-o1:with-a-key-longer-than-fifty-characters';
    const first = await platform.sendDirect(to, { text: '📝 prompt' }, { idempotencyKey: key });
    const again = await platform.sendDirect(to, { text: '📝 prompt' }, { idempotencyKey: key });
    expect(again).toEqual(first);
    expect(bot.fake.chatMessages(first.channel).filter((m) => textOf(m) === '📝 prompt')).toHaveLength(1);
    const uuids = bot.fake
      .callsTo('im.v1.message.create')
      .map((c) => (c.body as { uuid?: string }).uuid)
      .filter(Boolean);
    expect(uuids.every((u) => u!.length <= 50)).toBe(true);
  });

  it('prefills a long answer form over several inputs that Feishu accepts, and reads it back whole', async () => {
    const prefill = `${seedReply('incidents').trimEnd()}\n\n${seedReply('o2').trimEnd()}`;
    expect([...prefill].length).toBeGreaterThan(FORM_INPUT_MAX_CHARS);
    const ref = await bot.runtime.platform.sendDirect(bot.openId('owner-incidents'), {
      text: `📝 请填写 【生产事件】\n\n上周内容如下，可复制后修改：\n\n${prefill}\n\n回复方式：…`,
      answerForm: { teamId: 'payments-weekly', week: '2024-W23', sectionId: 'incidents', title: '【生产事件】', prefill, locale: 'zh-CN' },
    });
    const card = bot.fake.messages.get(ref.messageId)!;
    const inputs = formInputsOf(card);
    expect(inputs.length).toBeGreaterThan(1);
    expect(inputs.every((i) => [...i.value].length <= FORM_INPUT_MAX_CHARS)).toBe(true);
    expect(formAnswerText(Object.fromEntries(inputs.map((i) => [i.name, i.value])))).toBe(prefill);
    // Last week's text shows as Markdown, the rest of the prompt as plain text.
    expect(markdownOf(card)).toBe(prefill);
  });

  it('updates a card in place', async () => {
    const platform = bot.runtime.platform;
    const ref = await platform.postToChannel(GROUP, { text: 'before', markdown: 'before' });
    await platform.updateMessage(ref, { text: '**after**', markdown: '**after**' });
    const message = bot.fake.messages.get(ref.messageId)!;
    expect(message.edits).toBe(1);
    expect(markdownOf(message)).toBe('**after**');
  });

  it('replies with a quote where Feishu refuses a thread reply, and remembers the chat', async () => {
    const platform = bot.runtime.platform;
    const to = bot.openId('owner-o2');
    const prompt = await platform.sendDirect(to, { text: 'prompt' });
    bot.fake.refuseThreadsIn(prompt.channel);
    const first = await platform.replyInThread(prompt, { text: 'reminder' });
    const second = await platform.replyInThread(prompt, { text: 'confirmation' });
    for (const ref of [first, second]) {
      const message = bot.fake.messages.get(ref.messageId)!;
      expect(message).toMatchObject({ root_id: prompt.messageId, parent_id: prompt.messageId });
      expect(message.thread_id).toBeUndefined();
    }
    const replies = bot.fake.callsTo('im.v1.message.reply').filter((c) => c.receiver === to);
    expect(replies.map((c) => [(c.body as { reply_in_thread: boolean }).reply_in_thread, c.code])).toEqual([
      [true, 230001],
      [false, 0],
      [false, 0],
    ]);
  });

  it('uploads a file into a chat, or into a thread', async () => {
    const platform = bot.runtime.platform;
    const content = '# 2024-W23\n\n- 中文内容\n';
    const top = await platform.uploadFile(GROUP, { filename: 'report.md', title: 'report', content });
    const topMessage = bot.fake.messages.get(top.messageId)!;
    expect(topMessage).toMatchObject({ msg_type: 'file', chat_id: GROUP });
    expect(topMessage.root_id).toBeUndefined();
    const fileKey = (JSON.parse(topMessage.content) as { file_key: string }).file_key;
    expect(bot.fake.files.get(fileKey)).toMatchObject({ file_name: 'report.md', file_type: 'stream' });
    expect(bot.fake.files.get(fileKey)!.content.toString('utf8')).toBe(content);

    const header = await platform.postToChannel(GROUP, { text: 'header' });
    const inThread = await platform.uploadFile(GROUP, { filename: 'report.md', title: 'report', content }, header);
    expect(bot.fake.messages.get(inThread.messageId)).toMatchObject({ msg_type: 'file', root_id: header.messageId });
  });

  it('looks people up by e-mail', async () => {
    const platform = bot.runtime.platform;
    expect(await platform.findUserByEmail('stranger@example.com')).toBe(STRANGER);
    expect(await platform.findUserByEmail('OWNER4@example.com')).toBe(bot.openId('owner-o1'));
    expect(await platform.findUserByEmail('nobody@example.com')).toBeNull();
  });

  it('asks for a tenant token with the app’s credentials and sends it with every call', () => {
    const tokenCalls = bot.fake.callsTo('auth.v3.tenant_access_token.internal');
    expect(tokenCalls.length).toBeGreaterThan(0);
    expect(tokenCalls[0]!.body).toEqual({ app_id: APP.appId, app_secret: APP.appSecret });
    // Refused calls would carry 99991661/99991663.
    expect(bot.fake.calls.filter((c) => c.code === 99991661 || c.code === 99991663)).toEqual([]);
  });
});
