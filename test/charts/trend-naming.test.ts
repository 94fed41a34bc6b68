import { describe, expect, it } from 'vitest';
import { parseTrendArgs, trendChartData, type TrendRequest } from '../../handlers/across-weeks/trend.ts';
import { renderTrendChartSvg, trendFileName } from '../../src/charts/trend-chart.ts';
import type { Team } from '../../src/report/definition.ts';
import { MetricDefinition } from '../../src/report/metrics/index.ts';
import { MemoryStore } from '../../src/store/index.ts';
import { consoleBot, FakeClock } from '../support/bot.ts';
import { storeReferenceWeek, storeWeek, W22_CREATED, W22_REPLIES } from '../support/stored-weeks.ts';

/** The payments team on Friday of 2024-W23, with 2024-W22 and 2024-W23 stored. */
async function payments() {
  const store = new MemoryStore();
  const bot = await consoleBot(store, new FakeClock(new Date('2024-06-07T18:00:00+08:00')));
  await storeWeek(store, bot.team, '2024-W22', W22_CREATED, W22_REPLIES);
  await storeReferenceWeek(store, bot.team);
  return bot;
}

function requestOf(team: Team, args: string[]): TrendRequest {
  const request = parseTrendArgs(team, args);
  if ('problem' in request) throw new Error(request.problem);
  return request;
}

/** The text of the chart's title, the one 16 px text of the SVG. */
function drawnTitle(svg: string): string | undefined {
  return /<text [^>]*font-size:16px[^>]*>([^<]*)<\/text>/.exec(svg)?.[1];
}

describe('a trend chart names its metrics (#20)', () => {
  it('names the one metric it draws in the title on the picture and in the file name', async () => {
    const { ctx, team } = await payments();
    const data = await trendChartData(ctx, team, '2024-W23', requestOf(team, ['CD级']));
    expect(data.title).toBe('支付中心周报 CD级 2024-W12 – 2024-W23');
    expect(drawnTitle(renderTrendChartSvg(data.input))).toBe('支付中心周报 CD级 2024-W12 – 2024-W23');
    expect(data.filename).toBe('payments-weekly-trend-incidents-cd-2024-W23.png');
  });

  it('names each metric of the default chart in its title, and its file by the unit they share', async () => {
    const { ctx, team } = await payments();
    const data = await trendChartData(ctx, team, '2024-W23', requestOf(team, ['8']));
    expect(data.title).toBe('支付中心周报 入金有效成功率、出金有效成功率、年度可用性 2024-W16 – 2024-W23');
    expect(drawnTitle(renderTrendChartSvg(data.input))).toBe(data.title);
    expect(data.filename).toBe('payments-weekly-trend-percentages-2024-W23.png');
  });

  it('says it in English for an English team', async () => {
    const { ctx, team } = await payments();
    const english: Team = { ...team, definition: { ...team.definition, name: 'Payments weekly', locale: 'en' } };
    const data = await trendChartData(ctx, english, '2024-W23', requestOf(english, []));
    expect(data.title).toBe('Payments weekly: 入金有效成功率, 出金有效成功率, 年度可用性 2024-W12 – 2024-W23');
  });

  it('calls a file by the metrics’ ids when they are some but not all of a unit', () => {
    const metric = (id: string, unit: '%' | 'count' | 'amount') => MetricDefinition.parse({ id, label: id, unit });
    const declared = [metric('a-rate', '%'), metric('b-rate', '%'), metric('c-rate', '%'), metric('incidents', 'count'), metric('owed', 'amount')];
    expect(trendFileName('t', '2024-W23', [declared[0]!], declared)).toBe('t-trend-a-rate-2024-W23.png');
    expect(trendFileName('t', '2024-W23', declared.slice(0, 3), declared)).toBe('t-trend-percentages-2024-W23.png');
    expect(trendFileName('t', '2024-W23', [declared[3]!], declared)).toBe('t-trend-incidents-2024-W23.png');
    expect(trendFileName('t', '2024-W23', declared.slice(0, 2), declared)).toBe('t-trend-a-rate+b-rate-2024-W23.png');
    expect(trendFileName('t', '2024-W23', [declared[3]!, declared[4]!], declared)).toBe('t-trend-incidents+owed-2024-W23.png');
  });
});
