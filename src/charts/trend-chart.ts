import type { Locale } from '../report/locale.ts';
import { checkTarget } from '../report/metrics/compare.ts';
import { formatTarget, type MetricDefinition, type MetricTarget, type MetricUnit } from '../report/metrics/metric-definition.ts';
import { shiftWeek } from '../report/week.ts';
import { CHART_TEXT_STYLE, renderChartSvg, svgToPng, type ChartOption } from './render-chart.ts';
import { weekAxisLabels } from './week-axis.ts';

export interface TrendPoint {
  /** ISO week, e.g. 2024-W23. */
  week: string;
  value: number;
}

export interface TrendSeries {
  /** The legend name, e.g. 入金有效成功率. */
  label: string;
  unit: MetricUnit;
  /** Drawn as a dashed line; points on the wrong side of it are marked. */
  target?: MetricTarget;
  /** Points outside the chart's weeks are left out; a week without a point is a gap in the line. */
  points: readonly TrendPoint[];
}

export interface TrendChartInput {
  title: string;
  /** The last week shown: the chart covers `weeks` weeks up to and including it. */
  endWeek: string;
  weeks?: number;
  series: readonly TrendSeries[];
  locale?: Locale;
  width?: number;
  height?: number;
}

export const TREND_WEEKS = 12;
const DEFAULT_SIZE = { width: 800, height: 400 };
const PALETTE = ['#3b6fd8', '#2f9e72', '#e08a1e', '#7a4fc9', '#c2417a', '#4d8f9e'];
const MISSED = '#d9363e';

/** A metric's declaration and its history as a chart series. */
export function metricTrendSeries(metric: MetricDefinition, points: readonly TrendPoint[]): TrendSeries {
  return { label: metric.label, unit: metric.unit, ...(metric.target ? { target: metric.target } : {}), points };
}

/** What a file of a chart of several metrics is called when they are every declared metric of their unit. */
const UNIT_FILE_WORDS: Readonly<Record<MetricUnit, string>> = { '%': 'percentages', count: 'counts', amount: 'amounts' };

/**
 * The file name of a trend chart, which says what it shows: `<team>-trend-<metric id>-<week>.png` for
 * one metric; for every declared metric of a unit (the default chart) the unit's word,
 * `<team>-trend-percentages-<week>.png`; for another choice of several, their ids joined by `+`.
 */
export function trendFileName(teamId: string, endWeek: string, metrics: readonly MetricDefinition[], declared: readonly MetricDefinition[]): string {
  const units = new Set(metrics.map((m) => m.unit));
  const [unit] = units;
  const wholeUnit =
    metrics.length > 1 &&
    units.size === 1 &&
    unit !== undefined &&
    declared.filter((m) => m.unit === unit).every((m) => metrics.some((chosen) => chosen.id === m.id));
  const what = wholeUnit ? UNIT_FILE_WORDS[unit] : metrics.map((m) => m.id).join('+');
  return `${teamId}-trend-${what}-${endWeek}.png`;
}

/** The weeks a chart covers, oldest first. */
export function trendWeeks(endWeek: string, count = TREND_WEEKS): string[] {
  return Array.from({ length: count }, (_, i) => shiftWeek(endWeek, i - count + 1));
}

