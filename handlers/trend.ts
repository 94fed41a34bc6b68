import type { BotContext } from '../src/bot/context.ts';
import { metricTrendSeries, renderTrendChartPng, TREND_WEEKS, trendWeeks, type TrendPoint } from '../src/charts/trend-chart.ts';
import type { Team } from '../src/report/definition.ts';
import { metricValuesById, weekMetrics } from '../src/report/across-weeks/week-data.ts';
import type { MetricDefinition } from '../src/report/metrics/index.ts';
import { declaredMetrics } from './digest-metrics.ts';
import { loadWeeks, parseWeekCount } from './week-history.ts';

export interface TrendRequest {
  /** Metric ids to draw, all of one or two units. */
  metrics: MetricDefinition[];
  weeks: number;
}

/**
 * `trend [metric] [weeks]`: a metric by id or label (default: every metric of the first declared
 * metric's unit, e.g. the success rates), and how many weeks up to this one (default 12).
 * A string is the problem to tell the caller.
 */
export function parseTrendArgs(team: Team, args: readonly string[]): TrendRequest | { problem: 'no-metrics' | 'unknown-metric'; word?: string } {
  const declared = declaredMetrics(team);
  if (declared.length === 0) return { problem: 'no-metrics' };
  let weeks = TREND_WEEKS;
  let chosen: MetricDefinition[] | undefined;
  for (const word of args) {
    const count = parseWeekCount(word);
    if (count !== undefined) {
      weeks = count;
      continue;
    }
    const metric = declared.find((m) => m.id === word.toLowerCase() || m.label === word);
    if (!metric || chosen) return { problem: 'unknown-metric', word };
    chosen = [metric];
  }
  const first = declared[0]!;
  return { metrics: chosen ?? declared.filter((m) => m.unit === first.unit), weeks };
}

export interface TrendChart {
  title: string;
  filename: string;
  png: Buffer;
  /** Metrics with no value in any of the weeks drawn. */
  empty: string[];
}

/** The trend chart of some metrics over the `weeks` weeks ending with `endWeek`, from the stored answers. */
export async function trendChart(ctx: BotContext, team: Team, endWeek: string, request: TrendRequest): Promise<TrendChart> {
  const { definition } = team;
  const weeks = trendWeeks(endWeek, request.weeks);
  const stored = await loadWeeks(ctx, team, weeks);
  const points = new Map<string, TrendPoint[]>(request.metrics.map((m) => [m.id, []]));
  for (const { cycle, answers } of stored) {
    for (const [id, value] of metricValuesById(weekMetrics(definition, answers))) points.get(id)?.push({ week: cycle.week, value: value.value });
  }
  const title = `${definition.name} ${weeks[0]} – ${endWeek}`;
  const png = renderTrendChartPng({
    title,
    endWeek,
    weeks: request.weeks,
    locale: definition.locale,
    series: request.metrics.map((m) => metricTrendSeries(m, points.get(m.id) ?? [])),
  });
  const empty = request.metrics.filter((m) => (points.get(m.id) ?? []).length === 0).map((m) => m.label);
  return { title, filename: `${definition.id}-trend-${endWeek}.png`, png, empty };
}
