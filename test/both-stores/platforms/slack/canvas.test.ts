import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/cycle/jobs.ts';
import { openWeek } from '../../../../handlers/cycle/prompt.ts';
import { publishWeek } from '../../../../handlers/cycle/publish.ts';
import type { BotContext } from '../../../../src/bot/context.ts';
import { canvasMarkdown } from '../../../../src/platforms/slack/canvas-markdown.ts';
import { SlackPlatform } from '../../../../src/platforms/slack/client-platform.ts';
import { slackModule } from '../../../../src/platforms/slack/module.ts';
import type { FakeMessage, FakeSlackOptions } from '../../../fakes/slack-api.ts';
import { imMessageEvent, newEventId } from '../../../fakes/slack-payloads.ts';
import { BOT_TOKEN, FAST_RETRIES, findPrompt, startSlackHarness, type SlackHarness } from '../../../platforms/slack/harness.ts';

const WEEK = '2024-W23';
const TUESDAY = '2024-06-04T15:34:00+08:00';
const FRIDAY = '2024-06-07T17:00:00+08:00';

/** The week's report as a canvas on Slack (`post.slack.canvas: true`), against the fake Web API. */
describe('the week’s canvas on Slack', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** A week with the canvas turned on, opened on Tuesday (every owner prompted), O1 answered on Wednesday. */
  async function weekWithCanvas(label: string, workspace?: Pick<FakeSlackOptions, 'scopes' | 'canvases'>) {
    const harness = await startSlackHarness(label, { now: TUESDAY, ...(workspace ? { workspace } : {}) });
    h = harness;
    const { definition } = harness.team;
    definition.post = { ...definition.post, slack: { ...(definition.post.slack as object), canvas: true } };
    await runDueJobs(harness.ctx, harness.team, 'test-holder');
    harness.setNow('2024-06-05T10:00:00+08:00');
    const prompt = findPrompt(harness, harness.slackId('owner-o1'), 'o1');
    await type(harness, prompt, '1. 第一件事');
    harness.setNow(FRIDAY);
    return { week: harness, prompt, channel: slackModule.reportChannel(definition)! };
  }

  async function type(harness: SlackHarness, prompt: FakeMessage, text: string): Promise<void> {
    const message = harness.fake.userMessage({ channel: prompt.channel, user: harness.slackId('owner-o1'), text, threadTs: prompt.ts });
    expect((await harness.sendEvent(imMessageEvent(message), { eventId: newEventId() })).status).toBe(200);
  }

  /** The report as the last `.md` file attached to the digest says it. */
  const lastReportFile = (harness: SlackHarness) => harness.fake.files.filter((f) => f.completed && f.filename.endsWith('.md')).at(-1)!.content!;
  const headerOf = (harness: SlackHarness, channel: string) => harness.fake.channelMessages(channel).find((m) => m.text.startsWith('📋'))!;
  /** The ⚠️ direct messages the lead got. */
  const leadWarnings = (harness: SlackHarness) =>
    harness.fake.botMessages(harness.fake.dmChannelOf(harness.slackId('lead'))).filter((m) => m.text.startsWith('⚠️'));

  it('creates the canvas once, tabbed in the channel, holding the report, linked from the digest; a late answer updates it in place', async () => {
    const { week, prompt, channel } = await weekWithCanvas('slack_canvas_week');
    const { fake } = week;
    await runDueJobs(week.ctx, week.team, 'test-holder');

    expect(fake.canvases).toHaveLength(1);
    const canvas = fake.canvases[0]!;
    expect(canvas).toMatchObject({ channel, title: expect.stringContaining(WEEK), edits: 1 });
    expect(canvas.markdown).toBe(canvasMarkdown(lastReportFile(week)));
    expect(canvas.markdown).toContain('第一件事');
    const link = `https://fake.slack.test/docs/${fake.teamId}/${canvas.id}`;
    const header = headerOf(week, channel);
    expect(header.text).toContain(`📄 Slack canvas：${link}`);

    // Publishing again with nothing changed touches nothing.
    await publishWeek(week.ctx, week.team, WEEK, 'test-holder');
    expect(canvas.edits).toBe(1);

    // A late answer: the same canvas gets the new report; the digest keeps the same link.
    week.setNow('2024-06-07T17:30:00+08:00');
    await type(week, prompt, '2. 发布后补充');
    expect(fake.callsTo('canvases.create', 'ok')).toHaveLength(1);
    expect(fake.canvases).toHaveLength(1);
    expect(canvas.edits).toBe(2);
    expect(canvas.markdown).toContain('发布后补充');
    expect(canvas.markdown).toBe(canvasMarkdown(lastReportFile(week)));
    expect(header.edits).toBe(1);
    expect(header.text).toContain(`📄 Slack canvas：${link}`);
    expect(leadWarnings(week)).toEqual([]);
  });

  it('creates one canvas when two replicas publish the week at once', async () => {
    const { week, channel } = await weekWithCanvas('slack_canvas_replicas');
    const platform = new SlackPlatform(new webApi.WebClient(BOT_TOKEN, { slackApiUrl: week.fake.apiUrl, retryConfig: FAST_RETRIES }));
    const replicaB: BotContext = { ...week.ctx, platforms: { slack: platform } };
    await openWeek(week.ctx, week.team, WEEK);

    await Promise.all([publishWeek(week.ctx, week.team, WEEK, 'replica-a'), publishWeek(replicaB, week.team, WEEK, 'replica-b')]);

    expect(week.fake.callsTo('canvases.create')).toHaveLength(1);
    expect(week.fake.canvases).toHaveLength(1);
    expect(week.fake.canvases[0]!.edits).toBe(1);
    expect(week.fake.channelMessages(channel).filter((m) => m.text.startsWith('📋'))).toHaveLength(1);
    expect(headerOf(week, channel).text).toContain(week.fake.canvases[0]!.id);
  });

  it('after a restart, a late answer fills the canvas made before it, and no other', async () => {
    const { week, prompt } = await weekWithCanvas('slack_canvas_restart');
    await runDueJobs(week.ctx, week.team, 'test-holder');
    const [canvas] = week.fake.canvases;

    await week.restart('restarted-process');
    week.setNow('2024-06-07T17:30:00+08:00');
    await type(week, prompt, '2. 重启后补充');

    expect(week.fake.callsTo('canvases.create')).toHaveLength(1);
    expect(week.fake.canvases).toEqual([canvas]);
    expect(canvas!.edits).toBe(2);
    expect(canvas!.markdown).toContain('重启后补充');
  });

  it('without canvases:write, posts the digest anyway and tells the leads once what to add', async () => {
    const { week, prompt, channel } = await weekWithCanvas('slack_canvas_scope', { scopes: ['chat:write', 'im:write', 'files:write', 'users:read'] });
    const { fake } = week;
    await runDueJobs(week.ctx, week.team, 'test-holder');

    // The chat publication is all there: header, report in the thread, the file.
    const header = headerOf(week, channel);
    expect(header.text).not.toContain('📄');
    expect(fake.threadReplies(channel, header.ts).length).toBeGreaterThan(0);
    expect(lastReportFile(week)).toContain('第一件事');
    expect(fake.canvases).toEqual([]);
    const warnings = leadWarnings(week);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text).toContain('missing_scope');
    expect(warnings[0]!.text).toContain('canvases:write');

    // The next publication (a late answer) tries again, and the leads are not told twice.
    week.setNow('2024-06-07T17:30:00+08:00');
    await type(week, prompt, '2. 发布后补充');
    expect(fake.callsTo('canvases.create', 'error')).toHaveLength(2);
    expect(lastReportFile(week)).toContain('发布后补充');
    expect(leadWarnings(week)).toHaveLength(1);
  });

  it('on a workspace without canvases, tells the leads the plan or settings do not allow it', async () => {
    const { week, channel } = await weekWithCanvas('slack_canvas_plan', { canvases: 'disabled' });
    await runDueJobs(week.ctx, week.team, 'test-holder');
    expect(headerOf(week, channel)).toBeDefined();
    const warnings = leadWarnings(week);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text).toContain('canvas_disabled_user_team');
    expect(warnings[0]!.text).toMatch(/套餐|plan/);
  });
});
