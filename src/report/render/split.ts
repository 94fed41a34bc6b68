/**
 * Splits a Markdown document into parts that each fit a platform's size limit, without cutting an
 * item in half. Parts are cut, in order of preference, between top-level blocks that a blank line
 * separates (sections, paragraphs, entries; not before an indented one, which is inside an item), then between lines (each list item is one line), and
 * only when a single line is larger than the limit, inside it, on a character boundary.
 *
 * Joining the parts with a blank line gives the document back, except where a part had to be cut
 * inside a block.
 */
export interface SplitOptions {
  limit: number;
  /**
   * Size of a part as the platform counts it; characters by default. Joining never grows a size
   * beyond the sum of the sizes (measure(a + b) <= measure(a) + measure(b)), as holds for anything
   * counted per character plus a constant, such as JSON bytes.
   */
  measure?: (text: string) => number;
}

export function splitMarkdown(markdown: string, { limit, measure = (t) => [...t].length }: SplitOptions): string[] {
  // A block indented after a blank line belongs to the item before it (a title bullet's empty text,
  // a later paragraph): it stays with it, since at the start of a part it would read as code.
  const blocks = markdown.trim().split(/\n{2,}(?=\S)/);
  const parts: string[] = [];
  let current = '';
  // At least measure(current), and exactly it after each full measure. Measuring the whole part for
  // every line added made 5,000 one-line items take seconds; the bound only says when to measure.
  let size = 0;
  const flush = () => {
    if (current !== '') parts.push(current);
    current = '';
    size = 0;
  };
  const add = (piece: string, separator: string) => {
    const addition = current === '' ? piece : separator + piece;
    const bound = current === '' ? measure(piece) : size + measure(addition);
    if (bound <= limit) {
      current += addition;
      size = bound;
      return true;
    }
    const exact = measure(current + addition);
    if (exact <= limit) {
      current += addition;
      size = exact;
      return true;
    }
    return false;
  };

  for (const block of blocks) {
    if (add(block, '\n\n')) continue;
    flush();
    if (add(block, '\n\n')) continue;
    // A block larger than a whole part: fall back to line boundaries.
    for (const line of block.split('\n')) {
      if (add(line, '\n')) continue;
      flush();
      if (add(line, '\n')) continue;
      for (const piece of cutLine(line, limit, measure)) {
        flush();
        current = piece;
        size = measure(piece);
      }
    }
  }
  flush();
  return parts;
}

/**
 * Last resort for one line longer than a part: cut it on character (code point) boundaries, each
 * piece as long as fits (at least one character). The length is found by doubling then halving:
 * measuring every prefix in turn took seconds for a 50,000-character line.
 */
function cutLine(line: string, limit: number, measure: (t: string) => number): string[] {
  const chars = [...line];
  const fits = (start: number, end: number) => measure(chars.slice(start, end).join('')) <= limit;
  const pieces: string[] = [];
  for (let start = 0; start < chars.length;) {
    let good = start + 1;
    let bad = chars.length + 1;
    for (let step = 1; good + step <= chars.length; step *= 2) {
      if (!fits(start, good + step)) {
        bad = good + step;
        break;
      }
      good += step;
    }
    while (bad - good > 1) {
      const mid = Math.floor((good + bad) / 2);
      if (fits(start, mid)) good = mid;
      else bad = mid;
    }
    pieces.push(chars.slice(start, good).join(''));
    start = good;
  }
  return pieces;
}
