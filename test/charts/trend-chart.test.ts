import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHART_FONT_FAMILY, chartFontFile } from '../../src/charts/chart-font.ts';
import {
  metricTrendSeries,
  niceScale,
  renderTrendChartPng,
  renderTrendChartSvg,
  trendChartOption,
  trendWeeks,
  type TrendChartInput,
} from '../../src/charts/trend-chart.ts';
import { MetricDefinition } from '../../src/report/metrics/index.ts';
import { inkColumns, inkIn, pixelsIn, rasterise, widestGap } from './chart-pixels.ts';
import { expectGolden, pngSize } from './golden-file.ts';
import { shownLabels, type CategoryAxis } from './week-labels.ts';

const deposit = MetricDefinition.parse({ id: 'deposit-success-rate', label: '入金有效成功率', unit: '%', target: '≥ 99.95%' });
const payout = MetricDefinition.parse({ id: 'payout-success-rate', label: '出金有效成功率', unit: '%', target: '≥ 99.95%' });

/** Twelve weeks up to the reference week: W15 and W16 have gaps, W16 and W19 miss the target. */
const SUCCESS_RATES: TrendChartInput = {
  title: '支付成功率（近 12 周）',
  endWeek: '2024-W23',
  series: [
    metricTrendSeries(deposit, [
      { week: '2024-W11', value: 90 }, // before the window: not drawn
      { week: '2024-W12', value: 99.981 },
      { week: '2024-W13', value: 99.985 },
      { week: '2024-W14', value: 99.962 },
      { week: '2024-W16', value: 99.941 },
      { week: '2024-W17', value: 99.978 },
      { week: '2024-W18', value: 99.99 },
      { week: '2024-W19', value: 99.983 },
      { week: '2024-W20', value: 99.986 },
      { week: '2024-W21', value: 99.979 },
      { week: '2024-W22', value: 99.984 },
      { week: '2024-W23', value: 99.987 },
    ]),
    metricTrendSeries(payout, [
      { week: '2024-W12', value: 99.97 },
      { week: '2024-W13', value: 99.975 },
      { week: '2024-W15', value: 99.968 },
      { week: '2024-W17', value: 99.972 },
      { week: '2024-W19', value: 99.93 },
      { week: '2024-W20', value: 99.977 },
      { week: '2024-W21', value: 99.981 },
      { week: '2024-W22', value: 99.976 },
      { week: '2024-W23', value: 99.98 },
    ]),
  ],
};

interface LineSeries {
  data: unknown[];
  markLine?: { lineStyle: { type: string }; data: { yAxis: number }[]; label: { formatter: string } };
  yAxisIndex: number;
}

function seriesOf(input: TrendChartInput): LineSeries[] {
  return trendChartOption(input).series as LineSeries[];
}

