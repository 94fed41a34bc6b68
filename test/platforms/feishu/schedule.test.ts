import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/jobs.ts';
import { feishuModule } from '../../../src/platforms/feishu/module.ts';
import { messageReceived } from '../../fakes/feishu-webhook.ts';
import { APP, formValueOf, startFeishuHarness, textOf, type FeishuHarness } from './harness.ts';

/** The schedule's awkward times, away and skip, on Feishu against the fake Open API. */
describe('the week on Feishu at the awkward times', () => {
  let bot: FeishuHarness | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });
  const sent = (h: FeishuHarness) => h.fake.callsTo('im.v1.message.create').filter((c) => c.code === 0);
  /** A person types in their p2p chat with the bot (in a prompt's thread when given). */
  const write = async (h: FeishuHarness, person: string, text: string, replyTo?: string) => {
    const message = h.fake.userWrites(h.openId(person), { msgType: 'text', content: JSON.stringify({ text }), ...(replyTo ? { replyTo, inThread: true } : {}) });
    expect((await h.deliver(messageReceived(APP, message))).status).toBe(200);
  };
  const chatOf = (h: FeishuHarness, person: string) => h.fake.p2pChatOf(h.openId(person)).chat_id;

  it('neither prompts nor posts on a first start on Saturday, nor in a holiday week', async () => {
    bot = await startFeishuHarness('feishu_saturday', { now: '2024-06-08T11:00:00+08:00' });
    await runDueJobs(bot.ctx, bot.team, 'test-holder');
    expect(sent(bot)).toEqual([]);
    await bot.close();

    bot = await startFeishuHarness('feishu_holiday', { now: '2024-06-04T15:31:00+08:00' });
    bot.team.definition.holidays = [{ name: '端午节', from: '2024-06-07', to: '2024-06-10' }];
    await runDueJobs(bot.ctx, bot.team, 'test-holder');
    expect(sent(bot)).toEqual([]);
    await write(bot, 'lead', '/weekly-report status');
    expect(bot.fake.chatMessages(chatOf(bot, 'lead')).map(textOf)).toContain('2024-W23 是假期（端午节），本周不收集周报：不发提示、不提醒、不发布。');
  });

  it('does not prompt or remind someone away, nor remind someone who skipped', async () => {
    bot = await startFeishuHarness('feishu_away', { now: '2024-06-03T10:00:00+08:00' });
    await write(bot, 'lead', '/weekly-report away owner-o2 6/3 6/9');
    expect(bot.fake.chatMessages(chatOf(bot, 'lead')).map(textOf).at(-1)).toContain('已记录：Owner O2');

    bot.setNow('2024-06-04T15:31:00+08:00');
    await runDueJobs(bot.ctx, bot.team, 'test-holder');
    expect(bot.fake.chatMessages(chatOf(bot, 'owner-o2')).filter((m) => formValueOf(m))).toEqual([]);
    const prompt = bot.fake.chatMessages(chatOf(bot, 'owner-o1')).find((m) => formValueOf(m)?.sectionId === 'o1')!;
    await write(bot, 'owner-o1', '跳过', prompt.message_id);

    bot.setNow('2024-06-06T16:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, 'test-holder');
    // Reminders go into the prompt's thread, in the person's chat.
    const reminders = (person: string) => [...bot!.fake.messages.values()].filter((m) => m.sender === 'bot' && m.chat_id === chatOf(bot!, person) && textOf(m).startsWith('⏰'));
    expect(reminders('owner-o1')).toEqual([]);
    expect(reminders('owner-o2')).toEqual([]);
    expect(reminders('owner-o3')).toHaveLength(1);

    bot.setNow('2024-06-07T17:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, 'test-holder');
    const header = bot.fake.chatMessages(feishuModule.reportChannel(bot.team.definition)!).find((m) => m.sender === 'bot')!;
    expect(textOf(header)).toContain('休假：Owner O2');
  });
});
