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
 * Code blocks and code spans are left as they are. Pure: text in, text out.
 */
export function canvasMarkdown(markdown: string): string {
  const out: string[] = [];
  let fence: { char: string; length: number } | null = null;
  for (const line of markdown.split(/\r\n?|\n/)) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      out.push(line);
      if (opener && opener[1]![0] === fence.char && opener[1]!.length >= fence.length && line.trim() === opener[1]) fence = null;
      continue;
    }
    if (opener) {
      fence = { char: opener[1]![0]!, length: opener[1]!.length };
      out.push(line);
      continue;
    }
    out.push(deepHeadingAsBold(line) ?? imagesAsLinks(line));
  }
  return out.join('\n');
}

const DEEP_HEADING = /^ {0,3}#{4,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;

/** `#### Title` as `**Title**` (an empty one as an empty line); null for any other line. */
function deepHeadingAsBold(line: string): string | null {
  const heading = DEEP_HEADING.exec(line);
  if (!heading) return null;
  const text = (heading[1] ?? '').trim();
  return text ? `**${imagesAsLinks(text)}**` : '';
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

/** Where a code span opened by the backticks at `start` ends (after its closing run), or after the run when unclosed. */
function codeSpanEnd(line: string, start: number): number {
  let open = start;
  while (line[open] === '`') open++;
  const length = open - start;
  for (let i = open; i < line.length;) {
    if (line[i] !== '`') {
      i++;
      continue;
    }
    let run = i;
    while (line[run] === '`') run++;
    if (run - i === length) return run;
    i = run;
  }
  return open;
}
