import { afterEach, describe, expect, it } from 'vitest';
import { digestChart, postDigestChart } from '../../../../handlers/cycle/digest-chart.ts';
import { publishWeek } from '../../../../handlers/cycle/publish.ts';
import type { Team } from '../../../../src/report/definition.ts';
import { parseReply } from '../../../../src/report/parse/index.ts';
import { pngSize } from '../../../charts/golden-file.ts';
import { storeReferenceWeek, storeWeek, W22_CREATED, W22_REPLIES } from '../../../support/stored-weeks.ts';
import { PLATFORMS, type PlatformHarness } from '../../../platforms/suite/platforms.ts';

const TEAM = 'payments-weekly';
const WEEK = '2024-W23';
const FRIDAY = '2024-06-07T17:00:00+08:00';
const CHART_TITLE = '支付中心周报 入金有效成功率、出金有效成功率、年度可用性 2024-W12 – 2024-W23';

/** The trend chart posted with the Friday digest: once per chart, whoever publishes, and only when there is a trend. */
describe.each(PLATFORMS)('the digest’s trend chart on $name', (platform) => {
  const { capabilities } = platform;
  let h: PlatformHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Friday of the reference week, with 2024-W22 stored before it (or not). */
  async function friday(label: string, { lastWeek = true } = {}): Promise<PlatformHarness> {
    const week = await platform.start(label, { now: FRIDAY });
    h = week;
    if (lastWeek) await storeWeek(week.store, week.team, '2024-W22', W22_CREATED, W22_REPLIES, new Date('2024-05-31T17:00:00+08:00'));
    await storeReferenceWeek(week.store, week.team);
    return week;
  }
  /** An owner changes their section after the report went out (stored as the reply handler would). */
  async function lateAnswer(week: PlatformHarness, sectionId: string, owner: string, text: string, at: string): Promise<void> {
    const section = week.team.definition.sections.find((s) => s.id === sectionId)!;
    const parsed = parseReply({ source: 'text', text }, section, { locale: 'zh-CN' });
    if (!parsed.ok) throw new Error(parsed.error.message);
    await week.store.recordSubmission({
      teamId: TEAM,
      week: WEEK,
      sectionId,
      owner,
      platform: week.name,
      eventId: `late:${sectionId}:${at}`,
      rawText: text,
      content: parsed.content,
      receivedAt: new Date(at),
    });
  }
  /** The metrics owner corrects 入金有效成功率: the chart changes. */
  const correctMetrics = (week: PlatformHarness, at: string) =>
    lateAnswer(
      week,
      'metrics',
      'owner-metrics',
      '入金有效成功率：99.970%\n出金有效成功率：99.980%\n年度可用性：100%\n事故数AB级0次，CD级1次。\n待追款0个商户，金额 0 。 其中 账户已沉淀金额：0 待追回：0',
      at,
    );
  /** O1 adds an item: the report changes, the chart does not. */
  const addToO1 = (week: PlatformHarness, at: string) => lateAnswer(week, 'o1', 'owner-o1', '1. 补充一项：对账告警阈值调整', at);

  it('posts the chart of the last 12 weeks in the digest’s thread, next to the report', async () => {
    const week = await friday('digest_chart');
    expect(await publishWeek(week.ctx, week.team, WEEK, 'replica-a')).toEqual({ status: 'published', updated: false });
    const { charts, files } = week.digest();
    expect(charts.map((c) => c.title)).toEqual([CHART_TITLE]);
    expect(files.map((f) => f.filename)).toEqual([`${TEAM}-${WEEK}.md`]);
  });

  it.skipIf(!capabilities.chartPixels)('draws it as an 800×400 PNG', async () => {
    const week = await friday('digest_chart_png');
    await publishWeek(week.ctx, week.team, WEEK, 'replica-a');
    const [chart] = week.digest().charts;
    expect(pngSize(chart!.png!)).toEqual({ width: 800, height: 400 });
  });

  it('does not post it again when the week is published again with the same chart, and posts the new chart when a metric changed', async () => {
    const week = await friday('digest_chart_again');
    await publishWeek(week.ctx, week.team, WEEK, 'replica-a');
    week.setNow('2024-06-07T17:30:00+08:00');
    await publishWeek(week.ctx, week.team, WEEK, 'replica-b');
    expect(week.digest().charts).toHaveLength(1);
    // The report changes and is posted again; its chart is the same.
    await addToO1(week, '2024-06-07T17:40:00+08:00');
    week.setNow('2024-06-07T17:41:00+08:00');
    await publishWeek(week.ctx, week.team, WEEK, 'replica-a');
    expect(week.digest().body).toContain('补充一项');
    expect(week.digest().charts).toHaveLength(1);

    await correctMetrics(week, '2024-06-07T18:00:00+08:00');
    week.setNow('2024-06-07T18:01:00+08:00');
    await publishWeek(week.ctx, week.team, WEEK, 'replica-a');
    await publishWeek(week.ctx, week.team, WEEK, 'replica-b');
    expect(week.digest().charts).toHaveLength(2);
  });

  it('is posted once when two replicas post the same new chart at the same moment', async () => {
    const week = await friday('digest_chart_race');
    await publishWeek(week.ctx, week.team, WEEK, 'replica-a');
    await correctMetrics(week, '2024-06-07T18:00:00+08:00');
    const { posts } = (await week.store.getCycle(TEAM, WEEK))!;
    const chart = await digestChart(week.ctx, week.team, WEEK);
    await Promise.all([
      postDigestChart(week.ctx, week.team, WEEK, posts, 'replica-a', chart),
      postDigestChart(week.ctx, week.team, WEEK, posts, 'replica-b', chart),
    ]);
    expect(week.digest().charts).toHaveLength(2);
  });

  it('posts nothing with a single week of metrics, or for a team that declares none', async () => {
    const week = await friday('digest_chart_none', { lastWeek: false });
    await publishWeek(week.ctx, week.team, WEEK, 'replica-a');
    expect(week.digest().header.text).toMatch(/^📋 支付中心周报 2024-W23/);
    expect(week.digest().charts).toEqual([]);

    const noMetrics: Team = { ...week.team, definition: { ...week.team.definition, sections: week.team.definition.sections.map(({ metrics: _, ...s }) => s) } };
    await storeWeek(week.store, week.team, '2024-W22', W22_CREATED, W22_REPLIES);
    await publishWeek(week.ctx, noMetrics, WEEK, 'replica-a');
    expect(week.digest().charts).toEqual([]);
  });
});
