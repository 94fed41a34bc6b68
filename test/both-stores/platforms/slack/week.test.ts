import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReply } from '../../../../src/report/parse/index.ts';
import { runDueJobs } from '../../../../handlers/cycle/jobs.ts';
import { blockActionPayload, imMessageEvent, richTextOf, slackTextOf, viewSubmissionPayload } from '../../../fakes/slack-payloads.ts';
import type { FakeMessage } from '../../../fakes/slack-api.ts';
import { EXPECTED_MD } from '../../../support/golden.ts';
import { findPrompt, seedReply, startSlackHarness, type SlackHarness } from '../../../platforms/slack/harness.ts';
import { slackModule } from '../../../../src/platforms/slack/module.ts';
import { compileWeek } from '../../../../handlers/cycle/publish.ts';

const TEAM = 'payments-weekly';
const WEEK = '2024-W23';

/**
 * What a week on Slack has that other platforms do not, against the fake Web API: the DM cache,
 * rich_text blocks and the client's text fallback with its escapes, modals and their errors,
 * Markdown blocks, and the report as `weekly-report compile --format slack` prints it. The week
 * itself (prompts, replies, edits, retries, reminders, publishing, a late answer) is
 * test/both-stores/platforms/suite/week.test.ts, which runs on Slack too.
 */
