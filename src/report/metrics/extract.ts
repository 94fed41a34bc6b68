import type { MetricDefinition, MetricUnit } from './metric-definition.ts';
import type { MetricProblem } from './metric-problem.ts';

/** One declared metric as read from this week's reply. */
export interface MetricValue {
  id: string;
  label: string;
  unit: MetricUnit;
  /** As typed, in the metric's unit: 99.987 for `99.987%`, 1234.5 for `1,234.5`. */
  value: number;
  /** The line it was read from, as the owner typed it, and its 1-based number. */
  line: string;
  lineNumber: number;
}

export interface ExtractedMetrics {
  /** In declaration order; a metric with a problem has no value. */
  values: MetricValue[];
  problems: MetricProblem[];
}

/**
 * Reads each declared metric from an owner's reply: the first place where its label is followed by a
 * number. Between them may stand a colon (`：` or `:`), `=`, 为 or spaces, so `入金有效成功率：99.987%`,
 * `入金有效成功率 : 99.987 %` and `事故数AB级0次` all read. A metric that cannot be read is a problem
 * that says what line to type, never a silent gap in the charts.
 */
export function extractMetrics(text: string, metrics: readonly MetricDefinition[]): ExtractedMetrics {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const normalised = lines.map(normalise);
  const labels = metrics.map((m) => normalise(m.label));
  const values: MetricValue[] = [];
  const problems: MetricProblem[] = [];

  metrics.forEach((metric, index) => {
    const label = labels[index]!;
    // Labels that contain this one (已沉淀金额 contains 金额) claim their own occurrences first.
    const longer = labels.filter((other) => other.length > label.length && other.includes(label));
    let labelled: { line: number } | undefined;
    for (const [lineIndex, line] of normalised.entries()) {
      for (const at of occurrences(line, label)) {
        if (longer.some((other) => isInside(line, at, label, other))) continue;
        labelled ??= { line: lineIndex };
        const value = numberAt(line, at + label.length);
        if (value === undefined) continue;
        values.push({ id: metric.id, label: metric.label, unit: metric.unit, value, line: lines[lineIndex]!, lineNumber: lineIndex + 1 });
        return;
      }
    }
    const expectedLine = exampleLine(metric);
    if (labelled) {
      const line = lines[labelled.line]!;
      problems.push({ code: 'metric_without_value', metricId: metric.id, label: metric.label, line, lineNumber: labelled.line + 1, expectedLine });
    } else {
      problems.push({ code: 'metric_missing', metricId: metric.id, label: metric.label, expectedLine });
    }
  });
  return { values, problems };
}

/** The line the owner is asked to type, in the reference format: `入金有效成功率：99.95%`. */
export function exampleLine(metric: MetricDefinition): string {
  const value = metric.target?.value ?? (metric.unit === '%' ? 100 : 0);
  return `${metric.label}：${value}${metric.unit === '%' ? '%' : ''}`;
}

const FULL_WIDTH = /[０-９．％＝]/g;

/**
 * A copy of a line to search in (the owner is still quoted the line as typed): full-width digits, point,
 * percent and equals become ASCII (a Chinese input method types them), and Markdown emphasis goes.
 * The full-width comma stays: in Chinese text it separates clauses (`AB级0次，CD级1次`), not thousands.
 */
function normalise(line: string): string {
  return line.replace(FULL_WIDTH, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/[*`]/g, '');
}

function occurrences(line: string, label: string): number[] {
  const found: number[] = [];
  for (let at = line.indexOf(label); at !== -1; at = line.indexOf(label, at + 1)) found.push(at);
  return found;
}

/** Whether the label at `at` is part of an occurrence of the longer label `other`. */
function isInside(line: string, at: number, label: string, other: string): boolean {
  for (let start = other.indexOf(label); start !== -1; start = other.indexOf(label, start + 1)) {
    if (at >= start && line.startsWith(other, at - start)) return true;
  }
  return false;
}

/**
 * A number right after a label: optional separator, then `99.987`, `1,234.5` or `0`. A comma counts as
 * a thousands separator only in groups of three (`1,234`); `1,23` is not read at all rather than read wrong.
 */
const VALUE = /[ \t\u3000]*(?:(?:[:：=]|为|是)[ \t\u3000]*)?([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![\d,.]*\d)/y;

function numberAt(line: string, from: number): number | undefined {
  VALUE.lastIndex = from;
  const match = VALUE.exec(line);
  if (!match) return undefined;
  return Number(match[1]!.replaceAll(',', ''));
}
