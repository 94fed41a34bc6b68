/** Metrics: numbers declared on a section, read from the owner's reply, compared with targets and last week. */
export {
  METRIC_UNITS,
  MetricDefinition,
  MetricDefinitions,
  MetricUnit,
  betterDirection,
  formatTarget,
  type Comparator,
  type MetricTarget,
} from './metric-definition.ts';
export { extractMetrics, exampleLine, type ExtractedMetrics, type MetricValue } from './extract.ts';
export { metricProblemMessage, type MetricProblem, type MetricProblemCode } from './metric-problem.ts';
export { assessMetric, checkTarget, compareWithPrevious, type MetricAssessment, type MetricDelta, type TargetStatus } from './compare.ts';
