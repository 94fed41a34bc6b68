import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { seedReply } from '../../support/bot.ts';
import { documentLines, EXPECTED_MD } from '../../support/golden.ts';
import type { FakeMessage } from '../../fakes/feishu-open-api.ts';
import { cardFormSubmitted, menuClicked, messageReceived } from '../../fakes/feishu-webhook.ts';
import { APP, formInputsOf, formValueOf, markdownOf, startFeishuHarness, textOf, type FeishuHarness } from './harness.ts';

const WEEK = '2024-W23';
const GROUP = 'oc_placeholder_1';

function feishuPost(sectionId: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/replies/feishu-post/${sectionId}.json`, import.meta.url)), 'utf8');
}

/**
 * The reference week entirely in Feishu payloads: the real runtime behind its webhook (encrypted,
 * signed requests), the real lark Client against the fake Open API, a real MongoStore and the
 * shared handlers. Tuesday's prompts, replies as text, post and card form, a duplicate delivery,
 * Thursday's reminders (answered in the prompt's thread), the lead's typed commands, the bot menu,
 * and a digest in the group that equals the reference document, updated in place on re-publish.
 */
describe('a whole week of payments-weekly on Feishu', () => {
  let bot: FeishuHarness;

  beforeAll(async () => {
    bot = await startFeishuHarness('feishu_week');
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('prompts, collects Chinese replies in every Feishu form, and publishes the reference report', async () => {
    const { fake, team, store } = bot;
    const { definition } = team;
    const holder = 'test-holder';

    // ---- Tuesday 15:34: every owner gets one p2p card per section they own ----
    await runDueJobs(bot.ctx, team, holder);
    const prompts = new Map<string, FakeMessage>();
    for (const section of definition.sections) {
      for (const owner of section.owners) {
        const chat = fake.p2pChatOf(bot.openId(owner)).chat_id;
        const cards = fake.chatMessages(chat).filter((m) => formValueOf(m)?.sectionId === section.id);
        expect(cards, `${owner} ${section.id}`).toHaveLength(1);
        expect(formValueOf(cards[0]!)).toMatchObject({ teamId: definition.id, week: WEEK, sectionId: section.id });
        prompts.set(`${owner} ${section.id}`, cards[0]!);
      }
    }
    const ownerCount = definition.sections.reduce((n, s) => n + s.owners.length, 0);
    expect(fake.callsTo('im.v1.message.create').filter((c) => c.code === 0)).toHaveLength(ownerCount);
    // Each send carried a uuid, so that a retried send cannot deliver a prompt twice.
    expect(fake.callsTo('im.v1.message.create').every((c) => typeof (c.body as { uuid?: unknown }).uuid === 'string')).toBe(true);
    const metricsPrompt = prompts.get('owner-metrics metrics')!;
    expect(textOf(metricsPrompt)).toContain('请填写 【系统运行数据】，截止 6月7日 周五 17:00');
    expect(textOf(metricsPrompt)).toContain('支付成功率、系统可用性、待追款');
    expect(formInputsOf(metricsPrompt)).toEqual([{ name: 'answer_1', value: '' }]);

    const prompt = (owner: string, sectionId: string) => prompts.get(`${owner} ${sectionId}`)!;
    /** The owner writes in their p2p chat, in the thread of the prompt unless `replyTo` is null. */
    const write = async (owner: string, msgType: 'text' | 'post', content: string, replyTo: string | null, options: { inThread?: boolean; eventId?: string } = {}) => {
      const message = fake.userWrites(bot.openId(owner), { msgType, content, ...(replyTo ? { replyTo, inThread: options.inThread ?? true } : {}) });
      const event = messageReceived(APP, message, { eventId: options.eventId });
      const answer = await bot.deliver(event);
      expect(answer.status).toBe(200);
      return { message, event };
    };
    const text = (body: string) => JSON.stringify({ text: body });

    // ---- replies: text and post, in the prompt's thread, as a quote, as a plain DM, and a form ----
    await write('owner-beiyizhuan', 'text', text(seedReply('beiyizhuan')), prompt('owner-beiyizhuan', 'beiyizhuan').message_id);
    await write('owner-escrow', 'post', feishuPost('decoration-escrow'), prompt('owner-escrow', 'decoration-escrow').message_id);
    await write('owner-o2', 'post', feishuPost('o2'), prompt('owner-o2', 'o2').message_id);
    // A quoted reply (not in a thread) names the prompt as root and parent alike.
    await write('owner-o3', 'text', text(seedReply('o3')), prompt('owner-o3', 'o3').message_id, { inThread: false });
    await write('owner-o4', 'post', feishuPost('o4'), prompt('owner-o4', 'o4').message_id);
    await write('owner-metrics', 'text', text(seedReply('metrics')), prompt('owner-metrics', 'metrics').message_id);
    await write('lead', 'post', feishuPost('other'), prompt('lead', 'other').message_id);
    // O1 writes a plain message to the bot, outside any thread: their only section.
    await write('owner-o1', 'text', text(seedReply('o1')), null);

    // The safety owner answers in the prompt card's form.
    const safetyPrompt = prompt('owner-safety', 'payment-safety');
    const submitted = await bot.deliver(
      cardFormSubmitted(APP, {
        openId: bot.openId('owner-safety'),
        messageId: safetyPrompt.message_id,
        chatId: safetyPrompt.chat_id,
        value: formValueOf(safetyPrompt),
        formValue: { answer_1: seedReply('payment-safety') },
      }),
      { path: '/feishu/card' },
    );
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ toast: { type: 'success' } });

    // Incidents arrive as a post that Feishu delivers three times (same event_id): one revision.
    const incidents = await write('owner-incidents', 'post', feishuPost('incidents'), prompt('owner-incidents', 'incidents').message_id);
    expect((await bot.deliver(incidents.event)).status).toBe(200);
    expect((await bot.deliver(incidents.event)).status).toBe(200);

    const history = (sectionId: string, owner: string) => store.submissionHistory({ teamId: definition.id, week: WEEK, sectionId, owner });
    expect(await history('incidents', 'owner-incidents')).toHaveLength(1);
    expect((await history('payment-safety', 'owner-safety'))[0]!.rawText).toBe(seedReply('payment-safety').replace(/\n+$/, ''));
    expect((await history('o1', 'owner-o1'))[0]!.sourceMessageId).toBeDefined();
    // Confirmations land in the prompt's thread (once for the triple delivery), or in the p2p chat for the form.
    const incidentsThread = fake.threadOf(prompt('owner-incidents', 'incidents').message_id);
    expect(incidentsThread.filter((m) => m.sender === 'bot' && textOf(m).startsWith('✅'))).toHaveLength(1);
    expect(textOf(incidentsThread.find((m) => m.sender === 'bot')!)).toContain('06/03 18:31 由于中信银行侧装修存管商户配置问题');
    const safetyChat = fake.chatMessages(safetyPrompt.chat_id);
    expect(safetyChat.filter((m) => m.sender === 'bot' && textOf(m).startsWith('✅ 已收到 【430改进落地以及支付安全治理】'))).toHaveLength(1);

    // ---- the lead asks for the status, typed in the p2p chat ----
    const leadChat = fake.p2pChatOf(bot.openId('lead')).chat_id;
    await write('lead', 'text', text('/weekly-report status'), null);
    const status = fake.chatMessages(leadChat).filter((m) => textOf(m).startsWith(`${WEEK} 已提交`));
    expect(status).toHaveLength(1);
    expect(textOf(status[0]!)).toContain(`${WEEK} 已提交 10/12`);

    // ---- Thursday 16:00: reminders for what is missing, in the prompts' threads ----
    bot.setNow('2024-06-06T16:00:00+08:00');
    await runDueJobs(bot.ctx, team, holder);
    const reminders = [...fake.messages.values()].filter((m) => m.sender === 'bot' && textOf(m).startsWith('⏰'));
    const reminded = reminders.map((m) => [...prompts.entries()].find(([, p]) => p.message_id === m.root_id)?.[0]).sort();
    expect(reminded).toEqual(['lead next-week', 'lead reflections', 'owner-o2 other']);

    // The lead answers the next-week reminder: its thread's root is the prompt, so the prompt is answered.
    const nextWeekReminder = reminders.find((m) => m.root_id === prompt('lead', 'next-week').message_id)!;
    const late = await write('lead', 'text', text(seedReply('next-week')), nextWeekReminder.message_id);
    expect(late.message.parent_id).toBe(nextWeekReminder.message_id);
    expect(await history('next-week', 'lead')).toHaveLength(1);

    // ---- Friday 16:30: the lead publishes from the group, @mentioning the bot ----
    bot.setNow('2024-06-07T16:30:00+08:00');
    const typed = fake.userWrites(bot.openId('lead'), { msgType: 'text', content: text('@_user_1 /weekly-report publish'), chatId: GROUP });
    const publish = messageReceived(APP, typed, { chatType: 'group', mentions: [{ key: '@_user_1', openId: fake.botOpenId, name: '周报机器人' }] });
    expect((await bot.deliver(publish)).status).toBe(200);
    // One section is missing (收获与反思; 【其他】 is covered by the lead's answer, though its other
    // owner, O2, has not answered): the lead is asked first, in their own chat, with a button.
    expect(fake.chatMessages(GROUP).filter((m) => m.sender === 'bot')).toHaveLength(0);
    const asked = fake.chatMessages(leadChat).filter((m) => textOf(m).includes('还有 1 个部分未提交：收获与反思（Lead）')).at(-1)!;
    const card = JSON.parse(asked.content) as { body: { elements: { tag: string; behaviors?: { value: unknown }[] }[] } };
    const button = card.body.elements.find((e) => e.tag === 'button')!;
    const pressed = cardFormSubmitted(APP, { openId: bot.openId('lead'), messageId: asked.message_id, chatId: leadChat, value: button.behaviors![0]!.value, formValue: {}, buttonName: 'publish_confirm' });
    expect((await bot.deliver(pressed)).status).toBe(200);

    const top = fake.chatMessages(GROUP).filter((m) => m.sender === 'bot');
    expect(top).toHaveLength(1);
    const header = top[0]!;
    expect(textOf(header)).toContain(`📋 ${definition.name} ${WEEK}：已提交 11/12，未提交：Lead。`);
    const thread = fake.threadOf(header.message_id);
    const parts = thread.filter((m) => m.msg_type === 'interactive');
    expect(documentLines(parts.map(markdownOf).join('\n\n'))).toEqual(documentLines(EXPECTED_MD));
    const files = thread.filter((m) => m.msg_type === 'file');
    expect(files).toHaveLength(1);
    const file = fake.files.get((JSON.parse(files[0]!.content) as { file_key: string }).file_key)!;
    expect(file.file_name).toBe(`${definition.id}-${WEEK}.md`);
    expect(file.file_type).toBe('stream');
    expect(documentLines(file.content.toString('utf8'))).toEqual(documentLines(EXPECTED_MD));
    // The answer to the lead is visible to the lead only: their p2p chat, not the group.
    expect(fake.chatMessages(leadChat).filter((m) => textOf(m) === `${WEEK} 周报已发布。`)).toHaveLength(1);
    expect((await store.getCycle(definition.id, WEEK))?.status).toBe('published');

    // ---- a late answer updates the report in place; a second publish from the bot menu (delivered twice) changes nothing more ----
    bot.setNow('2024-06-07T16:45:00+08:00');
    await write('owner-o2', 'text', text('聚合支付二期评审'), prompt('owner-o2', 'other').message_id);
    expect(fake.chatMessages(leadChat).filter((m) => textOf(m).startsWith('✏️'))).toHaveLength(1);
    const sentBefore = fake.calls.filter((c) => c.api === 'im.v1.message.create' || c.api === 'im.v1.message.reply').length;
    const menu = menuClicked(APP, bot.openId('lead'), 'weekly_report_publish');
    expect((await bot.deliver(menu)).status).toBe(200);
    expect((await bot.deliver(menu)).status).toBe(200);

    expect(fake.chatMessages(GROUP).filter((m) => m.sender === 'bot')).toHaveLength(1);
    // Once, by the late answer: the lead's publish, of the same content, updates nothing again.
    expect(header.edits).toBe(1);
    expect(textOf(header)).toContain('（发布后已更新：【其他】）');
    expect(textOf(header)).toContain('已提交 11/12，未提交：Lead。');
    const afterThread = fake.threadOf(header.message_id);
    const afterParts = afterThread.filter((m) => m.msg_type === 'interactive');
    expect(afterParts.map((m) => m.message_id)).toEqual(parts.map((m) => m.message_id));
    expect(afterParts.map(markdownOf).join('\n\n')).toContain('5. 聚合支付二期评审');
    // The report changed, so the file is attached again (Feishu files cannot be replaced).
    expect(afterThread.filter((m) => m.msg_type === 'file')).toHaveLength(2);
    const updated = fake.chatMessages(leadChat).filter((m) => textOf(m) === `${WEEK} 周报已更新。`);
    expect(updated).toHaveLength(1);
    // The publish after the late answer sends only its answer to the lead; the late answer updated every part, once.
    const sentAfter = fake.calls.filter((c) => c.api === 'im.v1.message.create' || c.api === 'im.v1.message.reply').length;
    expect(sentAfter - sentBefore).toBe(1);
    expect(fake.callsTo('im.v1.message.patch').filter((c) => c.code === 0).length).toBe(1 + parts.length);
    // Nothing the bot sent was refused by Feishu along the way, and nothing failed.
    expect(fake.calls.filter((c) => c.code !== 0)).toEqual([]);
    expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});
