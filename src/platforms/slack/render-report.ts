import type { CompiledReport } from '../../report/compile.ts';
import type { OutgoingMessage } from '../platform.ts';
import { splitMarkdown } from '../../report/render/split.ts';
import { truncate } from '../../report/truncate.ts';

/**
 * The report as Slack messages. Each message carries one `markdown` block (standard Markdown:
 * headings and nested lists render as in the document) plus a plain `text` fallback for
 * notifications. Slack allows 12,000 characters of markdown-block text per message.
 */
export const SLACK_MARKDOWN_LIMIT = 12_000;
/** Slack truncates `text` past 40,000 and recommends 4,000; the fallback is only a notification line. */
const FALLBACK_LIMIT = 3_000;

export interface SlackMarkdownMessage {
  text: string;
  blocks: [{ type: 'markdown'; text: string }];
}

export function renderSlackMessages(report: CompiledReport, limit = SLACK_MARKDOWN_LIMIT): SlackMarkdownMessage[] {
  const parts = splitMarkdown(report.markdown, { limit });
  return parts.map((part, i) => ({
    text: fallbackText(report, part, i, parts.length),
    blocks: [{ type: 'markdown', text: part }],
  }));
}

function fallbackText(report: CompiledReport, part: string, index: number, total: number): string {
  const label = total > 1 ? `${report.title} (${index + 1}/${total})` : report.title;
  // The notification reads as text: the first line that says something, without Markdown markers
  // (the report's own title heading would only repeat the label: "2024-W23: # 2024-W23").
  const firstLine = part
    .split('\n')
    .map((l) => l.replace(/^\s*(#{1,6}\s+|[-*+]\s+|\d+\.\s+)/, '').trim())
    .find((l) => l !== '' && l !== report.title);
  return truncate(firstLine ? `${label}: ${firstLine}` : label, FALLBACK_LIMIT);
}

/** One message per `markdown` block of at most 12,000 characters, in the header's thread. */
export function slackReportMessages(report: CompiledReport): OutgoingMessage[] {
  return renderSlackMessages(report).map((m) => ({ text: m.text, markdown: m.blocks[0].text }));
}
