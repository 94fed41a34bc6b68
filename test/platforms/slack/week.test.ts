import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSectionBody } from '../../../src/report/render/section-markdown.ts';
import { parseReply } from '../../../src/report/parse/index.ts';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { imMessageChangedEvent, imMessageEvent, blockActionPayload, newEventId, richTextOf, slackTextOf, viewSubmissionPayload } from '../../fakes/slack-payloads.ts';
import type { FakeMessage } from '../../fakes/slack-api.ts';
import { findPrompt, markdownOf, promptSection, readExpected, seedReply, startSlackHarness, unescapeMrkdwn, type SlackHarness } from './harness.ts';
import { slackModule } from '../../../src/platforms/slack/module.ts';
import { compileWeek } from '../../../handlers/cycle/publish.ts';

/**
 * The acceptance run of issue 5: a whole week of payments-weekly through Slack payloads, from the
 * Tuesday prompts to the published report, against the fake Web API and a real MongoDB.
 */
describe('a week on Slack', () => {
  let h: SlackHarness;
  const W22_METRICS = '支付成功率：\n\n- 入金有效成功率：99.950%\n- 出金有效成功率：99.960%';

  beforeAll(async () => {
    h = await startSlackHarness('slack_week');
    // Last week's metrics, so that the metrics form opens prefilled with them.
    const metrics = h.team.definition.sections.find((s) => s.id === 'metrics')!;
    const parsed = parseReply({ source: 'text', text: W22_METRICS }, metrics);
    if (!parsed.ok) throw new Error(parsed.error.message);
    await h.store.recordSubmission({
      teamId: 'payments-weekly',
      week: '2024-W22',
      sectionId: 'metrics',
      owner: 'owner-metrics',
      platform: 'slack',
      eventId: 'seed:2024-W22:metrics',
      rawText: W22_METRICS,
      content: parsed.content,
      receivedAt: new Date('2024-05-31T10:00:00+08:00'),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The owner types a reply: in the thread of a prompt, or at the top of the DM. */
  async function reply(user: string, typed: { text: string; blocks?: unknown[] }, thread?: FakeMessage, delivery: { eventId?: string; retryNum?: number } = {}) {
    const channel = h.fake.dmChannelOf(user);
    const message = h.fake.userMessage({ channel, user, text: typed.text, ...(typed.blocks ? { blocks: typed.blocks } : {}), ...(thread ? { threadTs: thread.ts } : {}) });
    const response = await h.sendEvent(imMessageEvent(message), delivery);
    expect(response.status).toBe(200);
    return message;
  }

  const confirmations = (prompt: FakeMessage) =>
    h.fake.threadReplies(prompt.channel, prompt.ts).filter((m) => m.user === h.fake.botUserId && m.text.startsWith('✅'));

  it('prompts every owner once per section they own, on Tuesday 15:34', async () => {
    await runDueJobs(h.ctx, h.team, 'test-holder');

    const { definition } = h.team;
    for (const [person, { slack }] of Object.entries(definition.people)) {
      const owned = definition.sections.filter((s) => s.owners.includes(person)).map((s) => s.id);
      const prompts = h.fake.channelMessages(h.fake.dmChannelOf(slack!)).filter((m) => m.user === h.fake.botUserId);
      expect(prompts.map(promptSection).sort(), person).toEqual(owned.sort());
    }
    // One conversations.open per person, thanks to the DM cache.
    expect(h.fake.callsTo('conversations.open', 'ok')).toHaveLength(Object.keys(definition.people).length);
    expect(h.fake.callsTo('chat.postMessage', 'ok')).toHaveLength(13);
    expect(await h.store.getCycle('payments-weekly', '2024-W23')).toMatchObject({ createdAt: new Date('2024-06-04T15:34:00+08:00') });
  });

  it('takes the owners’ replies as text, rich text, a thread reply or a top-level DM', async () => {
    h.setNow('2024-06-05T10:00:00+08:00');
    const owner = (key: string) => h.slackId(key);

    // Rich text, as the Slack client sends a typed nested list.
    const beiyizhuan = findPrompt(h, owner('owner-beiyizhuan'), 'beiyizhuan');
    const typed = await seedReply('beiyizhuan');
    await reply(owner('owner-beiyizhuan'), { text: slackTextOf(typed), blocks: richTextOf(typed) }, beiyizhuan);

    // Text typed as a bulleted list (Slack's `text` shows `•`): the template numbers it.
    const escrow = findPrompt(h, owner('owner-escrow'), 'decoration-escrow');
    const escrowText = (await seedReply('decoration-escrow')).replace(/^\d+\. /gm, '• ');
    await reply(owner('owner-escrow'), { text: slackTextOf(escrowText) }, escrow);

    // Text with Slack's escapes (`&amp;`, `&gt;`) and a link in `<…>`.
    for (const [key, section] of [
      ['owner-safety', 'payment-safety'],
      ['owner-o1', 'o1'],
      ['owner-o3', 'o3'],
    ] as const) {
      await reply(owner(key), { text: slackTextOf(await seedReply(section)) }, findPrompt(h, owner(key), section));
    }
    // At the top of the DM, not in the thread: the owner's only open section.
    await reply(owner('owner-o4'), { text: slackTextOf(await seedReply('o4')) });
    // The lead answers next week's plan in its thread.
    await reply(owner('lead'), { text: slackTextOf(await seedReply('next-week')) }, findPrompt(h, owner('lead'), 'next-week'));

    for (const [key, section] of [
      ['owner-beiyizhuan', 'beiyizhuan'],
      ['owner-escrow', 'decoration-escrow'],
      ['owner-safety', 'payment-safety'],
      ['owner-o1', 'o1'],
      ['owner-o3', 'o3'],
      ['lead', 'next-week'],
    ] as const) {
      expect(confirmations(findPrompt(h, owner(key), section)), section).toHaveLength(1);
    }
    // The rich-text reply was read from its blocks (kept as received), not from the text fallback.
    const [richText] = await h.store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'beiyizhuan', owner: 'owner-beiyizhuan' });
    expect(richText!.rawPayload).toMatchObject({ blocks: [{ type: 'rich_text' }] });
    expect(richText!.content).toMatchObject({ kind: 'list', items: [{ text: '业务侧：', children: [{}, {}] }, {}, {}] });
    // The top-level reply is answered at the top of the DM.
    const o4Channel = h.fake.dmChannelOf(owner('owner-o4'));
    expect(h.fake.channelMessages(o4Channel).filter((m) => m.text.startsWith('✅'))).toHaveLength(1);
  });

  it('takes the O2 owner’s two sections in their own threads, and an edit as a new revision', async () => {
    const o2Owner = h.slackId('owner-o2');
    const o2Prompt = findPrompt(h, o2Owner, 'o2');
    const otherPrompt = findPrompt(h, o2Owner, 'other');
    const full = await seedReply('o2');
    const firstDraft = full.split('\n').slice(0, 3).join('\n');

    const sent = await reply(o2Owner, { text: slackTextOf(firstDraft) }, o2Prompt);
    await reply(o2Owner, { text: slackTextOf(await seedReply('other')) }, otherPrompt);

    const previous = { text: sent.text };
    const edited = h.fake.userEdit(sent.channel, sent.ts, slackTextOf(full));
    expect((await h.sendEvent(imMessageChangedEvent(edited, previous))).status).toBe(200);

    const key = { teamId: 'payments-weekly', week: '2024-W23', owner: 'owner-o2' };
    const o2History = await h.store.submissionHistory({ ...key, sectionId: 'o2' });
    expect(o2History.map((s) => s.revision)).toEqual([1, 2]);
    expect(o2History[1]!.content).toMatchObject({ kind: 'list' });
    expect((o2History[1]!.content as { items: unknown[] }).items).toHaveLength(7);
    expect(await h.store.submissionHistory({ ...key, sectionId: 'other' })).toHaveLength(1);
    expect(confirmations(o2Prompt)).toHaveLength(2);
    expect(confirmations(otherPrompt)).toHaveLength(1);
  });

  it('stores an event Slack delivers three times once', async () => {
    const user = h.slackId('owner-incidents');
    const prompt = findPrompt(h, user, 'incidents');
    const eventId = newEventId();
    const message = await reply(user, { text: slackTextOf(await seedReply('incidents')) }, prompt, { eventId });
    for (const retryNum of [1, 2]) {
      const response = await h.sendEvent(imMessageEvent(message), { eventId, retryNum });
      expect(response.status).toBe(200);
    }
    const history = await h.store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'incidents', owner: 'owner-incidents' });
    expect(history).toHaveLength(1);
    expect(confirmations(prompt)).toHaveLength(1);
  });

  it('opens the form prefilled with last week’s text and stores what is submitted', async () => {
    const user = h.slackId('owner-metrics');
    const prompt = findPrompt(h, user, 'metrics');
    expect(unescapeMrkdwn(prompt.text + JSON.stringify(prompt.blocks))).toContain('99.950%');

    const action = blockActionPayload(h.fake, { user, message: prompt, actionId: 'open_answer_form' });
    expect((await h.interact(action)).status).toBe(200);
    const opened = h.fake.callsTo('views.open', 'ok');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.args.trigger_id).toBe(action.trigger_id);
    const view = h.fake.views.at(-1)!;
    const section = h.team.definition.sections.find((s) => s.id === 'metrics')!;
    const w22 = (await h.store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W22', sectionId: 'metrics', owner: 'owner-metrics' }))[0]!;
    const input = (view.view.blocks as { type: string; element?: { initial_value?: string } }[]).find((b) => b.type === 'input')!;
    expect(input.element?.initial_value).toBe(renderSectionBody(section, w22.content));

    const submitted = await seedReply('metrics');
    const submission = viewSubmissionPayload(h.fake, { user, view, values: { answer_0: submitted } });
    expect((await h.interact(submission)).status).toBe(200);
    // Submitting twice (a double click) stores it once.
    expect((await h.interact(submission)).status).toBe(200);

    const history = await h.store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'metrics', owner: 'owner-metrics' });
    expect(history).toHaveLength(1);
    expect(history[0]!.rawText).toBe(submitted);
    // The confirmation goes to the thread of the prompt the form was opened from.
    expect(confirmations(prompt)).toHaveLength(1);
  });

  it('keeps the form open with what to fix when the text would be rejected, storing nothing', async () => {
    const user = h.slackId('owner-incidents');
    const prompt = findPrompt(h, user, 'incidents');
    await h.interact(blockActionPayload(h.fake, { user, message: prompt, actionId: 'open_answer_form' }));
    const view = h.fake.views.at(-1)!;
    const before = await h.store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'incidents', owner: 'owner-incidents' });
    const response = await h.interact(viewSubmissionPayload(h.fake, { user, view, values: { answer_0: '06/08 10:00 正常\n\n这一行没有时间' } }));
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.answer_0).toContain('这一行没有时间');
    const after = await h.store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'incidents', owner: 'owner-incidents' });
    expect(after).toEqual(before);
  });

  it('reminds on Thursday only the owner still missing', async () => {
    h.setNow('2024-06-06T16:05:00+08:00');
    const before = h.fake.callsTo('chat.postMessage', 'ok').length;
    await runDueJobs(h.ctx, h.team, 'test-holder');
    const reminders = h.fake.callsTo('chat.postMessage', 'ok').slice(before);

    const lead = h.slackId('lead');
    const leadDm = h.fake.dmChannelOf(lead);
    // The lead owns reflections (unanswered) and shares `other`, which only the O2 owner answered.
    expect(reminders.map((c) => c.args.channel)).toEqual([leadDm, leadDm]);
    const threads = reminders.map((c) => c.args.thread_ts).sort();
    expect(threads).toEqual([findPrompt(h, lead, 'other').ts, findPrompt(h, lead, 'reflections').ts].sort());
    expect(reminders.every((c) => String(c.args.text).startsWith('⏰'))).toBe(true);
  });

  it('answers /weekly-report preview to the caller only, as Markdown', async () => {
    h.setNow('2024-06-07T09:00:00+08:00');
    expect((await h.command(h.slackId('owner-o1'), 'preview')).status).toBe(200);
    const answer = h.fake.responses.at(-1)!.body as { response_type: string; blocks: { type: string; text: string }[] };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.blocks.map((b) => b.type)).toEqual(['markdown']);
    expect(answer.blocks[0]!.text).toContain('## 【O1 业务服务】');
    expect(h.fake.channelMessages(slackModule.reportChannel(h.team.definition)!)).toEqual([]);
  });

  it('publishes on the lead’s /weekly-report publish: header, the report in its thread, the .md file', async () => {
    h.setNow('2024-06-07T10:00:00+08:00');
    const channel = slackModule.reportChannel(h.team.definition)!;
    // The lead's section is missing (【其他】, which the lead shares, is covered by O2's answer):
    // publish asks first, with a button that publishes anyway.
    const response = await h.command(h.slackId('lead'), 'publish');
    expect(response.status).toBe(200);
    const asked = h.fake.responses.at(-1)!.body as { response_type: string; text: string; blocks: { type: string; elements?: { value?: string; action_id?: string }[] }[] };
    expect(asked.response_type).toBe('ephemeral');
    expect(asked.text).toMatch(/还有 1 个部分未提交：收获与反思（Lead）。/);
    expect(h.fake.channelMessages(channel)).toEqual([]);
    const button = asked.blocks.find((b) => b.type === 'actions')!.elements![0]!;
    expect(button.value).toBe('publish confirm');
    const pressed = { ts: '1717740000.000100', channel: 'D0000000099', user: 'U0BOT', text: asked.text, blocks: asked.blocks } as unknown as FakeMessage;
    expect((await h.interact(blockActionPayload(h.fake, { user: h.slackId('lead'), message: pressed, actionId: button.action_id! }))).status).toBe(200);
    expect(h.fake.responses.at(-1)!.body).toMatchObject({ response_type: 'ephemeral', text: '2024-W23 周报已发布。' });

    const expected = await readExpected();
    const [header, ...others] = h.fake.channelMessages(channel);
    expect(others).toHaveLength(0);
    expect(header!.text).toMatch(/^📋 支付中心周报 2024-W23：已提交 11\/12，未提交：Lead。/);

    const thread = h.fake.threadReplies(channel, header!.ts);
    const body = thread.filter((m) => markdownOf(m).length > 0);
    expect(body.flatMap(markdownOf).join('\n\n')).toBe(expected.trimEnd());
    // What `weekly-report compile --format slack` prints is what was posted.
    const cycle = (await h.store.getCycle('payments-weekly', '2024-W23'))!;
    const payloads = slackModule.reportPayloads(await compileWeek(h.ctx, h.team, cycle));
    expect(body.map((m) => ({ text: m.text, blocks: m.blocks }))).toEqual(payloads);

    const shared = thread.filter((m) => m.files?.length);
    expect(shared).toHaveLength(1);
    const file = h.fake.files.find((f) => f.id === shared[0]!.files![0])!;
    expect(file).toMatchObject({ filename: 'payments-weekly-2024-W23.md', channel, threadTs: header!.ts, completed: true });
    // The compiled report ends with a newline; expected.md is stored without one.
    expect(file.content!.replace(/\n$/, '')).toBe(expected.replace(/\n$/, ''));
  });

  it('updates the posted messages instead of posting again when published again', async () => {
    const channel = slackModule.reportChannel(h.team.definition)!;
    const postsBefore = h.fake.callsTo('chat.postMessage', 'ok').filter((c) => c.args.channel === channel).length;
    const filesBefore = h.fake.files.length;

    await h.command(h.slackId('lead'), 'publish');
    expect(h.fake.responses.at(-1)!.body).toMatchObject({ response_type: 'ephemeral', text: '2024-W23 周报已更新。' });

    expect(h.fake.callsTo('chat.postMessage', 'ok').filter((c) => c.args.channel === channel)).toHaveLength(postsBefore);
    // Nothing changed since it was posted: no message is touched either (a change is updated in place: republish.test.ts).
    expect(h.fake.callsTo('chat.update', 'ok')).toHaveLength(0);
    expect(h.fake.channelMessages(channel)).toHaveLength(1);
    // The report did not change: the file is not attached again.
    expect(h.fake.files).toHaveLength(filesBefore);
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});
