import { betterDirection, type MetricDefinition, type MetricTarget } from './metric-definition.ts';

export type TargetStatus = 'met' | 'missed';

export function checkTarget(target: MetricTarget, value: number): TargetStatus {
  switch (target.comparator) {
    case '>=':
      return value >= target.value ? 'met' : 'missed';
    case '>':
      return value > target.value ? 'met' : 'missed';
    case '<=':
      return value <= target.value ? 'met' : 'missed';
    case '<':
      return value < target.value ? 'met' : 'missed';
  }
}

export interface MetricDelta {
  current: number;
  previous: number;
  /** current − previous, in the metric's unit (percentage points for `%`), rounded to the digits typed. */
  delta: number;
  direction: 'up' | 'down' | 'flat';
  /** `neutral` when the metric says neither higher nor lower is better. */
  assessment: 'better' | 'worse' | 'unchanged' | 'neutral';
}

/** This week against last week. */
export function compareWithPrevious(metric: MetricDefinition, current: number, previous: number): MetricDelta {
  // 99.987 − 99.980 is 0.007000000000005 in binary; the owner typed three decimals, so the delta has three.
  const digits = Math.max(decimalPlaces(current), decimalPlaces(previous));
  const delta = Number((current - previous).toFixed(digits)) || 0;
  const direction = delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat';
  const better = betterDirection(metric);
  let assessment: MetricDelta['assessment'];
  if (direction === 'flat') assessment = 'unchanged';
  else if (!better) assessment = 'neutral';
  else assessment = (direction === 'up') === (better === 'higher') ? 'better' : 'worse';
  return { current, previous, delta, direction, assessment };
}

export interface MetricAssessment {
  id: string;
  value: number;
  target?: { target: MetricTarget; status: TargetStatus };
  /** Absent when last week has no value for this metric. */
  change?: MetricDelta;
}

/** Everything the digest says about one metric this week. */
export function assessMetric(metric: MetricDefinition, value: number, previous?: number): MetricAssessment {
  const out: MetricAssessment = { id: metric.id, value };
  if (metric.target) out.target = { target: metric.target, status: checkTarget(metric.target, value) };
  if (previous !== undefined) out.change = compareWithPrevious(metric, value, previous);
  return out;
}

function decimalPlaces(n: number): number {
  const [mantissa = '', exponent = '0'] = String(n).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.min(20, Math.max(0, fraction - Number(exponent)));
}
