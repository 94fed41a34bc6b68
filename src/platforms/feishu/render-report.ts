import type { CompiledReport } from '../../report/compile.ts';
import { splitMarkdown } from '../../report/render/split.ts';

/**
 * The report as Feishu `post` messages, each with one `md` element. Feishu rejects a post over
 * 30 KB of JSON (error 230025); parts are measured as the UTF-8 bytes of their JSON-encoded text
 * and kept well under that, leaving room for the title and the envelope.
 */
export const FEISHU_POST_LIMIT_BYTES = 28_000;

export interface FeishuPostContent {
  zh_cn: { title: string; content: [[{ tag: 'md'; text: string }]] };
}

export function measureFeishuText(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8');
}

export function renderFeishuPosts(report: CompiledReport, limitBytes = FEISHU_POST_LIMIT_BYTES): FeishuPostContent[] {
  const parts = splitMarkdown(report.markdown, { limit: limitBytes, measure: measureFeishuText });
  return parts.map((text, i) => ({
    zh_cn: {
      title: parts.length > 1 ? `${report.title} (${i + 1}/${parts.length})` : report.title,
      content: [[{ tag: 'md', text }]],
    },
  }));
}
