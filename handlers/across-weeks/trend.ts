import { platformOf, type BotContext } from '../../src/bot/context.ts';
import {
  metricTrendSeries,
  renderTrendChartPng,
  TREND_WEEKS,
  trendFileName,
  trendWeeks,
  type TrendChartInput,
  type TrendPoint,
} from '../../src/charts/trend-chart.ts';
import type { Respond } from '../../src/platforms/platform.ts';
import type { Team } from '../../src/report/definition.ts';
import { metricValuesById, weekMetrics } from '../../src/report/across-weeks/week-data.ts';
import type { MetricDefinition } from '../../src/report/metrics/index.ts';
import { quoted, replaceWord, retype, type AcrossWeeksCommand } from './command.ts';
import { declaredMetrics } from '../cycle/digest-metrics.ts';
import { messagesFor, type Messages } from '../texts/messages.ts';
import { showImage } from './show-image.ts';
import { countInstead, isCountOutOfRange, loadWeeks, parseWeekCount } from './week-history.ts';

export interface TrendRequest {
  /** Metric ids to draw, all of one or two units. */
  metrics: MetricDefinition[];
  weeks: number;
}

/** What is wrong with the words of a `trend` command; `index` is the word's place among them. */
export type TrendProblem =
  | { problem: 'no-metrics' }
  | { problem: 'unknown-metric'; word: string }
  | { problem: 'bad-count'; word: string; index: number }
  | { problem: 'two-metrics' | 'two-counts'; first: string; second: string; index: number };

/**
 * `trend [metric] [weeks]`: a metric by id or label (default: every metric of the first declared
 * metric's unit, e.g. the success rates), and how many weeks up to this one (default 12, at most
 * 52). A number out of that range is a count the caller got wrong, not a metric's name.
 */
export function parseTrendArgs(team: Team, args: readonly string[]): TrendRequest | TrendProblem {
  const declared = declaredMetrics(team);
  if (declared.length === 0) return { problem: 'no-metrics' };
  let weeks: { count: number; word: string } | undefined;
  let chosen: { metric: MetricDefinition; word: string } | undefined;
  for (const [index, word] of args.entries()) {
    const count = parseWeekCount(word);
    if (count !== undefined) {
      if (weeks) return { problem: 'two-counts', first: weeks.word, second: word, index };
      weeks = { count, word };
      continue;
    }
    if (isCountOutOfRange(word)) return { problem: 'bad-count', word, index };
    const metric = declared.find((m) => m.id === word.toLowerCase() || m.label === word);
    if (!metric) return { problem: 'unknown-metric', word };
    if (chosen) return { problem: 'two-metrics', first: chosen.word, second: word, index };
    chosen = { metric, word };
  }
  const first = declared[0]!;
  return { metrics: chosen ? [chosen.metric] : declared.filter((m) => m.unit === first.unit), weeks: weeks?.count ?? TREND_WEEKS };
}

/** The answer to a `trend` the caller got wrong: what is wrong, and the command to type instead. */
function trendProblemText(team: Team, request: AcrossWeeksCommand, parsed: TrendProblem, text: Messages): string {
  const instead = (index: number, replacement: string | null) => retype('trend', replaceWord(request.args, index, replacement), request.teamId);
  switch (parsed.problem) {
    case 'no-metrics':
      return text.noMetrics;
    case 'unknown-metric':
      return text.unknownMetric(
        quoted(parsed.word),
        declaredMetrics(team).map((m) => m.id),
      );
    case 'bad-count':
      return text.weekCountOutOfRange(quoted(parsed.word), instead(parsed.index, countInstead(parsed.word, TREND_WEEKS)));
    case 'two-metrics':
      return text.trendOneMetric(parsed.first, parsed.second, instead(parsed.index, null));
    case 'two-counts':
      return text.trendOneCount(parsed.first, parsed.second, instead(parsed.index, null));
  }
}

/** What a trend chart draws, before it is drawn. */
export interface TrendChartData {
  title: string;
  filename: string;
  input: TrendChartInput;
  /** Metrics with no value in any of the weeks drawn. */
  empty: string[];
  /** Weeks with a value of at least one of the metrics. */
  weeksWithData: number;
}

export interface TrendChart extends TrendChartData {
  png: Buffer;
}

/** The data of the trend chart of some metrics over the `weeks` weeks ending with `endWeek`, from the stored answers. */
export async function trendChartData(ctx: BotContext, team: Team, endWeek: string, request: TrendRequest): Promise<TrendChartData> {
  const { definition } = team;
  const weeks = trendWeeks(endWeek, request.weeks);
  const stored = await loadWeeks(ctx, team, weeks);
  const points = new Map<string, TrendPoint[]>(request.metrics.map((m) => [m.id, []]));
  const withData = new Set<string>();
  for (const { cycle, answers } of stored) {
    for (const [id, value] of metricValuesById(weekMetrics(definition, answers))) {
      const series = points.get(id);
      if (!series) continue;
      series.push({ week: cycle.week, value: value.value });
      withData.add(cycle.week);
    }
  }
  const title = messagesFor(definition.locale).trendChartTitle(
    definition.name,
    request.metrics.map((m) => m.label),
    weeks[0]!,
    endWeek,
  );
  const input: TrendChartInput = {
    title,
    endWeek,
    weeks: request.weeks,
    locale: definition.locale,
    series: request.metrics.map((m) => metricTrendSeries(m, points.get(m.id) ?? [])),
  };
  const empty = request.metrics.filter((m) => (points.get(m.id) ?? []).length === 0).map((m) => m.label);
  const filename = trendFileName(definition.id, endWeek, request.metrics, declaredMetrics(team));
  return { title, filename, input, empty, weeksWithData: withData.size };
}

/** The trend chart of some metrics over the `weeks` weeks ending with `endWeek`, drawn as a PNG. */
export async function trendChart(ctx: BotContext, team: Team, endWeek: string, request: TrendRequest): Promise<TrendChart> {
  const data = await trendChartData(ctx, team, endWeek, request);
  return { ...data, png: renderTrendChartPng(data.input) };
}

/** `/weekly-report trend [metric] [weeks]`: the chart where the command was typed, and a word to the caller. */
export async function runTrendCommand(ctx: BotContext, request: AcrossWeeksCommand, respond: Respond): Promise<void> {
  const { team, command } = request;
  const text = messagesFor(team.definition.locale);
  const parsed = parseTrendArgs(team, request.args);
  if ('problem' in parsed) return respond({ text: trendProblemText(team, request, parsed, text) }, 'caller');
  const chart = await trendChart(ctx, team, request.currentWeek, parsed);
  // The chart goes where the command was typed, on the caller's platform: a picture cannot be a
  // private answer. It shows the team's metrics, which the digest shows everyone anyway.
  await showImage(platformOf(ctx, command.sender.platform), command.channel, { filename: chart.filename, title: chart.title, png: chart.png });
  return respond({ text: text.trendSent(chart.title, chart.empty) }, 'caller');
}
