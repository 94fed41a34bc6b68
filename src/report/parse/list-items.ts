import type { ListItem } from '../model.ts';
import { endsWithColon, joinContinuation, type ReplyLine } from './lines.ts';
import { placeInOutline, type OutlineEntry } from './outline.ts';

interface OpenItem extends OutlineEntry {
  item: ListItem;
  /** The column the item's line was typed at (its outline column may be half a column in). */
  lineIndent: number;
}

/**
 * Turns a reply's lines into a tree of items. The owner's own markers and numbers are dropped: the
 * section definition numbers the items when the report is rendered.
 *
 * A line without a marker is an item of its own (people type one item per line in chat), except when
 * it continues the item above it:
 * - it is indented deeper than that item's marker (even after a blank line), or
 * - it follows a *marked* item directly (no blank line) at the same or a smaller indentation
 *   (a wrapped line, as in Markdown),
 * and in both cases only when the item above does not end with a colon: `业务侧：` introduces the
 * lines after it, so they become its children or siblings instead. For the same reason an unindented
 * line that ends with a colon starts a new item rather than wrapping the one above.
 * Continuations are joined by `joinContinuation` (nothing between two CJK characters, else one space).
 */
export function parseListItems(lines: readonly ReplyLine[]): ListItem[] {
  const roots: ListItem[] = [];
  const stack: OpenItem[] = [];
  let last: OpenItem | undefined;
  let blankBefore = false;
  for (const line of lines) {
    if (line.blank) {
      blankBefore = true;
      continue;
    }
    if (!line.marker && last && continues(line, last, blankBefore)) {
      last.item.text = joinContinuation(last.item.text, line.text);
      last.introduces = endsWithColon(last.item.text);
    } else {
      const marker = line.marker?.kind;
      const column = placeInOutline(stack, line.indent, marker);
      const parent = stack.at(-1) as OpenItem | undefined;
      const item: ListItem = { text: line.text, children: [] };
      (parent ? parent.item.children : roots).push(item);
      last = { column, marker, introduces: endsWithColon(line.text), item, lineIndent: line.indent };
      stack.push(last);
    }
    blankBefore = false;
  }
  return withoutEmptyItems(roots);
}

function continues(line: ReplyLine, above: OpenItem, blankBefore: boolean): boolean {
  if (above.introduces) return false;
  if (line.indent > above.lineIndent) return true;
  return !blankBefore && above.marker !== undefined && !endsWithColon(line.text);
}

/** A marker typed with nothing after it (`-` on its own line) is not an item; its children take its place. */
function withoutEmptyItems(items: ListItem[]): ListItem[] {
  return items.flatMap((item) => {
    const children = withoutEmptyItems(item.children);
    return item.text === '' ? children : [{ text: item.text, children }];
  });
}
