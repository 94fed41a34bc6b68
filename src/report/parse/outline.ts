import type { MarkerKind } from './lines.ts';

/**
 * Where a list line nests, shared by list sections (a tree of items) and free text (Markdown lines).
 *
 * The basic rule is relative, so the indent unit never has to be guessed: a line is the child of the
 * nearest open item whose marker sits at a smaller column (2, 3, 4 spaces, a tab or full-width spaces all work).
 *
 * One exception for what people type without indenting: at the same column, an ordered item adopts the
 * bullets that follow it directly (`1. 业务侧：` then `- 省心租…`) and the lettered sub-items that
 * follow it (`1. 业务侧` then `a. 省心租…`), and a line ending with a colon adopts the marked lines of
 * another kind that follow it (`业务侧：` then `- 省心租…`). The adopted line is placed half a column
 * in, so the next line back at that column closes it again. A blank line before a bullet ends an
 * ordered item's claim on it, as in Markdown, where `1. a`, a blank line and `- b` are two lists: that
 * is also how the Slack converter writes a bullet list that Slack shows beside an ordered one.
 */
export interface OutlineEntry {
  column: number;
  marker: MarkerKind | undefined;
  /** The entry's text ends with a colon, so it introduces what follows. */
  introduces: boolean;
}

export function placeInOutline(stack: OutlineEntry[], indent: number, marker: MarkerKind | undefined, blankBefore = false): number {
  popWhile(stack, (top) => top.column > indent);
  const top = stack.at(-1);
  if (top && top.column === indent && marker && adopts(top, marker, blankBefore)) return indent + 0.5;
  popWhile(stack, (top) => top.column >= indent);
  return indent;
}

function adopts(parent: OutlineEntry, child: MarkerKind, blankBefore: boolean): boolean {
  if (parent.marker === 'ordered' && child === 'lettered') return true;
  if (parent.marker === 'ordered' && child === 'bullet' && !blankBefore) return true;
  return parent.introduces && parent.marker !== child;
}

function popWhile(stack: OutlineEntry[], test: (top: OutlineEntry) => boolean): void {
  for (let top = stack.at(-1); top && test(top); top = stack.at(-1)) stack.pop();
}
