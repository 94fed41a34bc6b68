import type { Locale } from '../locale.ts';
import { truncate } from '../truncate.ts';

/** Why a declared metric could not be read from a reply. Both say which line would have worked. */
export type MetricProblem =
  /** The label is nowhere in the reply. */
  | { code: 'metric_missing'; metricId: string; label: string; expectedLine: string }
  /** The label is there, but no number follows it (`入金有效成功率：待补充`). */
  | { code: 'metric_without_value'; metricId: string; label: string; line: string; lineNumber: number; expectedLine: string };

export type MetricProblemCode = MetricProblem['code'];

const QUOTE_LIMIT = 80;

function quoted(line: string): string {
  return truncate(line.trim(), QUOTE_LIMIT + 1);
}

/** What the owner is told in chat, in the team's language. */
export function metricProblemMessage(problem: MetricProblem, locale: Locale): string {
  if (locale === 'en') {
    switch (problem.code) {
      case 'metric_missing':
        return `"${problem.label}" (${problem.metricId}) was not found in your reply. Add a line like: ${problem.expectedLine}`;
      case 'metric_without_value':
        return (
          `Line ${problem.lineNumber} names "${problem.label}" (${problem.metricId}) but no number follows it: ` +
          `"${quoted(problem.line)}". Write it like: ${problem.expectedLine}`
        );
    }
  }
  switch (problem.code) {
    case 'metric_missing':
      return `回复里没有找到“${problem.label}”（${problem.metricId}）。请加一行，例如：${problem.expectedLine}`;
    case 'metric_without_value':
      return (
        `第 ${problem.lineNumber} 行有“${problem.label}”（${problem.metricId}），但后面没有数值：“${quoted(problem.line)}”。` +
        `请这样写：${problem.expectedLine}`
      );
  }
}
