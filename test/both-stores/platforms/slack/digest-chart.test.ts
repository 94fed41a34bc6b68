import { afterEach, describe, expect, it } from 'vitest';
import { publishWeek } from '../../../../handlers/cycle/publish.ts';
import { slackModule } from '../../../../src/platforms/slack/module.ts';
import { parseReply } from '../../../../src/report/parse/index.ts';
import { momentInWeek, shiftWeek } from '../../../../src/report/week.ts';
import type { FakeFile } from '../../../fakes/slack-api.ts';
import { pngSize } from '../../../charts/golden-file.ts';
import { storeReferenceWeek, storeWeek, W22_CREATED, W22_REPLIES } from '../../../support/stored-weeks.ts';
import { startSlackHarness, type SlackHarness } from '../../../platforms/slack/harness.ts';

const WEEK = '2024-W23';
const FRIDAY = '2024-06-07T17:00:00+08:00';
const CHART_TITLE = '支付中心周报 入金有效成功率、出金有效成功率、年度可用性 2024-W12 – 2024-W23';

/**
 * The trend chart posted with the Friday digest as Slack shares it (a PNG file), its upload
 * failing, and the long answers across weeks within Slack's limits, against the fake Web API.
 * When the chart is posted, and how often, is test/both-stores/platforms/suite/digest-chart.test.ts,
 * which runs on Slack too.
 */
describe('the digest’s trend chart on Slack', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Friday of the reference week, with 2024-W22 stored before it. */
  async function friday(label: string): Promise<SlackHarness> {
    const harness = await startSlackHarness(label, { now: FRIDAY });
    h = harness;
    await storeWeek(harness.store, harness.team, '2024-W22', W22_CREATED, W22_REPLIES, new Date('2024-05-31T17:00:00+08:00'));
    await storeReferenceWeek(harness.store, harness.team);
    return harness;
  }
  const channelOf = (harness: SlackHarness) => slackModule.reportChannel(harness.team.definition)!;
  const headerOf = (harness: SlackHarness) => harness.fake.channelMessages(channelOf(harness))[0]!;
  /** The PNG files shared in the digest's thread. */
  const chartsIn = (harness: SlackHarness): FakeFile[] => {
    const header = headerOf(harness);
    return harness.fake.files.filter((f) => f.completed && f.channel === header.channel && f.threadTs === header.ts && f.filename.endsWith('.png'));
  };
  /** An owner changes their section after the report went out (stored as the reply handler would). */
  async function lateAnswer(harness: SlackHarness, sectionId: string, owner: string, text: string, at: string): Promise<void> {
    const section = harness.team.definition.sections.find((s) => s.id === sectionId)!;
    const parsed = parseReply({ source: 'text', text }, section, { locale: 'zh-CN' });
    if (!parsed.ok) throw new Error(parsed.error.message);
    await harness.store.recordSubmission({
      teamId: 'payments-weekly',
      week: WEEK,
      sectionId,
      owner,
      platform: 'slack',
      eventId: `late:${sectionId}:${at}`,
      rawText: text,
      content: parsed.content,
      receivedAt: new Date(at),
    });
  }
  /** O1 adds an item: the report changes, the chart does not. */
  const addToO1 = (harness: SlackHarness, at: string) => lateAnswer(harness, 'o1', 'owner-o1', '1. 补充一项：对账告警阈值调整', at);

  it('shares the chart as a PNG file named after the week, after the report’s .md file in the digest’s thread', async () => {
    const week = await friday('slack_digest_chart');
    await publishWeek(week.ctx, week.team, WEEK, 'replica-a');
    const [chart, ...more] = chartsIn(week);
    expect(more).toEqual([]);
    expect(chart).toMatchObject({ filename: 'payments-weekly-trend-percentages-2024-W23.png', title: CHART_TITLE });
    expect(pngSize(chart!.bytes!)).toEqual({ width: 800, height: 400 });
    // Under the same header as the report and its .md file.
    expect(week.fake.files.filter((f) => f.threadTs === headerOf(week).ts).map((f) => f.filename)).toEqual([
      'payments-weekly-2024-W23.md',
      'payments-weekly-trend-percentages-2024-W23.png',
    ]);
  });

  it('publishes the report when the chart’s upload fails, logs it, and the next publication that posts anything posts the chart', async () => {
    const week = await friday('slack_digest_chart_failure');
    week.fake.failNext('files.getUploadURLExternal', 'internal_error', { when: (args) => String(args.filename).endsWith('.png') });
    expect(await publishWeek(week.ctx, week.team, WEEK, 'replica-a')).toEqual({ status: 'published', updated: false });
    expect(chartsIn(week)).toEqual([]);
    expect(week.fake.files.some((f) => f.completed && f.filename === 'payments-weekly-2024-W23.md')).toBe(true);
    expect(week.logs.some((l) => l.level === 50 && l.msg.startsWith('posting the digest’s trend chart failed'))).toBe(true);

    await addToO1(week, '2024-06-07T17:30:00+08:00');
    week.setNow('2024-06-07T17:31:00+08:00');
    await publishWeek(week.ctx, week.team, WEEK, 'replica-a');
    expect(chartsIn(week)).toHaveLength(1);
  });
});

