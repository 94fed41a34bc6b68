import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/cycle/jobs.ts';
import { slackModule } from '../../../../src/platforms/slack/module.ts';
import { signedPost, type FakeMessage } from '../../../fakes/slack-api.ts';
import { eventEnvelope, imMessageEvent, JSON_TYPE, newEventId } from '../../../fakes/slack-payloads.ts';
import { findPrompt, markdownOf, SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../../../platforms/slack/harness.ts';
import { settle } from '../../../support/manual-clock.ts';

const WEEK = '2024-W23';

/** An answer after the week's report went out, on Slack against the fake Web API. */
describe('a late answer on Slack', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** A week opened on Tuesday, O1 answered on Wednesday, published by the schedule on Friday 17:00. */
  async function publishedWeek(label: string): Promise<{ week: SlackHarness; channel: string; header: FakeMessage; prompt: FakeMessage }> {
    const harness = await startSlackHarness(label, { now: '2024-06-04T15:34:00+08:00' });
    h = harness;
    await runDueJobs(harness.ctx, harness.team, 'test-holder');
    harness.setNow('2024-06-05T10:00:00+08:00');
    const prompt = findPrompt(harness, harness.slackId('owner-o1'), 'o1');
    await type(harness, prompt, '1. 第一件事');
    harness.setNow('2024-06-07T17:00:00+08:00');
    await runDueJobs(harness.ctx, harness.team, 'test-holder');
    const channel = slackModule.reportChannel(harness.team.definition)!;
    const [header] = harness.fake.channelMessages(channel);
    expect(header!.text).toMatch(/^📋 支付中心周报 2024-W23：已提交 1\/12/);
    return { week: harness, channel, header: header!, prompt };
  }

  async function type(harness: SlackHarness, prompt: FakeMessage, text: string, eventId = newEventId()): Promise<FakeMessage> {
    const message = harness.fake.userMessage({ channel: prompt.channel, user: harness.slackId('owner-o1'), text, threadTs: prompt.ts });
    expect((await harness.sendEvent(imMessageEvent(message), { eventId })).status).toBe(200);
    return message;
  }

  const lastConfirmation = (harness: SlackHarness, prompt: FakeMessage) =>
    harness.fake
      .threadReplies(prompt.channel, prompt.ts)
      .filter((m) => m.user === harness.fake.botUserId && m.text.startsWith('✅'))
      .at(-1)!;
  /** The ✏️ direct messages each person got from the bot. */
  const leadNotices = (harness: SlackHarness) =>
    Object.fromEntries(
      Object.keys(harness.team.definition.people).flatMap((person) => {
        const notices = harness.fake.botMessages(harness.fake.dmChannelOf(harness.slackId(person))).filter((m) => m.text.startsWith('✏️'));
        return notices.length > 0 ? [[person, notices.map((m) => m.text)]] : [];
      }),
    );
  const o1Part = (harness: SlackHarness, channel: string, header: FakeMessage) =>
    harness.fake.threadReplies(channel, header.ts).find((m) => markdownOf(m).some((md) => md.includes('## 【O1 业务服务】')))!;

  it('is stored, the owner is told, the posted report is updated in place and marked, and each lead gets one message', async () => {
    const { week, channel, header, prompt } = await publishedWeek('slack_late_answer');
    const { fake } = week;
    // Two leads: each is told once.
    week.team.definition.leads = ['lead', 'owner-o3'];
    const postsBefore = fake.callsTo('chat.postMessage', 'ok').filter((c) => c.args.channel === channel).length;
    const partBefore = o1Part(week, channel, header);
    expect(markdownOf(partBefore).join('\n')).not.toContain('发布后补充');
    expect(fake.files).toHaveLength(1);

    week.setNow('2024-06-07T17:30:00+08:00');
    const eventId = newEventId();
    const late = await type(week, prompt, '2. 发布后补充', eventId);

    const history = await week.store.submissionHistory({ teamId: 'payments-weekly', week: WEEK, sectionId: 'o1', owner: 'owner-o1' });
    expect(history.at(-1)!.parts!.map((p) => p.rawText)).toEqual(['1. 第一件事', '2. 发布后补充']);
    expect(lastConfirmation(week, prompt).text).toContain(`${WEEK} 周报已经发布，已按你的修改更新已发布的周报，并通知了负责人。`);

    // Updated in place: no new message in the channel, the header and the O1 part edited.
    expect(fake.callsTo('chat.postMessage', 'ok').filter((c) => c.args.channel === channel)).toHaveLength(postsBefore);
    expect(fake.channelMessages(channel)).toEqual([header]);
    expect(header.edits).toBe(1);
    expect(header.text).toContain('（发布后已更新：【O1 业务服务】）');
    const partAfter = o1Part(week, channel, header);
    expect(partAfter.ts).toBe(partBefore.ts);
    expect(partAfter.edits).toBe(1);
    expect(markdownOf(partAfter).join('\n')).toContain('## 【O1 业务服务】\n\n1. 第一件事\n2. 发布后补充');
    expect(fake.callsTo('chat.update', 'ok').every((c) => c.args.channel === channel)).toBe(true);
    // A new .md file in the report's thread (Slack files cannot be replaced).
    expect(fake.files).toHaveLength(2);
    expect(fake.files[1]).toMatchObject({ filename: 'payments-weekly-2024-W23.md', channel, threadTs: header.ts, completed: true });
    expect(fake.files[1]!.content).toContain('## 【O1 业务服务】\n\n1. 第一件事\n2. 发布后补充');

    const notice = `✏️ Owner O1 在发布后修改了 ${WEEK} 的 【O1 业务服务】。已发布的周报已更新。`;
    expect(leadNotices(week)).toEqual({ lead: [notice], 'owner-o3': [notice] });

    // Slack retries the same event: nothing is stored, updated, uploaded or told again.
    const updates = fake.callsTo('chat.update').length;
    const retried = await week.sendEvent(imMessageEvent(late), { eventId, retryNum: 1 });
    expect(retried.status).toBe(200);
    expect(await week.store.submissionHistory({ teamId: 'payments-weekly', week: WEEK, sectionId: 'o1', owner: 'owner-o1' })).toHaveLength(history.length);
    expect(fake.callsTo('chat.update')).toHaveLength(updates);
    expect(fake.files).toHaveLength(2);
    expect(leadNotices(week)).toEqual({ lead: [notice], 'owner-o3': [notice] });
    expect(week.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('with `lateAnswers: notify-lead`, is stored and the lead is told, and the posted report stays as it was', async () => {
    const { week, channel, header, prompt } = await publishedWeek('slack_late_answer_notify_lead');
    const { fake } = week;
    week.team.definition.lateAnswers = 'notify-lead';
    const headerText = header.text;
    const partBefore = structuredClone(o1Part(week, channel, header));

    week.setNow('2024-06-07T17:30:00+08:00');
    await type(week, prompt, '2. 发布后补充');

    const history = await week.store.submissionHistory({ teamId: 'payments-weekly', week: WEEK, sectionId: 'o1', owner: 'owner-o1' });
    expect(history.at(-1)!.parts!.map((p) => p.rawText)).toEqual(['1. 第一件事', '2. 发布后补充']);
    expect(lastConfirmation(week, prompt).text).toContain(`${WEEK} 周报已经发布；你的修改已保存，并已通知负责人。`);

    expect(fake.callsTo('chat.update')).toEqual([]);
    expect(fake.channelMessages(channel)).toEqual([header]);
    expect(header.text).toBe(headerText);
    expect(o1Part(week, channel, header)).toEqual(partBefore);
    expect(fake.files).toHaveLength(1);
    expect(leadNotices(week)).toEqual({ lead: [`✏️ Owner O1 在发布后修改了 ${WEEK} 的 【O1 业务服务】。已发布的周报没有改动。`] });
    expect(week.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('from two owners at the same time, updates each posted message once and attaches one new file, with both answers', async () => {
    const { week, channel, header } = await publishedWeek('slack_two_late_answers');
    const { fake } = week;
    const parts = fake.threadReplies(channel, header.ts).filter((m) => m.user === fake.botUserId && markdownOf(m).length > 0);
    week.setNow('2024-06-07T17:30:00+08:00');
    const typedBy = (owner: string, sectionId: string, text: string) => {
      const prompt = findPrompt(week, week.slackId(owner), sectionId);
      return imMessageEvent(fake.userMessage({ channel: prompt.channel, user: week.slackId(owner), text, threadTs: prompt.ts }));
    };
    const late = [typedBy('owner-o2', 'o2', '1. 迟到的回答甲'), typedBy('owner-o3', 'o3', '1. 迟到的回答乙')];
    // Together: time stands still until Slack has had both acknowledged and the bot has stored both.
    const deliver = (event: Record<string, unknown>) => signedPost(week.eventsUrl(), eventEnvelope(fake, event, newEventId()), JSON_TYPE, SIGNING_SECRET);
    const answers = await week.clock.during(async () => {
      const delivered = await Promise.all(late.map(deliver));
      while ((await week.store.latestSubmissions('payments-weekly', WEEK)).length < 3) await settle();
      return delivered;
    });
    await week.runtime.idle();
    expect(answers.map((a) => a.status)).toEqual([200, 200]);

    expect(fake.files).toHaveLength(2);
    expect(fake.files[1]!.content).toContain('迟到的回答甲');
    expect(fake.files[1]!.content).toContain('迟到的回答乙');
    expect(header.edits).toBe(1);
    expect(parts.map((p) => p.edits)).toEqual(parts.map(() => 1));
    expect(week.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});