describe('trend chart', () => {
  it('covers the twelve ISO weeks up to the given one, across a year end', () => {
    expect(trendWeeks('2024-W23')).toHaveLength(12);
    expect(trendWeeks('2024-W23')[0]).toBe('2024-W12');
    expect(trendWeeks('2024-W02', 3)).toEqual(['2023-W52', '2024-W01', '2024-W02']);
  });

  it('leaves a gap for a week without a value and drops weeks outside the window', () => {
    const [depositSeries, payoutSeries] = seriesOf(SUCCESS_RATES);
    expect(depositSeries!.data).toHaveLength(12);
    expect(depositSeries!.data[3]).toBeNull(); // W15
    expect(payoutSeries!.data.slice(2, 5)).toEqual([null, 99.968, null]); // W14, W15, W16
    expect(depositSeries!.data).not.toContain(90);
  });

  it('draws the target as a dashed line labelled with it, and marks the weeks that missed it', () => {
    const [depositSeries] = seriesOf(SUCCESS_RATES);
    expect(depositSeries!.markLine).toMatchObject({ lineStyle: { type: 'dashed' }, data: [{ yAxis: 99.95 }], label: { formatter: '目标 ≥ 99.95%' } });
    expect(depositSeries!.data[4]).toMatchObject({ value: 99.941, symbol: 'diamond' }); // W16
    expect(depositSeries!.data.filter((d) => typeof d === 'object' && d !== null)).toHaveLength(1);
    const svg = renderTrendChartSvg(SUCCESS_RATES);
    expect(svg).toMatch(/stroke-dasharray/);
    expect(svg).toContain('#d9363e');
  });

  it('keeps the target on the chart even when every value is above it', () => {
    const scale = niceScale([99.98, 99.987, 99.95], '%');
    expect(scale.min).toBeLessThanOrEqual(99.95);
    expect(scale.max).toBeGreaterThanOrEqual(99.987);
    expect(scale.max).toBeLessThanOrEqual(100);
    expect(niceScale([193.2, 322], 'amount')).toMatchObject({ min: 0 });
    expect(niceScale([0, 0, 0], 'count')).toMatchObject({ min: 0, max: 1 });
  });

  it('puts a second unit on a right-hand axis and refuses a third', () => {
    const outstanding = { label: '待追回', unit: 'amount' as const, points: [{ week: '2024-W23', value: 193.2 }] };
    const mixed = seriesOf({ ...SUCCESS_RATES, series: [...SUCCESS_RATES.series, outstanding] });
    expect(mixed.map((s) => s.yAxisIndex)).toEqual([0, 0, 1]);
    const incidents = { label: 'CD级', unit: 'count' as const, points: [] };
    expect(() => trendChartOption({ ...SUCCESS_RATES, series: [...SUCCESS_RATES.series, outstanding, incidents] })).toThrow(
      'a trend chart has at most two units (one axis each side), got %, amount, count',
    );
  });

  it('renders the same SVG as its golden file, however many charts were drawn before', () => {
    const first = renderTrendChartSvg(SUCCESS_RATES);
    renderTrendChartSvg({ ...SUCCESS_RATES, title: 'another chart in between' });
    expect(renderTrendChartSvg(SUCCESS_RATES)).toBe(first);
    expect(first).not.toMatch(/zr\d/);
    expect(first).toContain(`font-family:${CHART_FONT_FAMILY}`);
    expectGolden('success-rates-trend.svg', first);
  });

  it('draws an empty chart when there is no history yet', () => {
    expect(renderTrendChartSvg({ title: '支付成功率', endWeek: '2024-W23', series: [] })).toContain('W23');
  });

  it('renders a PNG of the chart size', () => {
    expect(pngSize(renderTrendChartPng(SUCCESS_RATES))).toEqual({ width: 800, height: 400 });
    expect(pngSize(renderTrendChartPng({ ...SUCCESS_RATES, width: 640, height: 320 }))).toEqual({ width: 640, height: 320 });
  });
});

