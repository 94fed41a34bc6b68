import type { BotContext } from '../../src/bot/context.ts';
import type { Team } from '../../src/report/definition.ts';
import { metricValuesById, weekEntries, weekMetrics } from '../../src/report/across-weeks/week-data.ts';
import { assessMetric, formatTarget, type MetricDefinition, type MetricValue } from '../../src/report/metrics/index.ts';
import { shiftWeek } from '../../src/report/week.ts';
import type { LatestSubmission } from '../../src/store/store.ts';
import { messagesFor } from '../texts/messages.ts';
import { onTimeThisWeek } from '../across-weeks/participation.ts';
import { weekAnswers } from './week-answers.ts';

/** Weeks the digest compares this week's incident count with. */
export const INCIDENT_AVERAGE_WEEKS = 4;

/** Every metric the team declares, in section order. */
export function declaredMetrics(team: Team): MetricDefinition[] {
  return team.definition.sections.flatMap((s) => s.metrics ?? []);
}

/**
 * The lines the digest header adds below its first line: each declared metric with its change
 * against last week and a missed target flagged, and this week's incidents against the last
 * weeks' average, and, when the definition asks for it (`digest: { onTimeLine: true }`), how many
 * of the people asked answered on time. Read from the stored answers; the report document itself
 * never changes.
 */
export async function acrossWeeksDigest(ctx: BotContext, team: Team, week: string, answers: readonly LatestSubmission[]): Promise<string[]> {
  const { definition } = team;
  const text = messagesFor(definition.locale);
  const earlier = Array.from({ length: INCIDENT_AVERAGE_WEEKS }, (_, i) => shiftWeek(week, -(i + 1)));
  const stored = new Set((await ctx.store.listCycles(definition.id, INCIDENT_AVERAGE_WEEKS * 2 + 2)).map((c) => c.week));
  const earlierAnswers = new Map<string, LatestSubmission[]>();
  for (const w of earlier.filter((w) => stored.has(w))) earlierAnswers.set(w, await weekAnswers(ctx.store, definition.id, w));
  const lines: string[] = [];

  const metrics = declaredMetrics(team);
  const current = metricValuesById(weekMetrics(definition, answers));
  if (metrics.length > 0 && current.size > 0) {
    const lastWeek = earlierAnswers.get(earlier[0]!);
    const previous = lastWeek ? metricValuesById(weekMetrics(definition, lastWeek)) : new Map<string, MetricValue>();
    const parts = metrics.flatMap((metric) => {
      const value = current.get(metric.id);
      if (!value) return [text.metricNotFound(metric.label)];
      const assessed = assessMetric(metric, value.value, previous.get(metric.id)?.value);
      const shown = `${value.value}${metric.unit === '%' ? '%' : ''}`;
      // A `%` metric is typed in percent (99.987), so its change is in percentage points: -0.003 个百分点 / pp.
      const change = assessed.change ? text.metricChange(signed(assessed.change.delta), metric.unit) : undefined;
      const missed = assessed.target?.status === 'missed' ? formatTarget(assessed.target.target, metric.unit) : undefined;
      return [text.metricPart(metric.label, shown, change, missed)];
    });
    lines.push(text.metricsLine(parts));
  }

  if (definition.sections.some((s) => s.kind === 'entries') && earlierAnswers.size > 0) {
    const count = weekEntries(definition, week, answers).length;
    const counts = [...earlierAnswers].map(([w, a]) => weekEntries(definition, w, a).length);
    const average = counts.reduce((sum, n) => sum + n, 0) / counts.length;
    lines.push(text.incidentsLine(count, Number(average.toFixed(1)), counts.length));
  }

  if (definition.digest.onTimeLine) {
    const onTime = await onTimeThisWeek(ctx, team, week, answers);
    if (onTime && onTime.asked > 0) lines.push(text.onTimeLine(onTime.onTime, onTime.asked));
  }
  return lines;
}

function signed(delta: number): string {
  return delta > 0 ? `+${delta}` : delta < 0 ? `${delta}` : '±0';
}
