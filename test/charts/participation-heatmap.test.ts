import { describe, expect, it } from 'vitest';
import { messagesFor } from '../../handlers/texts/messages.ts';
import { PARTICIPATION_MARKS } from '../../handlers/across-weeks/participation.ts';
import {
  PARTICIPATION_STATUSES,
  participationHeatmapOption,
  renderParticipationHeatmapPng,
  renderParticipationHeatmapSvg,
  type ParticipationHeatmapInput,
} from '../../src/charts/participation-heatmap.ts';
import { CHAT_MARK_SYMBOLS } from '../../src/charts/chat-marks.ts';
import { inkColumns, inkIn, pixelsIn, rasterise, widestGap } from './chart-pixels.ts';
import { expectGolden, pngSize } from './golden-file.ts';
import { shownLabels, type CategoryAxis } from './week-labels.ts';

const PARTICIPATION: ParticipationHeatmapInput = {
  title: '周报参与情况（近 4 周）',
  weeks: ['2024-W20', '2024-W21', '2024-W22', '2024-W23'],
  people: [
    { id: 'owner-beiyizhuan', name: 'Owner 贝易转' },
    { id: 'owner-o1', name: 'Owner O1' },
    { id: 'lead', name: 'Lead' },
  ],
  cells: [
    { week: '2024-W20', person: 'owner-beiyizhuan', status: 'on-time' },
    { week: '2024-W21', person: 'owner-beiyizhuan', status: 'late' },
    { week: '2024-W22', person: 'owner-beiyizhuan', status: 'missing' },
    { week: '2024-W23', person: 'owner-beiyizhuan', status: 'on-time' },
    { week: '2024-W20', person: 'owner-o1', status: 'away' },
    { week: '2024-W21', person: 'owner-o1', status: 'skipped' },
    { week: '2024-W23', person: 'owner-o1', status: 'on-time' },
    { week: '2024-W22', person: 'lead', status: 'on-time' },
    { week: '2024-W23', person: 'lead', status: 'late' },
    { week: '2024-W19', person: 'lead', status: 'late' }, // not a column: left out
    { week: '2024-W23', person: 'someone-else', status: 'late' }, // not a row: left out
  ],
};

describe('participation heatmap', () => {
  it('places each status in its week column and person row, first person on top, and leaves out the rest', () => {
    const option = participationHeatmapOption(PARTICIPATION);
    const [series] = option.series as { data: number[][] }[];
    expect(series!.data).toHaveLength(9);
    expect(series!.data[0]).toEqual([0, 0, 0]); // W20, 贝易转, on-time
    expect(series!.data[2]).toEqual([2, 0, 4]); // W22, 贝易转, missing
    expect(series!.data[4]).toEqual([0, 1, 3]); // W20, O1, away
    expect(option.yAxis).toMatchObject({ inverse: true, data: ['Owner 贝易转', 'Owner O1', 'Lead'] });
  });

  it('names the statuses in the team language, with the words of the chat’s participation table', () => {
    const pieces = (locale: 'zh-CN' | 'en') =>
      (participationHeatmapOption({ ...PARTICIPATION, locale }).visualMap as { pieces: { label: string }[] }).pieces.map((p) => p.label);
    expect(pieces('zh-CN')).toEqual(['按时', '迟交', '跳过', '休假', '未交']);
    expect(pieces('en')).toEqual(['on time', 'late', 'skipped', 'away', 'missing']);
  });

  // The chat's table says ⏭跳过 for a skipped week; the legend said 本周无 (#20, case 7). The chart's
  // font has no emoji, so each mark is drawn as a shape: the legend's swatch for the status.
  it.each(['zh-CN', 'en'] as const)('shows each status in the legend with the chat’s mark and word (%s)', (locale) => {
    const chat = messagesFor(locale).participationHeader(['2024-W23']);
    const { pieces } = participationHeatmapOption({ ...PARTICIPATION, locale }).visualMap as { pieces: { label: string; symbol: string }[] };
    for (const [i, status] of PARTICIPATION_STATUSES.entries()) {
      const mark = PARTICIPATION_MARKS[status];
      expect(chat).toContain(`${mark}${locale === 'en' ? ' ' : ''}${pieces[i]!.label}`);
      expect(pieces[i]!.symbol, `the legend's mark for ${status}`).toBe(CHAT_MARK_SYMBOLS[mark as keyof typeof CHAT_MARK_SYMBOLS]);
    }
    expect(new Set(pieces.map((p) => p.symbol)).size).toBe(PARTICIPATION_STATUSES.length);
  });

  it('renders the same SVG as its golden file', () => {
    const svg = renderParticipationHeatmapSvg(PARTICIPATION);
    expect(renderParticipationHeatmapSvg(PARTICIPATION)).toBe(svg);
    expectGolden('participation-heatmap.svg', svg);
  });

  it('renders a PNG 40 px taller per person, with the names drawn', () => {
    const png = renderParticipationHeatmapPng(PARTICIPATION);
    expect(pngSize(png)).toEqual({ width: 800, height: 150 + 3 * 40 });
    const raster = rasterise(renderParticipationHeatmapSvg(PARTICIPATION));
    // The row names stand left of the grid.
    expect(inkIn(pixelsIn(raster, { x: 0, y: 56, width: 110, height: 120 }))).toBeGreaterThan(100);
  });
});

describe('week labels of the participation heatmap (#20)', () => {
  const twelveWeeks = Array.from({ length: 12 }, (_, i) => `2024-W${String(i + 12).padStart(2, '0')}`);
  const TWELVE: ParticipationHeatmapInput = {
    ...PARTICIPATION,
    weeks: twelveWeeks,
    cells: twelveWeeks.flatMap((week, i) => PARTICIPATION.people.map((p, j) => ({ week, person: p.id, status: PARTICIPATION_STATUSES[(i + j) % 5]! }))),
  };

  it('names each of twelve weeks short, with the year under the first', () => {
    expect(shownLabels(participationHeatmapOption(TWELVE).xAxis as CategoryAxis).map((l) => l.text)).toEqual([
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
  });

  it('draws a label under every one of twelve columns, apart from its neighbours', () => {
    const option = participationHeatmapOption(TWELVE);
    const grid = option.grid as { left: number; right: number; bottom: number };
    const height = 150 + 40 * 3;
    const column = (800 - grid.left - grid.right) / 12;
    const centre = (index: number) => grid.left + (index + 0.5) * column;
    const raster = rasterise(renderParticipationHeatmapSvg(TWELVE));
    // Below the cells, above the legend.
    const columns = inkColumns(raster, { x: 0, y: height - grid.bottom + 2, width: 800, height: grid.bottom - 36 });
    for (let i = 0; i < 12; i++) {
      expect(columns.slice(Math.round(centre(i)) - 4, Math.round(centre(i)) + 5).some(Boolean), `${twelveWeeks[i]} has a label`).toBe(true);
      if (i > 0) expect(widestGap(columns, centre(i - 1), centre(i)), `space before ${twelveWeeks[i]}`).toBeGreaterThanOrEqual(6);
    }
  });
});