describe('a trend chart read at a glance (#20)', () => {
  it('puts a count metric on whole-number ticks: no 0.5 or 1.5 incidents', () => {
    for (const values of [
      [0, 1, 2],
      [0, 1],
      [0, 0, 0],
      [3, 7],
      [0, 1, 2, 3, 4, 5, 6],
      [0, 13],
    ]) {
      const scale = niceScale(values, 'count');
      const ticks = Array.from({ length: Math.round((scale.max - scale.min) / scale.interval) + 1 }, (_, i) => scale.min + i * scale.interval);
      expect(ticks.every(Number.isInteger), `ticks for ${values.join(',')}: ${ticks.join(', ')}`).toBe(true);
      expect(scale.decimals).toBe(0);
    }
    const option = trendChartOption({
      title: 'CD级',
      endWeek: '2024-W23',
      series: [
        {
          label: 'CD级',
          unit: 'count',
          points: [
            { week: '2024-W22', value: 2 },
            { week: '2024-W23', value: 1 },
          ],
        },
      ],
    });
    const [axis] = option.yAxis as { minInterval?: number; interval: number; axisLabel: { formatter: (v: number) => string } }[];
    expect(axis).toMatchObject({ minInterval: 1 });
    expect(Number.isInteger(axis!.interval)).toBe(true);
    expect(axis!.axisLabel.formatter(1)).toBe('1');
  });

  it('marks a missed target with a symbol of its own and a red border, in the colour of its series', () => {
    const option = trendChartOption(SUCCESS_RATES);
    const [depositColour, payoutColour] = option.color as string[];
    const [depositSeries, payoutSeries] = seriesOf(SUCCESS_RATES);
    const depositW16 = depositSeries!.data[4] as { symbol: string; itemStyle: { color: string; borderColor: string; borderWidth: number } };
    expect(depositW16).toMatchObject({ value: 99.941, symbol: 'diamond', itemStyle: { color: depositColour, borderColor: '#d9363e' } });
    expect(depositW16.itemStyle.borderWidth).toBeGreaterThanOrEqual(2);
    expect(payoutSeries!.data[7]).toMatchObject({ value: 99.93, symbol: 'diamond', itemStyle: { color: payoutColour, borderColor: '#d9363e' } });

    // In the picture, the middle of the W16 diamond is the deposit line's blue, inside a red edge.
    const grid = option.grid as { left: number; right: number; top: number; bottom: number };
    const [axis] = option.yAxis as { min: number; max: number }[];
    const x = Math.round(grid.left + (4 / 11) * (800 - grid.left - grid.right));
    const y = Math.round(grid.top + ((axis!.max - 99.941) / (axis!.max - axis!.min)) * (400 - grid.top - grid.bottom));
    const raster = rasterise(renderTrendChartSvg(SUCCESS_RATES));
    const rgb = (px: number, py: number) =>
      '#' + [...pixelsIn(raster, { x: px, y: py, width: 1, height: 1 }).subarray(0, 3)].map((c) => c.toString(16).padStart(2, '0')).join('');
    expect(rgb(x, y)).toBe(depositColour);
    const around = [-7, -6, -5, 5, 6, 7].flatMap((d) => [rgb(x + d, y), rgb(x, y + d)]);
    expect(around.some((c) => closeTo(c, '#d9363e'))).toBe(true);
  });
});

