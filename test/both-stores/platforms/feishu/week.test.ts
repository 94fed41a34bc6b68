import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/cycle/jobs.ts';
import { seedReply } from '../../../support/bot.ts';
import { documentLines, EXPECTED_MD } from '../../../support/golden.ts';
import type { FakeMessage } from '../../../fakes/feishu-open-api.ts';
import { cardFormSubmitted, menuClicked, messageReceived } from '../../../fakes/feishu-webhook.ts';
import { APP, formInputsOf, formValueOf, markdownOf, startFeishuHarness, textOf, type FeishuHarness } from '../../../platforms/feishu/harness.ts';

const WEEK = '2024-W23';
const GROUP = 'oc_placeholder_1';

function feishuPost(sectionId: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../fixtures/replies/feishu-post/${sectionId}.json`, import.meta.url)), 'utf8');
}

/**
 * What a week on Feishu has that other platforms do not: the real runtime behind its webhook
 * (encrypted, signed requests), the real lark Client against the fake Open API. Sends carry a
 * uuid; replies come as posts and quotes; forms live in cards and answer with toasts; a reply to a
 * reminder answers its prompt; the lead publishes from the group by @mentioning the bot, and from
 * the bot menu. The week itself (prompts, replies, retries, reminders, publishing, a late answer)
 * is test/both-stores/platforms/suite/week.test.ts, which runs on Feishu too.
 */
describe('a week of payments-weekly on Feishu, as only Feishu shows it', () => {
  let bot: FeishuHarness;
  const prompts = new Map<string, FakeMessage>();
  const prompt = (owner: string, sectionId: string) => prompts.get(`${owner} ${sectionId}`)!;
  const history = (sectionId: string, owner: string) => bot.store.submissionHistory({ teamId: bot.team.definition.id, week: WEEK, sectionId, owner });
  const leadChat = () => bot.fake.p2pChatOf(bot.openId('lead')).chat_id;
  /** The owner writes in their p2p chat, in the thread of the prompt unless `replyTo` is null. */
  const write = async (
    owner: string,
    msgType: 'text' | 'post',
    content: string,
    replyTo: string | null,
    options: { inThread?: boolean; eventId?: string } = {},
  ) => {
    const message = bot.fake.userWrites(bot.openId(owner), { msgType, content, ...(replyTo ? { replyTo, inThread: options.inThread ?? true } : {}) });
    const event = messageReceived(APP, message, { eventId: options.eventId });
    const answer = await bot.deliver(event);
    expect(answer.status).toBe(200);
    return { message, event };
  };
  const text = (body: string) => JSON.stringify({ text: body });

  beforeAll(async () => {
    bot = await startFeishuHarness('feishu_week');
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('sends each prompt card with a uuid, its form input empty when last week has no answer', async () => {
    const { fake, team } = bot;
    await runDueJobs(bot.ctx, team, 'test-holder');
    for (const section of team.definition.sections) {
      for (const owner of section.owners) {
        const [card] = fake.chatMessages(fake.p2pChatOf(bot.openId(owner)).chat_id).filter((m) => formValueOf(m)?.sectionId === section.id);
        prompts.set(`${owner} ${section.id}`, card!);
      }
    }
    // Each send carried a uuid, so that a retried send cannot deliver a prompt twice.
    expect(fake.callsTo('im.v1.message.create').every((c) => typeof (c.body as { uuid?: unknown }).uuid === 'string')).toBe(true);
    expect(formInputsOf(prompt('owner-metrics', 'metrics'))).toEqual([{ name: 'answer_1', value: '' }]);
  });

  it('reads posts, a quoted reply outside the thread and a card form (answered with a toast), as the reference document has them', async () => {
    await write('owner-beiyizhuan', 'text', text(seedReply('beiyizhuan')), prompt('owner-beiyizhuan', 'beiyizhuan').message_id);
    await write('owner-escrow', 'post', feishuPost('decoration-escrow'), prompt('owner-escrow', 'decoration-escrow').message_id);
    await write('owner-o2', 'post', feishuPost('o2'), prompt('owner-o2', 'o2').message_id);
    // A quoted reply (not in a thread) names the prompt as root and parent alike.
    await write('owner-o3', 'text', text(seedReply('o3')), prompt('owner-o3', 'o3').message_id, { inThread: false });
    await write('owner-o4', 'post', feishuPost('o4'), prompt('owner-o4', 'o4').message_id);
    await write('owner-metrics', 'text', text(seedReply('metrics')), prompt('owner-metrics', 'metrics').message_id);
    await write('lead', 'post', feishuPost('other'), prompt('lead', 'other').message_id);
    await write('owner-o1', 'text', text(seedReply('o1')), null);
    // Incidents arrive as a post that Feishu delivers three times (same event_id): one revision.
    const incidents = await write('owner-incidents', 'post', feishuPost('incidents'), prompt('owner-incidents', 'incidents').message_id);
    expect((await bot.deliver(incidents.event)).status).toBe(200);
    expect((await bot.deliver(incidents.event)).status).toBe(200);
    expect(await history('incidents', 'owner-incidents')).toHaveLength(1);

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
    expect((await history('payment-safety', 'owner-safety'))[0]!.rawText).toBe(seedReply('payment-safety').replace(/\n+$/, ''));
    // The form's confirmation is in the p2p chat, not in a thread.
    const safetyChat = bot.fake.chatMessages(safetyPrompt.chat_id);
    expect(safetyChat.filter((m) => m.sender === 'bot' && textOf(m).startsWith('✅ 已收到 【430改进落地以及支付安全治理】'))).toHaveLength(1);
  });

  it('answers a reply in a reminder’s thread as the reminder’s prompt', async () => {
    const { fake, team } = bot;
    bot.setNow('2024-06-06T16:00:00+08:00');
    await runDueJobs(bot.ctx, team, 'test-holder');
    const reminders = [...fake.messages.values()].filter((m) => m.sender === 'bot' && textOf(m).startsWith('⏰'));
    const nextWeekReminder = reminders.find((m) => m.root_id === prompt('lead', 'next-week').message_id)!;
    const late = await write('lead', 'text', text(seedReply('next-week')), nextWeekReminder.message_id);
    expect(late.message.parent_id).toBe(nextWeekReminder.message_id);
    expect(await history('next-week', 'lead')).toHaveLength(1);
  });

  let parts: FakeMessage[];
  let header: FakeMessage;

  it('publishes from the group when @mentioned, asking first in the lead’s own chat with a button; the report equals the reference', async () => {
    const { fake, team } = bot;
    const { definition } = team;
    bot.setNow('2024-06-07T16:30:00+08:00');
    const typed = fake.userWrites(bot.openId('lead'), { msgType: 'text', content: text('@_user_1 /weekly-report publish'), chatId: GROUP });
    const publish = messageReceived(APP, typed, { chatType: 'group', mentions: [{ key: '@_user_1', openId: fake.botOpenId, name: '周报机器人' }] });
    expect((await bot.deliver(publish)).status).toBe(200);
    // Sections are missing: the lead is asked first, in their own chat, with a button.
    expect(fake.chatMessages(GROUP).filter((m) => m.sender === 'bot')).toHaveLength(0);
    const asked = fake
      .chatMessages(leadChat())
      .filter((m) => textOf(m).includes('还有 1 个部分未提交：收获与反思（Lead）'))
      .at(-1)!;
    const card = JSON.parse(asked.content) as { body: { elements: { tag: string; behaviors?: { value: unknown }[] }[] } };
    const button = card.body.elements.find((e) => e.tag === 'button')!;
    const pressed = cardFormSubmitted(APP, {
      openId: bot.openId('lead'),
      messageId: asked.message_id,
      chatId: leadChat(),
      value: button.behaviors![0]!.value,
      formValue: {},
      buttonName: 'publish_confirm',
    });
    expect((await bot.deliver(pressed)).status).toBe(200);

    [header] = fake.chatMessages(GROUP).filter((m) => m.sender === 'bot') as [FakeMessage];
    const thread = fake.threadOf(header.message_id);
    parts = thread.filter((m) => m.msg_type === 'interactive');
    // Posts, quotes and the form read as the reference has them.
    expect(documentLines(parts.map(markdownOf).join('\n\n'))).toEqual(documentLines(EXPECTED_MD));
    const files = thread.filter((m) => m.msg_type === 'file');
    const file = fake.files.get((JSON.parse(files[0]!.content) as { file_key: string }).file_key)!;
    expect(file.file_name).toBe(`${definition.id}-${WEEK}.md`);
    expect(file.file_type).toBe('stream');
    // The answer to the lead is visible to the lead only: their p2p chat, not the group.
    expect(fake.chatMessages(leadChat()).filter((m) => textOf(m) === `${WEEK} 周报已发布。`)).toHaveLength(1);
    expect(fake.chatMessages(GROUP).filter((m) => textOf(m) === `${WEEK} 周报已发布。`)).toHaveLength(0);
  });

  it('updates every part once on a late answer, and a publish from the bot menu delivered twice then sends only its answer', async () => {
    const { fake } = bot;
    bot.setNow('2024-06-07T16:45:00+08:00');
    await write('owner-o2', 'text', text('聚合支付二期评审'), prompt('owner-o2', 'other').message_id);
    const sentBefore = fake.calls.filter((c) => c.api === 'im.v1.message.create' || c.api === 'im.v1.message.reply').length;
    const menu = menuClicked(APP, bot.openId('lead'), 'weekly_report_publish');
    expect((await bot.deliver(menu)).status).toBe(200);
    expect((await bot.deliver(menu)).status).toBe(200);

    // Once, by the late answer: the lead's publish, of the same content, updates nothing again.
    expect(header.edits).toBe(1);
    expect(fake.chatMessages(leadChat()).filter((m) => textOf(m) === `${WEEK} 周报已更新。`)).toHaveLength(1);
    // The publish after the late answer sends only its answer to the lead; the late answer updated every part, once.
    const sentAfter = fake.calls.filter((c) => c.api === 'im.v1.message.create' || c.api === 'im.v1.message.reply').length;
    expect(sentAfter - sentBefore).toBe(1);
    expect(fake.callsTo('im.v1.message.patch').filter((c) => c.code === 0).length).toBe(1 + parts.length);
    // Nothing the bot sent was refused by Feishu along the way, and nothing failed.
    expect(fake.calls.filter((c) => c.code !== 0)).toEqual([]);
    expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});