/** The ECharts option for a trend chart: data in, option out, nothing drawn yet. */
export function trendChartOption(input: TrendChartInput): ChartOption {
  const weeks = trendWeeks(input.endWeek, input.weeks ?? TREND_WEEKS);
  const locale = input.locale ?? 'zh-CN';
  // A chart with no series yet still needs an axis: ECharts cannot lay out a grid without one.
  const units: MetricUnit[] = input.series.length ? [...new Set(input.series.map((s) => s.unit))] : ['count'];
  if (units.length > 2) {
    throw new RangeError(`a trend chart has at most two units (one axis each side), got ${units.join(', ')}`);
  }
  const aligned = input.series.map((s) => alignToWeeks(s, weeks));
  const yAxis = units.map((unit, side) => {
    const values = input.series.flatMap((s, i) =>
      s.unit === unit ? [...aligned[i]!.filter((v): v is number => v !== null), ...(s.target ? [s.target.value] : [])] : [],
    );
    const scale = niceScale(values, unit);
    return {
      type: 'value' as const,
      position: side === 0 ? ('left' as const) : ('right' as const),
      min: scale.min,
      max: scale.max,
      interval: scale.interval,
      // Counts never get a tick between two whole numbers, whatever ECharts would make of the extent.
      ...(unit === 'count' ? { minInterval: 1 } : {}),
      axisLabel: { formatter: (value: number) => `${value.toFixed(scale.decimals)}${unit === '%' ? '%' : ''}` },
      splitLine: { show: side === 0 },
    };
  });

  const { width } = sizeOf(input);
  // Room at the bottom for two lines of week labels: the week, and the year under some of them.
  const grid = { left: 72, right: units.length > 1 ? 72 : 40, top: 80, bottom: 48 };
  return {
    backgroundColor: '#ffffff',
    textStyle: CHART_TEXT_STYLE,
    color: PALETTE,
    title: { text: input.title, left: 'center', top: 12, textStyle: { ...CHART_TEXT_STYLE, fontSize: 16 } },
    legend: { top: 40, textStyle: CHART_TEXT_STYLE },
    grid,
    // The first and last weeks sit on the grid's edges (no boundary gap), the others evenly between.
    xAxis: { type: 'category', data: weeks, boundaryGap: false, axisLabel: weekAxisLabels(weeks, (width - grid.left - grid.right) / (weeks.length - 1)) },
    yAxis,
    series: input.series.map((s, i) => {
      const color = PALETTE[i % PALETTE.length]!;
      return {
        type: 'line' as const,
        name: s.label,
        yAxisIndex: units.indexOf(s.unit),
        connectNulls: false,
        showSymbol: true,
        symbolSize: 6,
        data: aligned[i]!.map((value) => pointItem(value, s.target, color)),
        ...(s.target
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { type: 'dashed' as const, color, width: 1 },
                label: { formatter: `${locale === 'en' ? 'target' : '目标'} ${formatTarget(s.target, s.unit)}`, position: 'insideEndTop' as const },
                data: [{ yAxis: s.target.value }],
              },
            }
          : {}),
      };
    }),
  };
}

export function renderTrendChartSvg(input: TrendChartInput): string {
  return renderChartSvg(trendChartOption(input), sizeOf(input));
}

export function renderTrendChartPng(input: TrendChartInput): Buffer {
  return svgToPng(renderTrendChartSvg(input));
}

function sizeOf(input: { width?: number; height?: number }): { width: number; height: number } {
  return { width: input.width ?? DEFAULT_SIZE.width, height: input.height ?? DEFAULT_SIZE.height };
}

/** One value per week, null where the owner reported nothing; the last point given for a week counts. */
function alignToWeeks(series: TrendSeries, weeks: readonly string[]): (number | null)[] {
  const byWeek = new Map(series.points.map((p) => [p.week, p.value]));
  return weeks.map((w) => byWeek.get(w) ?? null);
}

/**
 * A missed target is a larger diamond filled with its series' colour and edged in red: the shape shows
 * it even printed without colour, the red draws the eye, and the fill still says which line it is on.
 */
function pointItem(value: number | null, target: MetricTarget | undefined, seriesColour: string) {
  if (value === null || !target || checkTarget(target, value) === 'met') return value;
  return { value, symbol: 'diamond', symbolSize: 14, itemStyle: { color: seriesColour, borderColor: MISSED, borderWidth: 2 } };
}

interface Scale {
  min: number;
  max: number;
  interval: number;
  decimals: number;
}

/**
 * Axis bounds that include every value and the target, on round steps. ECharts would pick its own,
 * but it leaves the target out of the extent, so a 99.95% target under 99.98% values would be off the chart.
 */
export function niceScale(values: readonly number[], unit: MetricUnit): Scale {
  // Counts and amounts read against zero; rates around 99.9% would be a flat line from zero.
  const withZero = unit === '%' ? values : [0, ...values];
  let lo = withZero.length ? Math.min(...withZero) : 0;
  let hi = withZero.length ? Math.max(...withZero) : 1;
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.001 || 1;
    lo -= unit === '%' ? pad : 0;
    hi += pad;
  }
  // A count is whole: 0.5 of an incident is no tick to read against, so its step is 1 at least.
  const rough = unit === 'count' ? Math.max(1, (hi - lo) / 4) : (hi - lo) / 4;
  const exponent = Math.floor(Math.log10(rough));
  const multipliers = unit === 'count' && exponent === 0 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const multiplier = multipliers.find((m) => m * 10 ** exponent >= rough) ?? 10;
  const step = multiplier * 10 ** exponent;
  // Digits after the point that the step needs: 0.005 needs 3, 0.0025 needs 4, 10 needs none.
  const decimals = Math.max(0, -exponent + (multiplier === 2.5 ? 1 : 0) - (multiplier === 10 ? 1 : 0));
  const round = (n: number) => Number(n.toFixed(decimals));
  const min = round(Math.floor(lo / step + 1e-9) * step);
  const ceiling = round(Math.ceil(hi / step - 1e-9) * step);
  const max = ceiling === min ? round(min + step) : ceiling;
  return { min, max, interval: round(step), decimals };
}
