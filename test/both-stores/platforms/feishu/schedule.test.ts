import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/jobs.ts';
import { feishuModule } from '../../../../src/platforms/feishu/module.ts';
import { messageReceived } from '../../../fakes/feishu-webhook.ts';
import { APP, formValueOf, startFeishuHarness, textOf, type FeishuHarness } from '../../../platforms/feishu/harness.ts';

const NOT_OPEN_YET = '2024-W23 周报还没有开始收集，将于 6月4日 周二 15:30 自动开始。负责人现在就可以开始：/weekly-report open';

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
  /** Everything the bot has sent, in any chat or thread. */
  const botMessages = (h: FeishuHarness) => [...h.fake.messages.values()].filter((m) => m.sender === 'bot');
  const promptOf = (h: FeishuHarness, person: string, sectionId: string) => h.fake.chatMessages(chatOf(h, person)).find((m) => formValueOf(m)?.sectionId === sectionId)!;
  /** The prompt cards in each person's chat, by section, for every person of the team. */
  const promptsByPerson = (h: FeishuHarness) =>
    Object.fromEntries(Object.keys(h.team.definition.people).map((person) => [person, h.fake.chatMessages(chatOf(h, person)).flatMap((m) => formValueOf(m)?.sectionId ?? []).sort()]));
  const ownedByPerson = (h: FeishuHarness) => {
    const { definition } = h.team;
    return Object.fromEntries(Object.keys(definition.people).map((person) => [person, definition.sections.filter((s) => s.owners.includes(person)).map((s) => s.id).sort()]));
  };
  const reportChat = (h: FeishuHarness) => feishuModule.reportChannel(h.team.definition)!;

  it('does nothing on a first start Monday 10:00; status, remind and publish say when the week opens and how to open it now', async () => {
    bot = await startFeishuHarness('feishu_monday', { now: '2024-06-03T10:00:00+08:00' });
    expect(await runDueJobs(bot.ctx, bot.team, 'test-holder')).toEqual([]);
    expect(botMessages(bot)).toEqual([]);
    for (const sub of ['status', 'remind', 'publish']) {
      await write(bot, 'lead', `/weekly-report ${sub}`);
      expect(textOf(bot.fake.chatMessages(chatOf(bot, 'lead')).at(-1)!), sub).toBe(NOT_OPEN_YET);
    }
    // Only the three answers to the lead.
    expect(botMessages(bot)).toHaveLength(3);
    expect(await bot.store.getCycle('payments-weekly', '2024-W23')).toBeNull();

    await write(bot, 'lead', '/weekly-report open');
    expect(textOf(bot.fake.chatMessages(chatOf(bot, 'lead')).at(-1)!)).toMatch(/^已开始 2024-W23：发出提示 13 条/);
    expect(promptsByPerson(bot)).toEqual(ownedByPerson(bot));
  });

  it('opens on a first start Tuesday 15:31 and prompts each owner once per section, posting nothing to the group', async () => {
    bot = await startFeishuHarness('feishu_tuesday', { now: '2024-06-04T15:31:00+08:00' });
    expect(await runDueJobs(bot.ctx, bot.team, 'test-holder')).toEqual([{ job: 'open', week: '2024-W23', status: 'done' }]);
    expect(promptsByPerson(bot)).toEqual(ownedByPerson(bot));
    expect(botMessages(bot)).toHaveLength(13);
    expect(bot.fake.chatMessages(reportChat(bot))).toEqual([]);
    // The next sweep finds the open done: nobody is prompted again.
    bot.setNow('2024-06-04T15:36:00+08:00');
    expect(await runDueJobs(bot.ctx, bot.team, 'test-holder')).toEqual([{ job: 'open', week: '2024-W23', status: 'done' }]);
    expect(botMessages(bot)).toHaveLength(13);
  });

  for (const [when, at] of [
    ['Friday 18:30', '2024-06-07T18:30:00+08:00'],
    ['Saturday', '2024-06-08T11:00:00+08:00'],
    ['Sunday', '2024-06-09T21:00:00+08:00'],
  ] as const) {
    it(`neither prompts nor posts on a first start ${when}, nor on the sweep after`, async () => {
      bot = await startFeishuHarness(`feishu_first_start_${when.split(' ')[0]!.toLowerCase()}`, { now: at });
      const outcomes = await runDueJobs(bot.ctx, bot.team, 'test-holder');
      expect(outcomes.map((o) => `${o.job}:${o.reason}`)).toEqual(['open:window-closed', 'publish:never-opened']);
      bot.setNow(new Date(new Date(at).getTime() + 5 * 60_000).toISOString());
      await runDueJobs(bot.ctx, bot.team, 'test-holder');
      expect(botMessages(bot)).toEqual([]);
      expect(bot.fake.files.size).toBe(0);
      expect(await bot.store.getCycle('payments-weekly', '2024-W23')).toBeNull();
    });
  }

  it('after a restart mid-week, the new process reminds only who is missing on Thursday and publishes on Friday, once each', async () => {
    bot = await startFeishuHarness('feishu_restart', { now: '2024-06-04T15:31:00+08:00' });
    await runDueJobs(bot.ctx, bot.team, 'test-holder');
    expect(botMessages(bot)).toHaveLength(13);
    // Wednesday: O1 answers their section, O2 one of their two.
    bot.setNow('2024-06-05T10:00:00+08:00');
    await write(bot, 'owner-o1', '1. 本周进展', promptOf(bot, 'owner-o1', 'o1').message_id);
    await write(bot, 'owner-o2', '1. 本周进展', promptOf(bot, 'owner-o2', 'o2').message_id);

    // The bot stops; a new process starts on the same store on Thursday after the remind time.
    await bot.restart('test-holder-after-restart');
    bot.setNow('2024-06-06T16:05:00+08:00');
    const beforeThursday = botMessages(bot).length;
    expect(await runDueJobs(bot.ctx, bot.team, 'test-holder-after-restart')).toEqual([
      { job: 'open', week: '2024-W23', status: 'done' },
      { job: 'remind', week: '2024-W23', status: 'done' },
    ]);
    const thursday = botMessages(bot).slice(beforeThursday);
    expect(thursday.every((m) => textOf(m).startsWith('⏰'))).toBe(true);
    const missing = Object.entries(ownedByPerson(bot)).flatMap(([person, sections]) =>
      sections.filter((id) => !(person === 'owner-o1' && id === 'o1') && !(person === 'owner-o2' && id === 'o2')).map((id) => promptOf(bot!, person, id).message_id),
    );
    expect(missing).toHaveLength(11);
    // Each reminder sits in the thread of a prompt still unanswered.
    expect(thursday.map((m) => m.root_id).sort()).toEqual(missing.sort());
    // The sweep after it reminds nobody again.
    bot.setNow('2024-06-06T16:10:00+08:00');
    await runDueJobs(bot.ctx, bot.team, 'test-holder-after-restart');
    expect(botMessages(bot)).toHaveLength(beforeThursday + 11);

    bot.setNow('2024-06-07T17:00:00+08:00');
    expect((await runDueJobs(bot.ctx, bot.team, 'test-holder-after-restart')).at(-1)).toEqual({ job: 'publish', week: '2024-W23', status: 'done' });
    const [header, ...others] = bot.fake.chatMessages(reportChat(bot));
    expect(others).toEqual([]);
    expect(textOf(header!)).toContain('📋 支付中心周报 2024-W23：已提交 2/12');
    const afterPublish = { sent: botMessages(bot).length, files: bot.fake.files.size, patches: bot.fake.callsTo('im.v1.message.patch').length };
    expect(afterPublish.files).toBe(1);

    // Running the due jobs again, or starting once more, sends, updates and uploads nothing.
    bot.setNow('2024-06-07T17:05:00+08:00');
    expect(await runDueJobs(bot.ctx, bot.team, 'test-holder-after-restart')).toEqual([]);
    await bot.restart('test-holder-second-restart');
    bot.setNow('2024-06-07T17:10:00+08:00');
    expect(await runDueJobs(bot.ctx, bot.team, 'test-holder-second-restart')).toEqual([]);
    expect({ sent: botMessages(bot).length, files: bot.fake.files.size, patches: bot.fake.callsTo('im.v1.message.patch').length }).toEqual(afterPublish);
    expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('neither prompts nor posts in a holiday week, and status says why', async () => {
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
