import type { CompiledReport } from '../../report/compile.ts';
import type { OutgoingMessage } from '../platform.ts';
import { markdownParts } from './cards.ts';

/** The report as cards with one Markdown element each, cut between blocks below Feishu's 30 KB. */
export function feishuReportMessages(report: CompiledReport): OutgoingMessage[] {
  return markdownParts(report.markdown).map((part) => ({ text: part, markdown: part }));
}
