import { closingFence, endsWithColon, type ReplyLine } from './lines.ts';
import { placeInOutline, type OutlineEntry } from './outline.ts';

const NEST = '    ';

/**
 * Free text (kind `text`, e.g. 【系统运行数据】): paragraphs and blank lines are kept, list lines are
 * rewritten as Markdown (`- ` for every bullet style, `N. ` with the owner's number for ordered ones
 * and the letter's place for lettered ones, as Markdown has no `a.` lists), nested by 4 spaces per
 * level whatever indentation was typed; every other line, quotes included, is kept as typed with
 * trailing whitespace trimmed. Runs of blank lines become one; leading and trailing blank lines go.
 * A marker typed with nothing after it is dropped. A fenced code block is kept line for line, blank
 * lines too, and closed if the owner did not close it.
 */
export function formatFreeText(lines: readonly ReplyLine[]): string {
  const out: string[] = [];
  const stack: OutlineEntry[] = [];
  let blankBefore = false;
  let fence: string | undefined;
  for (const line of lines) {
    if (line.code) {
      if (line.code === 'open') {
        placeInOutline(stack, line.indent, undefined);
        fence = line.raw.slice(0, line.raw.length - line.text.length) + closingFence(line.text);
      }
      if (line.code === 'close') fence = undefined;
      out.push(line.raw);
      blankBefore = false;
      continue;
    }
    if (line.blank) {
      if (out.length > 0 && out.at(-1) !== '') out.push('');
      blankBefore = true;
      continue;
    }
    const wasBlank = blankBefore;
    blankBefore = false;
    if (!line.marker) {
      // A line of prose closes the lists it is not indented under.
      placeInOutline(stack, line.indent, undefined);
      out.push(line.raw);
      continue;
    }
    const marker = line.marker;
    // A marker with nothing after it (`-` alone) says nothing; as Markdown it could even underline a heading.
    if (line.text === '') continue;
    const column = placeInOutline(stack, line.indent, marker.kind, wasBlank);
    const bullet = marker.kind === 'bullet' ? '- ' : `${marker.number ?? 1}. `;
    out.push(NEST.repeat(stack.length) + bullet + line.text);
    stack.push({ column, marker: marker.kind, introduces: endsWithColon(line.text) });
  }
  while (out.at(-1) === '') out.pop();
  // Blank lines at the end of an unclosed block are the reply's own end, not code.
  if (fence !== undefined) out.push(fence);
  return out.join('\n');
}
