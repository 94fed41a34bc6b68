import type { ListItem } from '../model.ts';
import { endsWithColon, joinContinuation, readCodeBlock, type ReplyLine } from './lines.ts';
import { placeInOutline, type OutlineEntry } from './outline.ts';

interface OpenItem extends OutlineEntry {
  item: ListItem;
  /** The column the item's line was typed at (its outline column may be half a column in). */
  lineIndent: number;
  /** A quote or a code block: only more quote lines continue a quote, and nothing continues code. */
  block?: 'quote' | 'code';
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
 *
 * Quotes and code blocks are blocks of their own, never the continuation of an item: a quote (`> …`
 * lines, without the `>`) is one item per paragraph, and a fenced code block is one item that keeps
 * its fences and line breaks, closed if the owner did not close it. Like a line without a marker, each
 * is the child of the item above when indented under it.
 */
export function parseListItems(lines: readonly ReplyLine[]): ListItem[] {
  const roots: ListItem[] = [];
  const stack: OpenItem[] = [];
  let last: OpenItem | undefined;
  let blankBefore = false;
  const open = (line: ReplyLine, text: string, block?: OpenItem['block']): void => {
    const marker = block ? undefined : line.marker?.kind;
    const column = placeInOutline(stack, line.indent, marker, blankBefore);
    const parent = stack.at(-1) as OpenItem | undefined;
    const item: ListItem = { text, children: [] };
    (parent ? parent.item.children : roots).push(item);
    last = { column, marker, introduces: !block && endsWithColon(text), item, lineIndent: line.indent, block };
    stack.push(last);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as ReplyLine;
    if (line.code === 'open') {
      const block = readCodeBlock(lines, i);
      open(line, block.text, 'code');
      i = block.end;
    } else if (line.blank || (line.quote && line.text === '')) {
      // An empty quote line (`>`) separates the quote's paragraphs; it is no item of its own.
      blankBefore = true;
      continue;
    } else if (line.quote) {
      if (last?.block === 'quote' && !blankBefore) last.item.text = joinContinuation(last.item.text, line.text);
      else open(line, line.text, 'quote');
    } else if (!line.marker && last && continues(line, last, blankBefore)) {
      last.item.text = joinContinuation(last.item.text, line.text);
      last.introduces = endsWithColon(last.item.text);
    } else {
      open(line, line.text);
    }
    blankBefore = false;
  }
  return withoutEmptyItems(roots);
}

function continues(line: ReplyLine, above: OpenItem, blankBefore: boolean): boolean {
  if (above.introduces || above.block) return false;
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
