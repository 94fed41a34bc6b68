import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { participationFor } from '../../../handlers/across-weeks/participation.ts';
import { exportWeeks } from '../../../src/cli/export.ts';
import { slackModule } from '../../../src/platforms/slack/module.ts';
import type { Store } from '../../../src/store/store.ts';
import type { FakeMessage } from '../../fakes/slack-api.ts';
import { imMessageEvent, newEventId } from '../../fakes/slack-payloads.ts';
import { findPrompt, markdownOf, startSlackHarness, type SlackHarness } from '../../platforms/slack/harness.ts';
import { consoleBot, FakeClock } from '../../support/bot.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';

const WEEK = '2024-W23';
const O1 = { teamId: 'payments-weekly', week: WEEK, sectionId: 'o1', owner: 'owner-o1' };

/**
 * `重写` after the report went out: the owner's answer is emptied in the store, but the posted
 * report is left as it was and nobody is told until the owner sends the new text; then the late
 * answer's update runs once, with it.
 */
describe('starting over after the report went out, on Slack', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** O1 answered on Wednesday; the schedule published on Friday 17:00. */
  async function publishedWeek(label: string) {
    const week = (h = await startSlackHarness(label, { now: '2024-06-04T15:34:00+08:00' }));
    await runDueJobs(week.ctx, week.team, 'test-holder');
    week.setNow('2024-06-05T10:00:00+08:00');
    const prompt = findPrompt(week, week.slackId('owner-o1'), 'o1');
    await type(week, prompt, '1. 第一件事');
    week.setNow('2024-06-07T17:00:00+08:00');
    await runDueJobs(week.ctx, week.team, 'test-holder');
    const channel = slackModule.reportChannel(week.team.definition)!;
    const [header] = week.fake.channelMessages(channel);
    return { week, channel, header: header!, prompt };
  }

  async function type(harness: SlackHarness, prompt: FakeMessage, text: string, eventId = newEventId()): Promise<FakeMessage> {
    const message = harness.fake.userMessage({ channel: prompt.channel, user: harness.slackId('owner-o1'), text, threadTs: prompt.ts });
    expect((await harness.sendEvent(imMessageEvent(message), { eventId })).status).toBe(200);
    return message;
  }

  const botReplies = (harness: SlackHarness, prompt: FakeMessage) =>
    harness.fake.threadReplies(prompt.channel, prompt.ts).filter((m) => m.user === harness.fake.botUserId);
  /** Every ✏️ direct message the bot sent, by person. */
  const leadNotices = (harness: SlackHarness) =>
    Object.fromEntries(
      Object.keys(harness.team.definition.people).flatMap((person) => {
        const notices = harness.fake.botMessages(harness.fake.dmChannelOf(harness.slackId(person))).filter((m) => m.text.startsWith('✏️'));
        return notices.length > 0 ? [[person, notices.map((m) => m.text)]] : [];
      }),
    );
  const o1Part = (harness: SlackHarness, channel: string, header: FakeMessage) =>
    harness.fake.threadReplies(channel, header.ts).find((m) => markdownOf(m).some((md) => md.includes('## 【O1 业务服务】')))!;

  it('empties the answer in the store, leaves the posted report and the leads alone until the new text arrives, then updates once', async () => {
    const { week, channel, header, prompt } = await publishedWeek('start_over_after_publishing');
    const { fake } = week;
    const headerText = header.text;
    const partBefore = structuredClone(o1Part(week, channel, header));
    expect(markdownOf(partBefore).join('\n')).toContain('1. 第一件事');

    week.setNow('2024-06-07T17:30:00+08:00');
    const eventId = newEventId();
    const startOver = await type(week, prompt, '重写', eventId);

    // Stored: the owner's answer is empty now.
    const latest = await week.store.latestSubmission(O1);
    expect(latest?.parts).toEqual([]);
    expect(latest?.startedOver).toBe(true);
    // The owner is told what happens, and when.
    const told = botReplies(week, prompt).at(-1)!.text;
    expect(told).toContain('🧹 【O1 业务服务】 已清空');
    expect(told).toContain(`${WEEK} 周报已经发布：已发布的周报暂时保持原样，也不会通知负责人；你发来新内容后，会用新内容更新已发布的周报并通知负责人。`);
    // The posted report is as it was, and nobody was told.
    expect(fake.callsTo('chat.update')).toEqual([]);
    expect(header.text).toBe(headerText);
    expect(o1Part(week, channel, header)).toEqual(partBefore);
    expect(fake.files).toHaveLength(1);
    expect(leadNotices(week)).toEqual({});

    // Slack delivers the start over again: nothing more happens.
    const replies = botReplies(week, prompt).length;
    expect((await week.sendEvent(imMessageEvent(startOver), { eventId, retryNum: 1 })).status).toBe(200);
    expect(botReplies(week, prompt)).toHaveLength(replies);
    expect(await week.store.submissionHistory(O1)).toHaveLength(2);

    // The bot restarts, and the lead publishes again meanwhile: the posted report keeps O1's text as
    // it was posted (what is waiting for the new text is in the store, not in the process).
    await week.restart('replica-after-restart');
    await week.command(week.slackId('lead'), 'publish');
    expect(fake.callsTo('chat.update')).toEqual([]);
    expect(fake.files).toHaveLength(1);

    // The new text: the late answer's update, once, with it.
    week.setNow('2024-06-07T17:45:00+08:00');
    await type(week, prompt, '1. 重新写的');
    expect(header.edits).toBe(1);
    expect(header.text).toContain('（发布后已更新：【O1 业务服务】）');
    const partAfter = o1Part(week, channel, header);
    expect(partAfter.edits).toBe(1);
    expect(markdownOf(partAfter).join('\n')).toContain('## 【O1 业务服务】\n\n1. 重新写的');
    expect(markdownOf(partAfter).join('\n')).not.toContain('第一件事');
    expect(fake.files).toHaveLength(2);
    expect(fake.files[1]!.content).toContain('## 【O1 业务服务】\n\n1. 重新写的');
    expect(leadNotices(week)).toEqual({ lead: [`✏️ Owner O1 在发布后修改了 ${WEEK} 的 【O1 业务服务】。已发布的周报已更新。`] });
    expect(botReplies(week, prompt).at(-1)!.text).toContain(`${WEEK} 周报已经发布，已按你的修改更新已发布的周报，并通知了负责人。`);
    expect(week.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('starting over after the report went out', () => {
  let store: Store | undefined;
  afterEach(async () => {
    if (store) await discardTestStore(store);
    store = undefined;
  });

  /** O1 and O3 answered; published on Friday 17:00; then 17:30, acting as O1. */
  async function publishedWeek(label: string) {
    store = await openTestStore(label);
    const clock = new FakeClock(new Date('2024-06-04T15:34:00+08:00'));
    const bot = await consoleBot(store, clock);
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const promptOf = (owner: string, sectionId: string) =>
      bot.platform.messages.find((m) => m.channel === `@${owner}` && m.answerForm?.sectionId === sectionId)!.id;
    bot.session.you = 'owner-o1';
    const first = await bot.session.say('1. 第一件事', promptOf('owner-o1', 'o1'));
    bot.session.you = 'owner-o3';
    await bot.session.say('1. O3 的一件事', promptOf('owner-o3', 'o3'));
    clock.set('2024-06-07T17:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    clock.set('2024-06-07T17:30:00+08:00');
    bot.session.you = 'owner-o1';
    const header = () => bot.platform.messages.find((m) => m.channel === '#payments-weekly' && !m.threadOf)!;
    const files = () => bot.platform.messages.filter((m) => m.channel === '#payments-weekly' && m.file);
    const notices = () => bot.platform.messages.filter((m) => m.channel === '@lead' && m.text.startsWith('✏️')).map((m) => m.text);
    const toOwner = () => bot.platform.messages.filter((m) => m.channel === '@owner-o1' && /^(✅|🧹)/u.test(m.text)).at(-1)!.text;
    return { bot, clock, prompt: promptOf('owner-o1', 'o1'), o3Prompt: promptOf('owner-o3', 'o3'), first, header, files, notices, toOwner };
  }

  it('shows the report as posted meanwhile: another owner’s late answer, preview, status, participation and the export keep O1’s text', async () => {
    const { bot, clock, prompt, o3Prompt, header, files, notices } = await publishedWeek('start_over_others');
    await bot.session.say('重写', prompt);
    expect(header().edits ?? 0).toBe(0);

    // O3's late answer updates the posted report: with O3's change, and O1's text as it was posted.
    bot.session.you = 'owner-o3';
    await bot.session.say('2. O3 补充', o3Prompt);
    expect(header().edits).toBe(1);
    expect(header().text).toContain('（发布后已更新：【O3 平台治理】）');
    expect(files()).toHaveLength(2);
    expect(files()[1]!.file!.content).toContain('## 【O1 业务服务】\n\n1. 第一件事');
    expect(notices()).toEqual([`✏️ Owner O3 在发布后修改了 ${WEEK} 的 【O3 平台治理】。已发布的周报已更新。`]);

    bot.session.you = 'lead';
    await bot.session.command('preview');
    expect(bot.answers.at(-1)!.message.text).toContain('## 【O1 业务服务】\n\n1. 第一件事');
    await bot.session.command('status');
    expect(bot.answers.at(-1)!.message.text).toMatch(/^2024-W23 已提交 2\/12\n✅ 【O1 业务服务】、【O3 平台治理】\n/);
    const seen = await participationFor(bot.ctx, bot.team, 'lead', WEEK, 1);
    expect(seen.rows.find((r) => r.person === 'owner-o1' && r.sectionId === 'o1')!.weeks[0]!.status).toBe('on-time');
    const exported = await exportWeeks(store!, bot.team, { from: WEEK, to: WEEK, format: 'markdown' });
    expect(exported).toContain('## 【O1 业务服务】\n\n1. 第一件事');

    // The owner's own answer is empty: what they send now starts it again.
    clock.set('2024-06-07T18:00:00+08:00');
    bot.session.you = 'owner-o1';
    await bot.session.say('1. 重新写的', prompt);
    expect(header().edits).toBe(2);
    expect(files().at(-1)!.file!.content).toContain('## 【O1 业务服务】\n\n1. 重新写的');
    expect(files().at(-1)!.file!.content).not.toContain('第一件事');
    expect(notices()).toHaveLength(2);
  });

  it('stays a start over while the owner starts over again or deletes an old message, and ends with a skip', async () => {
    const { bot, prompt, first, header, notices, toOwner } = await publishedWeek('start_over_twice');
    await bot.session.say('重写', prompt);
    await bot.session.say('重写', prompt);
    // Deleting the old message, no longer part of the answer, changes nothing (answers.test.ts): no
    // revision, nothing said, still waiting for the new text.
    const said = bot.platform.messages.length;
    await bot.session.remove(first.messageId!);
    expect(bot.platform.messages.slice(said)).toEqual([]);
    expect(toOwner(), 'the last word to the owner is still the second 重写’s').toMatch(/^🧹/u);
    expect(header().edits ?? 0).toBe(0);
    expect(notices()).toEqual([]);
    expect((await store!.submissionHistory(O1)).map((s) => s.startedOver ?? false)).toEqual([false, true, true]);

    // “Nothing this week” is an answer: the posted report says so, and the lead is told, once.
    await bot.session.say('本周无', prompt);
    expect(header().edits).toBe(1);
    expect(notices()).toHaveLength(1);
    const file = bot.platform.messages.filter((m) => m.file).at(-1)!.file!.content;
    expect(file).toContain('## 【O1 业务服务】\n\n暂无');
  });

  it('with `lateAnswers: notify-lead`, tells the lead once, when the new text arrives', async () => {
    const { bot, prompt, header, notices, toOwner } = await publishedWeek('start_over_notify_lead');
    bot.team.definition.lateAnswers = 'notify-lead';
    await bot.session.say('重写', prompt);
    expect(toOwner()).toContain('你发来新内容后，会保存新内容并通知负责人（已发布的周报不改动）。');
    expect(notices()).toEqual([]);
    await bot.session.say('1. 重新写的', prompt);
    expect(notices()).toEqual([`✏️ Owner O1 在发布后修改了 ${WEEK} 的 【O1 业务服务】。已发布的周报没有改动。`]);
    expect(header().edits ?? 0).toBe(0);
  });

  it('says it in English for an English team', async () => {
    const { bot, prompt, toOwner } = await publishedWeek('start_over_en');
    bot.team.definition.locale = 'en';
    await bot.session.say('start over', prompt);
    expect(toOwner()).toContain(
      `The ${WEEK} report was already posted: it stays as it is for now, and the leads are not told; when you send the new text, the posted report is updated with it and the leads are told.`,
    );
  });

  // Found by the model-based tests (week-model.test.ts): the co-owner's confirmation previewed the
  // section without the text the report keeps, though it says “the whole section will read”.
  it('shows a co-owner the shared section as the report does: with the other owner’s posted text kept', async () => {
    store = await openTestStore('start_over_co_owner');
    const clock = new FakeClock(new Date('2024-06-04T15:34:00+08:00'));
    const bot = await consoleBot(store, clock);
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const promptOf = (owner: string) => bot.platform.messages.find((m) => m.channel === `@${owner}` && m.answerForm?.sectionId === 'other')!.id;
    bot.session.you = 'owner-o2';
    await bot.session.say('1. O2 的其他事项', promptOf('owner-o2'));
    clock.set('2024-06-07T17:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    clock.set('2024-06-07T17:30:00+08:00');
    await bot.session.say('重写', promptOf('owner-o2'));

    // The lead's late answer: the report keeps O2's posted item after the lead's, and so does the lead's confirmation.
    clock.set('2024-06-07T17:40:00+08:00');
    bot.session.you = 'lead';
    await bot.session.say('1. 负责人的事项', promptOf('lead'));
    const section = '## 【其他】\n\n1. 负责人的事项\n2. O2 的其他事项';
    const file = bot.platform.messages.filter((m) => m.channel === '#payments-weekly' && m.file).at(-1)!.file!.content;
    expect(file).toContain(section);
    const confirmation = bot.platform.messages.filter((m) => m.channel === '@lead' && m.text.startsWith('✅')).at(-1)!;
    expect(confirmation.markdown).toBe(section);
    expect(confirmation.text).toContain(section);
  });

  // Found by the model-based tests (week-model.test.ts): `remind` read the started-over answer as
  // missing and told the co-owner 【其他】 was missing, while status counted it answered.
  it('reminds nobody of a shared section one owner started over: as status, it is answered as posted', async () => {
    store = await openTestStore('start_over_remind');
    const clock = new FakeClock(new Date('2024-06-04T15:34:00+08:00'));
    const bot = await consoleBot(store, clock);
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const prompt = bot.platform.messages.find((m) => m.channel === '@owner-o2' && m.answerForm?.sectionId === 'other')!.id;
    bot.session.you = 'owner-o2';
    await bot.session.say('1. O2 的其他事项', prompt);
    clock.set('2024-06-07T17:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    clock.set('2024-06-07T17:30:00+08:00');
    await bot.session.say('重写', prompt);

    bot.session.you = 'lead';
    await bot.session.command('status');
    expect(bot.answers.at(-1)!.message.text).toMatch(/✅ .*【其他】/u);
    await bot.session.command('remind');
    const leadsPrompt = bot.platform.messages.find((m) => m.channel === '@lead' && m.answerForm?.sectionId === 'other')!.id;
    expect(bot.platform.messages.filter((m) => m.text.startsWith('⏰') && m.threadOf === leadsPrompt)).toEqual([]);
  });

  it('before the report went out, is an ordinary start over: the section is empty everywhere', async () => {
    store = await openTestStore('start_over_before');
    const clock = new FakeClock(new Date('2024-06-04T15:34:00+08:00'));
    const bot = await consoleBot(store, clock);
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const prompt = bot.platform.messages.find((m) => m.channel === '@owner-o1' && m.answerForm?.sectionId === 'o1')!.id;
    bot.session.you = 'owner-o1';
    await bot.session.say('1. 写错了', prompt);
    await bot.session.say('重写', prompt);
    bot.session.you = 'lead';
    await bot.session.command('preview');
    expect(bot.answers.at(-1)!.message.text).toContain('## 【O1 业务服务】\n\n暂无');
    await bot.session.command('status');
    expect(bot.answers.at(-1)!.message.text).toMatch(/^2024-W23 已提交 0\/12\n⏳ 未提交：【贝易转】/);
  });
});
