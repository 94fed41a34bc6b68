import markdownIt from 'markdown-it';
import { codeSpanEnd } from '../../report/render/neutralise-markdown.ts';

/**
 * The report's Markdown as a Slack canvas takes it (`document_content: { type: 'markdown' }`).
 * Canvases accept a documented subset: headings h1–h3, paragraphs, bold, italic, strikethrough,
 * bulleted, ordered and check lists, quotes, code spans and blocks, dividers, inline links and link
 * references, tables, emoji, mentions and unfurls. What the report may hold beyond that is mapped:
 *
 * - a heading deeper than h3 becomes a bold line (its text kept, its level gone);
 * - an image (`![alt](url)`) becomes a link to it: canvases show no images from Markdown, and the
 *   canvas spells mentions with image syntax (`![](@U123)`), so nothing owner-typed can turn into
 *   a mention that pings someone.
 *
 * Where code is, and which lines are headings, is read by a CommonMark parser (markdown-it), so a
 * code block inside a list item or a quote is left as it is, as are code spans. Pure: text in, text out.
 */
export function canvasMarkdown(markdown: string): string {
  const lines = markdown.split(/\r\n?|\n/);
  const code = new Set<number>();
  const deepHeadings = new Map<number, string>();
  const tokens = parser.parse(markdown, {});
  tokens.forEach((token, i) => {
    if (!token.map) return;
    const [start, end] = token.map;
    if (token.type === 'fence' || token.type === 'code_block') {
      for (let line = start; line < end; line++) code.add(line);
    } else if (token.type === 'heading_open' && Number(token.tag.slice(1)) > CANVAS_DEEPEST_HEADING) {
      deepHeadings.set(start, tokens[i + 1]?.content ?? '');
    }
  });
  return lines
    .map((line, index) => {
      if (code.has(index)) return line;
      const heading = deepHeadings.get(index);
      return heading === undefined ? imagesAsLinks(line) : boldLine(line, heading);
    })
    .join('\n');
}

/** The deepest heading level a canvas shows as a heading. */
const CANVAS_DEEPEST_HEADING = 3;

/** CommonMark, as the report is written; only its block structure is read here. */
const parser = markdownIt('commonmark');

/**
 * An ATX heading's line (`#### Title`, maybe inside a list item or a quote) as a bold line in the
 * same container: whatever comes before its `#` run (container markers have no `#`), then
 * `**Title**`; an empty heading leaves the container's prefix only.
 */
function boldLine(line: string, text: string): string {
  const hashes = line.indexOf('#');
  const prefix = line.slice(0, hashes);
  return text.trim() ? `${prefix}**${imagesAsLinks(text.trim())}**` : prefix.trimEnd();
}

/** Every `![alt](target)` outside code spans as `[alt](target)`; an empty alt shows the word "image". */
function imagesAsLinks(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === '\\') {
      out += line.slice(i, i + 2);
      i += 2;
    } else if (ch === '`') {
      const end = codeSpanEnd(line, i);
      out += line.slice(i, end);
      i = end;
    } else if (ch === '!' && line[i + 1] === '[') {
      const close = line.indexOf('](', i + 2);
      if (close === -1) {
        out += ch;
        i++;
        continue;
      }
      const alt = line.slice(i + 2, close);
      out += `[${alt.trim() === '' ? 'image' : alt}](`;
      i = close + 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
