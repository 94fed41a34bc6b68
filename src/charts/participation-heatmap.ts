import type { Locale } from '../report/locale.ts';
import { CHAT_MARK_SYMBOLS, type ChatMark } from './chat-marks.ts';
import { CHART_TEXT_STYLE, renderChartSvg, svgToPng, type ChartOption } from './render-chart.ts';
import { weekAxisLabels } from './week-axis.ts';

/**
 * How a person took part in a week's report: answered before it was due, after it, said there was
 * nothing this week, was away (`/weekly-report away`), or never answered.
 */
export const PARTICIPATION_STATUSES = ['on-time', 'late', 'skipped', 'away', 'missing'] as const;
export type ParticipationStatus = (typeof PARTICIPATION_STATUSES)[number];

export interface ParticipationCell {
  week: string;
  /** A key of `people` in the team definition. */
  person: string;
  status: ParticipationStatus;
}

export interface ParticipationHeatmapInput {
  title: string;
  /** Columns, oldest first, as they are printed (ISO weeks like 2024-W23). */
  weeks: readonly string[];
  /** Rows, top to bottom. */
  people: readonly { id: string; name: string }[];
  /** A week and person with no cell was not asked (not an owner then) and stays blank. */
  cells: readonly ParticipationCell[];
  locale?: Locale;
  width?: number;
  /** By default 40 px per person plus room for the title, axis and legend. */
  height?: number;
}

const COLORS: Readonly<Record<ParticipationStatus, string>> = {
  'on-time': '#2f9e72',
  late: '#f0b429',
  skipped: '#9aa5b1',
  away: '#b8d4f0',
  missing: '#d9363e',
};

/**
 * The words and marks of the chat's participation table (handlers/texts/messages.ts participationHeader,
 * handlers/across-weeks/participation.ts PARTICIPATION_MARKS), so that the picture and the table sent with it read
 * alike: ⏭跳过, not 本周无.
 */
const LABELS: Readonly<Record<Locale, Readonly<Record<ParticipationStatus, string>>>> = {
  'zh-CN': { 'on-time': '按时', late: '迟交', skipped: '跳过', away: '休假', missing: '未交' },
  en: { 'on-time': 'on time', late: 'late', skipped: 'skipped', away: 'away', missing: 'missing' },
};

const MARKS: Readonly<Record<ParticipationStatus, ChatMark>> = { 'on-time': '✅', late: '⏰', skipped: '⏭', away: '🌴', missing: '❌' };

const DEFAULT_WIDTH = 800;
const ROW_HEIGHT = 40;
const CHROME_HEIGHT = 150;

export function participationHeatmapOption(input: ParticipationHeatmapInput): ChartOption {
  const labels = LABELS[input.locale ?? 'zh-CN'];
  const weekIndex = new Map(input.weeks.map((w, i) => [w, i]));
  const personIndex = new Map(input.people.map((p, i) => [p.id, i]));
  const data = input.cells.flatMap((cell) => {
    const x = weekIndex.get(cell.week);
    const y = personIndex.get(cell.person);
    return x === undefined || y === undefined ? [] : [[x, y, PARTICIPATION_STATUSES.indexOf(cell.status)]];
  });
  // Room below the cells for two lines of week labels (the year under some), then the legend.
  const grid = { left: 120, right: 24, top: 52, bottom: 80 };
  const columnWidth = ((input.width ?? DEFAULT_WIDTH) - grid.left - grid.right) / Math.max(1, input.weeks.length);
  return {
    backgroundColor: '#ffffff',
    textStyle: CHART_TEXT_STYLE,
    title: { text: input.title, left: 'center', top: 12, textStyle: { ...CHART_TEXT_STYLE, fontSize: 16 } },
    grid,
    xAxis: {
      type: 'category',
      data: [...input.weeks],
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: weekAxisLabels(input.weeks, columnWidth),
    },
    // The first person is the top row, as in the definition's people list.
    yAxis: { type: 'category', data: input.people.map((p) => p.name), inverse: true, axisLine: { show: false }, axisTick: { show: false } },
    visualMap: {
      type: 'piecewise',
      dimension: 2,
      orient: 'horizontal',
      left: 'center',
      bottom: 12,
      textStyle: CHART_TEXT_STYLE,
      // Each status's swatch is the chat's mark for it, in the status colour.
      itemWidth: 16,
      itemHeight: 16,
      pieces: PARTICIPATION_STATUSES.map((status, i) => ({ value: i, label: labels[status], color: COLORS[status], symbol: CHAT_MARK_SYMBOLS[MARKS[status]] })),
    },
    series: [{ type: 'heatmap', data, itemStyle: { borderColor: '#ffffff', borderWidth: 2 } }],
  };
}

export function renderParticipationHeatmapSvg(input: ParticipationHeatmapInput): string {
  const size = { width: input.width ?? DEFAULT_WIDTH, height: input.height ?? CHROME_HEIGHT + ROW_HEIGHT * input.people.length };
  return renderChartSvg(participationHeatmapOption(input), size);
}

export function renderParticipationHeatmapPng(input: ParticipationHeatmapInput): Buffer {
  return svgToPng(renderParticipationHeatmapSvg(input));
}