describe('a week on Slack, as only Slack shows it', () => {
  let h: SlackHarness;
  const W22_METRICS = '支付成功率：\n\n- 入金有效成功率：99.950%\n- 出金有效成功率：99.960%';

  beforeAll(async () => {
    h = await startSlackHarness('slack_week');
    // Last week's metrics, so that the metrics form opens prefilled with them.
    const metrics = h.team.definition.sections.find((s) => s.id === 'metrics')!;
    const parsed = parseReply({ source: 'text', text: W22_METRICS }, metrics);
    if (!parsed.ok) throw new Error(parsed.error.message);
    await h.store.recordSubmission({
      teamId: TEAM,
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

  /** The owner types a reply in the thread of a prompt, as the client sends it. */
  async function reply(user: string, typed: { text: string; blocks?: unknown[] }, thread: FakeMessage) {
    const message = h.fake.userMessage({
      channel: h.fake.dmChannelOf(user),
      user,
      text: typed.text,
      ...(typed.blocks ? { blocks: typed.blocks } : {}),
      threadTs: thread.ts,
    });
    expect((await h.sendEvent(imMessageEvent(message))).status).toBe(200);
    return message;
  }
  const confirmations = (prompt: FakeMessage) =>
    h.fake.threadReplies(prompt.channel, prompt.ts).filter((m) => m.user === h.fake.botUserId && m.text.startsWith('✅'));
  const compiledSection = async (sectionId: string) => {
    const cycle = (await h.store.getCycle(TEAM, WEEK))!;
    return (await compileWeek(h.ctx, h.team, cycle)).sections.find((s) => s.id === sectionId)!.markdown;
  };

  it('opens each person’s DM once for the week’s prompts (the DM cache)', async () => {
    await runDueJobs(h.ctx, h.team, 'test-holder');
    expect(h.fake.callsTo('conversations.open', 'ok')).toHaveLength(Object.keys(h.team.definition.people).length);
    expect(h.fake.callsTo('chat.postMessage', 'ok')).toHaveLength(13);
  });

  it('reads a rich-text reply from its blocks, kept as received, not from its text fallback', async () => {
    h.setNow('2024-06-05T10:00:00+08:00');
    const user = h.slackId('owner-beiyizhuan');
    const typed = await seedReply('beiyizhuan');
    await reply(user, { text: slackTextOf(typed), blocks: richTextOf(typed) }, findPrompt(h, user, 'beiyizhuan'));
    const [richText] = await h.store.submissionHistory({ teamId: TEAM, week: WEEK, sectionId: 'beiyizhuan', owner: 'owner-beiyizhuan' });
    expect(richText!.rawPayload).toMatchObject({ blocks: [{ type: 'rich_text' }] });
    expect(richText!.content).toMatchObject({ kind: 'list', items: [{ text: '业务侧：', children: [{}, {}] }, {}, {}] });
  });

  it('reads replies sent as text only: a • list the template numbers, Slack’s escapes (&amp;, &gt;), a <link>, text and entries sections', async () => {
    // Text typed as a bulleted list (Slack's `text` shows `•`): the template numbers it.
    const escrow = findPrompt(h, h.slackId('owner-escrow'), 'decoration-escrow');
    await reply(h.slackId('owner-escrow'), { text: slackTextOf((await seedReply('decoration-escrow')).replace(/^\d+\. /gm, '• ')) }, escrow);
    // Text with Slack's escapes and a link in `<…>`, a text section with a list in it, an entries section.
    const textOnly = [
      ['owner-safety', 'payment-safety'],
      ['owner-o1', 'o1'],
      ['owner-o3', 'o3'],
      ['owner-metrics', 'metrics'],
      ['owner-incidents', 'incidents'],
    ] as const;
    for (const [key, section] of textOnly) {
      await reply(h.slackId(key), { text: slackTextOf(await seedReply(section)) }, findPrompt(h, h.slackId(key), section));
    }
    for (const [key, section] of [['owner-escrow', 'decoration-escrow'], ...textOnly] as const) {
      expect(confirmations(findPrompt(h, h.slackId(key), section)), section).toHaveLength(1);
      // Each section reads as in the reference document.
      expect(EXPECTED_MD, section).toContain((await compiledSection(section)).trimEnd());
    }
  });

  it('opens the modal with the trigger of the button pressed, and stores the text exactly as submitted, confirmed in the prompt’s thread', async () => {
    const user = h.slackId('owner-o2');
    const prompt = findPrompt(h, user, 'o2');
    const action = blockActionPayload(h.fake, { user, message: prompt, actionId: 'open_answer_form' });
    expect((await h.interact(action)).status).toBe(200);
    const opened = h.fake.callsTo('views.open', 'ok');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.args.trigger_id).toBe(action.trigger_id);
    const view = h.fake.views.at(-1)!;

    const submitted = await seedReply('o2');
    expect((await h.interact(viewSubmissionPayload(h.fake, { user, view, values: { answer_0: submitted } }))).status).toBe(200);
    const history = await h.store.submissionHistory({ teamId: TEAM, week: WEEK, sectionId: 'o2', owner: 'owner-o2' });
    expect(history).toHaveLength(1);
    expect(history[0]!.rawText).toBe(submitted);
    // The confirmation goes to the thread of the prompt the form was opened from.
    expect(confirmations(prompt)).toHaveLength(1);
  });

  it('keeps the modal open with what to fix when the text would be rejected, storing nothing', async () => {
    const user = h.slackId('owner-incidents');
    const prompt = findPrompt(h, user, 'incidents');
    await h.interact(blockActionPayload(h.fake, { user, message: prompt, actionId: 'open_answer_form' }));
    const view = h.fake.views.at(-1)!;
    const before = await h.store.submissionHistory({ teamId: TEAM, week: WEEK, sectionId: 'incidents', owner: 'owner-incidents' });
    const response = await h.interact(viewSubmissionPayload(h.fake, { user, view, values: { answer_0: '06/08 10:00 正常\n\n这一行没有时间' } }));
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.answer_0).toContain('这一行没有时间');
    const after = await h.store.submissionHistory({ teamId: TEAM, week: WEEK, sectionId: 'incidents', owner: 'owner-incidents' });
    expect(after).toEqual(before);
  });

  it('answers /weekly-report preview as Markdown blocks', async () => {
    h.setNow('2024-06-07T09:00:00+08:00');
    expect((await h.command(h.slackId('owner-o1'), 'preview')).status).toBe(200);
    const answer = h.fake.responses.at(-1)!.body as { response_type: string; blocks: { type: string; text: string }[] };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.blocks.map((b) => b.type)).toEqual(['markdown']);
    expect(answer.blocks[0]!.text).toContain('## 【O1 业务服务】');
  });

  it('posts the report as `weekly-report compile --format slack` prints it, and shares the .md file in the header’s thread', async () => {
    h.setNow('2024-06-07T10:00:00+08:00');
    const channel = slackModule.reportChannel(h.team.definition)!;
    expect((await h.command(h.slackId('lead'), 'publish confirm')).status).toBe(200);
    expect(h.fake.responses.at(-1)!.body).toMatchObject({ response_type: 'ephemeral', text: '2024-W23 周报已发布。' });

    const [header, ...others] = h.fake.channelMessages(channel);
    expect(others).toHaveLength(0);
    const thread = h.fake.threadReplies(channel, header!.ts);
    const body = thread.filter((m) => (m.blocks ?? []).some((b) => (b as { type?: string }).type === 'markdown'));
    const cycle = (await h.store.getCycle(TEAM, WEEK))!;
    const payloads = slackModule.reportPayloads(await compileWeek(h.ctx, h.team, cycle));
    expect(body.map((m) => ({ text: m.text, blocks: m.blocks }))).toEqual(payloads);

    const shared = thread.filter((m) => m.files?.length);
    expect(shared).toHaveLength(1);
    const file = h.fake.files.find((f) => f.id === shared[0]!.files![0])!;
    expect(file).toMatchObject({ filename: 'payments-weekly-2024-W23.md', channel, threadTs: header!.ts, completed: true });
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});
