import { endsWithColon, type ReplyLine } from './lines.ts';
import { placeInOutline, type OutlineEntry } from './outline.ts';

const NEST = '    ';

/**
 * Free text (kind `text`, e.g. 【系统运行数据】): paragraphs and blank lines are kept, list lines are
 * rewritten as Markdown (`- ` for every bullet style, `N. ` with the owner's number for ordered ones,
 * nested by 4 spaces per level whatever indentation was typed), every other line is kept as typed with
 * trailing whitespace trimmed. Runs of blank lines become one; leading and trailing blank lines go.
 * A marker typed with nothing after it is dropped.
 */
export function formatFreeText(lines: readonly ReplyLine[]): string {
  const out: string[] = [];
  const stack: OutlineEntry[] = [];
  for (const line of lines) {
    if (line.blank) {
      if (out.length > 0 && out.at(-1) !== '') out.push('');
      continue;
    }
    if (!line.marker) {
      // A line of prose closes the lists it is not indented under.
      placeInOutline(stack, line.indent, undefined);
      out.push(line.raw);
      continue;
    }
    const marker = line.marker;
    // A marker with nothing after it (`-` alone) says nothing; as Markdown it could even underline a heading.
    if (line.text === '') continue;
    const column = placeInOutline(stack, line.indent, marker.kind);
    const bullet = marker.kind === 'ordered' ? `${marker.number ?? 1}. ` : '- ';
    out.push(NEST.repeat(stack.length) + bullet + line.text);
    stack.push({ column, marker: marker.kind, introduces: endsWithColon(line.text) });
  }
  while (out.at(-1) === '') out.pop();
  return out.join('\n');
}