describe('week labels of a trend chart (#20)', () => {
  const weekly = (endWeek: string, weeks: number): TrendChartInput => ({
    title: 'CD级',
    endWeek,
    weeks,
    series: [{ label: 'CD级', unit: 'count', points: trendWeeks(endWeek, weeks).map((week, i) => ({ week, value: i % 3 })) }],
  });
  const xAxisOf = (input: TrendChartInput) => trendChartOption(input).xAxis as CategoryAxis;

  it('names each week short, with its year under the first label and where the year changes', () => {
    expect(shownLabels(xAxisOf(SUCCESS_RATES)).map((l) => l.text)).toEqual([
      'W12\n2024',
      'W13',
      'W14',
      'W15',
      'W16',
      'W17',
      'W18',
      'W19',
      'W20',
      'W21',
      'W22',
      'W23',
    ]);
    expect(shownLabels(xAxisOf(weekly('2025-W03', 12))).map((l) => l.text)).toEqual([
      'W44\n2024',
      'W45',
      'W46',
      'W47',
      'W48',
      'W49',
      'W50',
      'W51',
      'W52',
      'W01\n2025',
      'W02',
      'W03',
    ]);
  });

  it('leaves labels out evenly when the weeks are too many to name each, and always names the last week', () => {
    const labels = shownLabels(xAxisOf(weekly('2024-W52', 52)));
    expect(labels.length).toBeLessThan(52);
    expect(labels.at(-1)).toEqual({ index: 51, text: 'W52' });
    expect(labels[0]!.text).toMatch(/^W\d\d\n2024$/);
    const steps = new Set(labels.slice(1).map((l, i) => l.index - labels[i]!.index));
    expect(steps.size).toBe(1);
  });

  // Measured on the picture: between two labels that are shown there is blank space, and each
  // shown label is drawn where its week is. Before #20 the first label, 2024-W01, ran into W02.
  it.each([
    ['12 weeks', weekly('2024-W23', 12)],
    ['12 weeks across a year end', weekly('2025-W03', 12)],
    ['12 weeks, 640 px wide', { ...weekly('2024-W23', 12), width: 640, height: 320 }],
    ['26 weeks', weekly('2024-W26', 26)],
    ['52 weeks', weekly('2024-W52', 52)],
    ['the success rates', SUCCESS_RATES],
  ])('draws the week labels apart from each other: %s', (_, input) => {
    const option = trendChartOption(input);
    const grid = option.grid as { left: number; right: number; bottom: number };
    const width = input.width ?? 800;
    const height = input.height ?? 400;
    const weeks = input.weeks ?? 12;
    const centre = (index: number) => grid.left + (index * (width - grid.left - grid.right)) / (weeks - 1);
    const raster = rasterise(renderTrendChartSvg(input));
    // Below the axis line and its 5 px ticks, down to the bottom edge.
    const band = { x: 0, y: height - grid.bottom + 7, width, height: grid.bottom - 7 };
    const columns = inkColumns(raster, band);
    const labels = shownLabels(option.xAxis as CategoryAxis);
    for (const label of labels) {
      expect(columns.slice(Math.round(centre(label.index)) - 4, Math.round(centre(label.index)) + 5).some(Boolean), `${label.text} is drawn`).toBe(true);
    }
    for (const [i, label] of labels.slice(1).entries()) {
      const before = labels[i]!;
      expect(widestGap(columns, centre(before.index), centre(label.index)), `space between ${before.text} and ${label.text}`).toBeGreaterThanOrEqual(6);
    }
  });
});

/** Whether two #rrggbb colours differ by at most 40 in each channel (anti-aliasing blends edges). */
function closeTo(a: string, b: string): boolean {
  return [1, 3, 5].every((i) => Math.abs(parseInt(a.slice(i, i + 2), 16) - parseInt(b.slice(i, i + 2), 16)) <= 40);
}

describe('CJK text in charts', () => {
  const TITLE_BOX = { x: 0, y: 0, width: 800, height: 38 };
  const BELOW_TITLE = { x: 0, y: 38, width: 800, height: 362 };

  it('ships its font as a TTF that resvg can read', () => {
    const file = chartFontFile();
    expect(file).toMatch(/\.ttf$/);
    expect(existsSync(file)).toBe(true);
  });

  it('draws a Chinese title', () => {
    const titled = rasterise(renderTrendChartSvg({ ...SUCCESS_RATES, title: '入金有效成功率' }));
    const untitled = rasterise(renderTrendChartSvg({ ...SUCCESS_RATES, title: '' }));
    expect(inkIn(pixelsIn(untitled, TITLE_BOX))).toBe(0);
    expect(inkIn(pixelsIn(titled, TITLE_BOX))).toBeGreaterThan(200);
  });

  // A font without the glyphs draws the same empty box for every character; the same characters in
  // reverse order would then give the same pixels. Real glyphs differ, so the title area must change.
  it('draws each Chinese character with its own glyph, not a missing-glyph box', () => {
    const forward = rasterise(renderTrendChartSvg({ ...SUCCESS_RATES, title: '入金有效成功率' }));
    const reversed = rasterise(renderTrendChartSvg({ ...SUCCESS_RATES, title: '率功成效有金入' }));
    expect(pixelsIn(forward, BELOW_TITLE).equals(pixelsIn(reversed, BELOW_TITLE))).toBe(true);
    expect(pixelsIn(forward, TITLE_BOX).equals(pixelsIn(reversed, TITLE_BOX))).toBe(false);
  });
});