describe('answers across weeks on Slack', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('sends the participation heatmap to the caller’s direct messages only, and a member’s holds only their own row', async () => {
    const week = await startSlackHarness('slack_participation_heatmap', { now: FRIDAY });
    h = week;
    await storeWeek(week.store, week.team, '2024-W22', W22_CREATED, W22_REPLIES, new Date('2024-05-31T17:00:00+08:00'));
    await storeReferenceWeek(week.store, week.team);
    const member = week.slackId('owner-escrow');
    const lead = week.slackId('lead');
    await week.command(member, 'participation');
    await week.command(lead, 'participation');

    const pictures = week.fake.files.filter((f) => f.completed && f.filename.endsWith('.png'));
    expect(pictures.map((f) => f.channel)).toEqual([week.fake.dmChannelOf(member), week.fake.dmChannelOf(lead)]);
    const people = new Set(week.team.definition.sections.flatMap((s) => s.owners)).size;
    expect(pictures.map((f) => pngSize(f.bytes!).height)).toEqual([150 + 40, 150 + 40 * people]);
    // Nothing about anyone in the channel where the commands were typed.
    expect(week.fake.messages.filter((m) => m.channel === slackModule.reportChannel(week.team.definition))).toEqual([]);
  });

  it('answers a year of a long section in at most five responses within Slack’s limits, and the whole of it as a file in a direct message', async () => {
    const week = await startSlackHarness('slack_long_history', { now: FRIDAY });
    h = week;
    const items = (w: string) => Array.from({ length: 25 }, (_, i) => `${i + 1}. ${w} 第 ${i + 1} 项：${'支付链路治理与对账改进'.repeat(9)}`).join('\n');
    for (let back = 51; back >= 0; back -= 1) {
      const w = shiftWeek(WEEK, -back);
      await storeWeek(week.store, week.team, w, momentInWeek(w, { day: 'tuesday', time: '15:30' }, 'Asia/Shanghai'), [{ sectionId: 'o1', text: items(w) }]);
    }
    const lead = week.slackId('lead');
    await week.command(lead, 'history o1 52');

    const responses = week.fake.responses.map(
      (r) => r.body as { response_type: string; text: string; blocks?: { type: string; text?: string | { text: string } }[] },
    );
    expect(responses).toHaveLength(5);
    for (const response of responses) {
      expect(response.response_type).toBe('ephemeral');
      expect(response.blocks!.length).toBeLessThanOrEqual(50);
      const markdown = response.blocks!.filter((b) => b.type === 'markdown').map((b) => b.text as string);
      expect(markdown.reduce((n, t) => n + [...t].length, 0)).toBeLessThanOrEqual(12_000);
      for (const b of response.blocks!.filter((b) => b.type === 'section')) expect([...(b.text as { text: string }).text].length).toBeLessThanOrEqual(3_000);
    }
    expect(JSON.stringify(responses[4])).toContain('完整内容已作为文件 payments-weekly-history-o1-2023-W24-2024-W23.md 私信发给你');
    const [file] = week.fake.files.filter((f) => f.completed && f.filename.endsWith('.md'));
    expect(file!.channel).toBe(week.fake.dmChannelOf(lead));
    for (let back = 51; back >= 0; back -= 1) expect(file!.content).toContain(items(shiftWeek(WEEK, -back)).split('\n')[24]!.slice(4));
  });
});
