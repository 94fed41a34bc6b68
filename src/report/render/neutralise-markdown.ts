/**
 * Owner text is data in the document, always. An owner's text is printed inside a container the
 * renderer opened (under a heading, a title bullet or a list item), and nothing typed may close that
 * container or open one the layout did not ask for: no comment or raw HTML block that hides the rest
 * of the report, no unclosed code fence, no heading (ATX or setext), no thematic break, no link
 * reference definition, no nesting deeper than the section allows, and no control character that
 * reorders or hides text.
 *
 * Neutralising escapes and never deletes: a backslash before the ASCII punctuation that would start
 * a block (`\#`, `` \``` ``, `\---`, `\[ref]:`, `\-` past the depth bound), `&lt;` for a `<` that
 * would open HTML (entities are read by every renderer the report is posted to), and a visible
 * replacement for control characters. Everything else (bold, links, `&`, `->`, Chinese punctuation,
 * lists and quotes within the bound) is left exactly as typed, so ordinary reports are unchanged.
 *
 * Cost is linear in the text: every check is a scan from a known position or an anchored pattern.
 */

export interface OwnerTextPlace {
  /** Column at which each line of the owner text starts in the document (tabs expand from here). */
  column: number;
  /** Content column of the innermost container the renderer put the text in (0 at the top level). */
  containerColumn: number;
  /** List levels of the section body already around the text (0 under a heading or a title bullet). */
  depth: number;
  /** Nesting levels the section allows in its body. */
  maxDepth: number;
}

// C0 controls except tab and line feed (CR is a line break), DEL, C1 controls, and the bidi
// embeddings, overrides and isolates: these hide text or reorder the report around them.
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/gu;

/** Control characters as something a reader sees: ␀ ␇ (control pictures) for C0, `\u{202E}` for the rest. */
export function showControlCharacters(text: string): string {
  return text.replace(HIDDEN, (ch) => visibleControl(ch.codePointAt(0) ?? 0));
}

function visibleControl(code: number): string {
  if (code < 0x20) return String.fromCodePoint(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `\\u{${code.toString(16).toUpperCase().padStart(4, '0')}}`;
}

function isHidden(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** Owner text (one item's text, a free-text section, one entry) made safe to print at `place`. */
export function neutraliseOwnerMarkdown(text: string, place: OwnerTextPlace): string {
  const lines = showControlCharacters(text).split(/\r\n?|\n/);
  const reader = new ContainerReader(place);
  const closedFenceEnd = fenceFinder(lines, place);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const closer = closedFenceEnd(i);
    if (closer !== undefined) {
      // A code block the owner opened and closed: kept as typed, its lines are code, not structure.
      out.push(...lines.slice(i, closer + 1));
      reader.fence(line);
      i = closer;
      continue;
    }
    out.push(escapeInline(reader.line(line)));
  }
  return out.join('\n');
}

// --- Columns -------------------------------------------------------------------------------------

interface Cursor {
  /** Index in the line. */
  at: number;
  /** Document column (tabs expanded to the next multiple of 4, as CommonMark does). */
  column: number;
}

function skipSpaces(line: string, from: Cursor): Cursor {
  let { at, column } = from;
  for (; at < line.length; at++) {
    const ch = line[at];
    if (ch === ' ') column += 1;
    else if (ch === '\t') column += 4 - (column % 4);
    else break;
  }
  return { at, column };
}

const isBlank = (line: string): boolean => skipSpaces(line, { at: 0, column: 0 }).at === line.length;

// --- Code fences the owner closed -----------------------------------------------------------------

const FENCE_OPEN = /^(`{3,}|~{3,})/;

/**
 * For a line `i`, the index of the line that closes a code fence opened on it, when CommonMark is
 * certain to read both lines as the fence's ends whatever containers the owner typed before it: the
 * opener is within 3 columns of the renderer's container, every line in between is indented at least
 * as far (so no container closes inside the code), and the first line that could close it does,
 * within 3 columns of the renderer's container. Anything less certain is escaped instead.
 *
 * A look-ahead that found no closer is remembered per kind of fence (character, length, column):
 * an opener of the same kind inside the lines it read would read them again to the same end, and
 * 4,000 unclosable fences would take seconds.
 */
function fenceFinder(lines: readonly string[], place: OwnerTextPlace): (i: number) => number | undefined {
  const scanned = new Map<string, { until: number; closer: number | undefined }>();
  return (i) => {
    const line = lines[i] ?? '';
    const start = skipSpaces(line, { at: 0, column: place.column });
    if (start.column - place.containerColumn > 3) return undefined;
    const fence = FENCE_OPEN.exec(line.slice(start.at))?.[1];
    if (!fence) return undefined;
    const char = fence[0] as '`' | '~';
    if (char === '`' && line.slice(start.at + fence.length).includes('`')) return undefined;
    const kind = `${char}${fence.length}@${start.column}`;
    const known = scanned.get(kind);
    if (known && i < known.until) return known.closer;
    let until = lines.length;
    let closer: number | undefined;
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j] ?? '';
      const lead = skipSpaces(next, { at: 0, column: place.column });
      if (lead.at === next.length) continue;
      if (lead.column < start.column) {
        until = j;
        break;
      }
      if (lead.column <= start.column + 3 && closesFence(next.slice(lead.at), char, fence.length)) {
        until = j;
        closer = lead.column - place.containerColumn <= 3 ? j : undefined;
        break;
      }
    }
    scanned.set(kind, { until, closer });
    return closer;
  };
}

function closesFence(rest: string, char: string, length: number): boolean {
  let n = 0;
  while (rest[n] === char) n++;
  return n >= length && isBlank(rest.slice(n));
}

// --- Containers: quotes and list items the owner typed ---------------------------------------------

type Container = { kind: 'quote' } | { kind: 'item'; contentColumn: number; type: string };

interface ListMarker {
  /** `-`, `+`, `*`, or the delimiter of an ordered marker (`.` or `)`): items of one list share it. */
  type: string;
  width: number;
  /** Ordered markers other than 1 and empty items cannot interrupt a paragraph (CommonMark 5.2). */
  interruptsParagraph: boolean;
}

function readListMarker(rest: string): ListMarker | undefined {
  const bullet = /^[-+*](?=[ \t]|$)/.exec(rest);
  const ordered = bullet ? null : /^(\d{1,9})([.)])(?=[ \t]|$)/.exec(rest);
  const found = bullet?.[0] ?? ordered?.[0];
  if (!found) return undefined;
  const empty = isBlank(rest.slice(found.length));
  const type = bullet ? found : (ordered?.[2] ?? '.');
  return { type, width: found.length, interruptsParagraph: !empty && (bullet !== null || Number(ordered?.[1]) === 1) };
}

/**
 * Follows the quotes and list items an owner's lines open, the way a CommonMark parser does, to count
 * nesting and find where each line's own content starts. It errs towards more nesting than a parser
 * would see (a line that might be a lazy continuation keeps everything open), so the bound holds.
 */
class ContainerReader {
  private readonly stack: Container[] = [];
  /** The last line may have left a paragraph open, so a less indented line can continue it lazily. */
  private paragraph = false;

  constructor(private readonly place: OwnerTextPlace) {}

  /** A kept code fence: its opener closes what it is not indented under; the code ends any paragraph. */
  fence(opener: string): void {
    const { matched } = this.match(opener);
    this.stack.length = matched;
    this.paragraph = false;
  }

  /** One line with its block-level syntax neutralised. */
  line(line: string): string {
    const { matched, cursor: afterMatched, base: matchedBase } = this.match(line);
    if (isBlank(line)) {
      this.stack.length = matched;
      this.paragraph = false;
      return line;
    }
    let cursor = afterMatched;
    let base = matchedBase;
    let opened = false;
    let out = line.slice(0, cursor.at);
    for (;;) {
      const lead = skipSpaces(line, cursor);
      out += line.slice(cursor.at, lead.at);
      cursor = lead;
      const rest = line.slice(cursor.at);
      const escaped = escapeLeafStart(rest);
      if (escaped !== undefined) {
        out += escaped;
        break;
      }
      const quote = rest.startsWith('>');
      const marker = quote ? undefined : readListMarker(rest);
      if (!quote && !marker) {
        out += rest;
        break;
      }
      if (cursor.column - base > 3) {
        // Indented too far to open anything here; should a parser count the columns differently,
        // nothing after the marker may start a block either.
        const width = quote ? 1 : (marker?.width ?? 0);
        const after = skipSpaces(line, { at: cursor.at + width, column: cursor.column + width });
        out += line.slice(cursor.at, after.at) + escapeBlockStart(line.slice(after.at));
        break;
      }
      const depth = this.place.depth + (opened ? this.stack.length : matched);
      if (marker && !opened && this.paragraph && !marker.interruptsParagraph && !this.isSibling(matched, marker)) {
        if (matched < this.stack.length) {
          // Less indented than the paragraph it follows: CommonMark reads a lazy continuation line,
          // markdown-it a new list outside the containers it leaves. Escaped, it is text for both.
          out += escapeBlockStart(rest);
          break;
        }
        // `2. …` after a paragraph line continues the paragraph; if a parser reads it as an item
        // after all, nothing after it may nest further.
        const after = skipSpaces(line, { at: cursor.at + marker.width, column: cursor.column + marker.width });
        out += line.slice(cursor.at, after.at) + escapeBlockStart(line.slice(after.at));
        break;
      }
      if (depth + 1 > this.place.maxDepth) {
        // Deeper than the section allows: the marker becomes text under the deepest allowed level.
        out += escapeBlockStart(rest);
        break;
      }
      if (!opened) {
        this.stack.length = matched;
        opened = true;
      }
      if (marker) {
        const markerEnd: Cursor = { at: cursor.at + marker.width, column: cursor.column + marker.width };
        const text = skipSpaces(line, markerEnd);
        const gap = text.column - markerEnd.column;
        // 1–4 spaces after the marker set the content column; 5 or more mean indented code after one.
        const contentColumn = text.at === line.length || gap > 4 ? markerEnd.column + 1 : text.column;
        this.stack.push({ kind: 'item', contentColumn, type: marker.type });
        out += line.slice(cursor.at, markerEnd.at);
        cursor = markerEnd;
        base = contentColumn;
      } else {
        this.stack.push({ kind: 'quote' });
        const markerAt = cursor.at;
        ({ cursor, base } = afterQuoteMarker(line, { at: markerAt + 1, column: cursor.column + 1 }));
        out += line.slice(markerAt, cursor.at);
      }
    }
    // Text that is not a new container may continue a paragraph lazily: everything stays open.
    if (!opened && !this.paragraph) this.stack.length = matched;
    this.paragraph = true;
    return out;
  }

  /** How many open containers the line continues, where its content starts, and the column it is measured from. */
  private match(line: string): { matched: number; cursor: Cursor; base: number } {
    let cursor: Cursor = { at: 0, column: this.place.column };
    let base = this.place.containerColumn;
    const blank = isBlank(line);
    let matched = 0;
    for (const container of this.stack) {
      const lead = skipSpaces(line, cursor);
      if (container.kind === 'item') {
        if (!blank && lead.column < container.contentColumn) break;
        base = container.contentColumn;
      } else {
        if (blank || lead.column - base > 3 || line[lead.at] !== '>') break;
        ({ cursor, base } = afterQuoteMarker(line, { at: lead.at + 1, column: lead.column + 1 }));
      }
      matched++;
    }
    return { matched, cursor, base };
  }

  private isSibling(matched: number, marker: ListMarker): boolean {
    const next = this.stack[matched];
    return next?.kind === 'item' && next.type === marker.type;
  }
}

/**
 * After a `>`: one following space belongs to the marker. A tab does too, in part: one of its
 * columns is the marker's space and the rest count as indentation (CommonMark 2.2), so the content
 * is measured from one column after the `>`.
 */
function afterQuoteMarker(line: string, cursor: Cursor): { cursor: Cursor; base: number } {
  if (line[cursor.at] === ' ') {
    const after = { at: cursor.at + 1, column: cursor.column + 1 };
    return { cursor: after, base: after.column };
  }
  return { cursor, base: line[cursor.at] === '\t' ? cursor.column + 1 : cursor.column };
}

// --- Leaf blocks ---------------------------------------------------------------------------------

/**
 * `rest` with a backslash before its first character when it would start a block that is not a
 * paragraph or a container: an ATX heading, a setext underline or thematic break, a code fence, a
 * link reference definition. Undefined when it starts none of these.
 */
function escapeLeafStart(rest: string): string | undefined {
  const first = rest[0];
  if (first === undefined) return undefined;
  if (isThematicBreak(rest) || isSetextUnderline(rest)) return `\\${rest}`;
  if (first === '#' && /^#{1,6}(?:[ \t]|$)/.test(rest)) return `\\${rest}`;
  if ((first === '`' || first === '~') && FENCE_OPEN.test(rest)) return `\\${rest}`;
  if (first === '[' && mayDefineReference(rest)) return `\\${rest}`;
  return undefined;
}

/** Any block start escaped, a list or quote marker included: for text that must stay a paragraph. */
function escapeBlockStart(rest: string): string {
  const leaf = escapeLeafStart(rest);
  if (leaf !== undefined) return leaf;
  if (rest.startsWith('>') || /^[-+*](?=[ \t]|$)/.test(rest)) return `\\${rest}`;
  const ordered = /^\d{1,9}(?=[.)](?:[ \t]|$))/.exec(rest);
  if (ordered) return `${ordered[0]}\\${rest.slice(ordered[0].length)}`;
  return rest;
}

/** Three or more `-`, `*` or `_` (the same one) with only spaces between: `***`, `- - -`. */
function isThematicBreak(rest: string): boolean {
  const char = rest[0];
  if (char !== '-' && char !== '*' && char !== '_') return false;
  let count = 0;
  for (const ch of rest) {
    if (ch === char) count++;
    else if (ch !== ' ' && ch !== '\t') return false;
  }
  return count >= 3;
}

/** A line of `=` or `-` alone, which makes the paragraph line above it a heading. */
function isSetextUnderline(rest: string): boolean {
  const char = rest[0];
  if (char !== '=' && char !== '-') return false;
  let n = 0;
  while (rest[n] === char) n++;
  return isBlank(rest.slice(n));
}

/** `[label]: …`, or a `[` whose label may go on to the next line: either could define a link. */
function mayDefineReference(rest: string): boolean {
  for (let i = 1; i < rest.length; i++) {
    const ch = rest[i];
    if (ch === '\\') i++;
    else if (ch === '[') return false;
    else if (ch === ']') return rest[i + 1] === ':';
  }
  return true;
}

// --- Inline: raw HTML, unsafe links, entities that decode to hidden characters ---------------------

const SAFE_SCHEME = /^(?:https?|mailto|tel|ftp)$/i;
const AUTOLINK = /^<([A-Za-z][A-Za-z0-9+.-]{1,31}):[^\s<>]*>/;
const EMAIL_AUTOLINK = /^<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>/;
const NUMERIC_ENTITY = /^&#(?:[xX]([0-9A-Fa-f]{1,6})|(\d{1,7}));/;
// How far into a link target to look for its scheme: one spelled with entities (at most 7 digits
// each in CommonMark) or escapes is well within it, and a line of many `](` stays linear.
const TARGET_WINDOW = 256;

/**
 * One line's inline text: a `<` that could open a tag, a comment or a Slack special (`<!…>`, `<@…>`)
 * becomes `&lt;`; autolinks to http(s), mailto, tel and ftp and e-mail autolinks stay. A link whose
 * target is not one of those or a plain relative path (`javascript:`, `data:`, `vbscript:`, or one
 * hidden behind an entity) loses its `(`, so it prints as text. Code spans on the line are kept as typed.
 */
function escapeInline(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (ch === '\\') {
      // An escaped character stays escaped, and never makes a backslash we add into an escaped one.
      out += line.slice(i, i + 2);
      i += 2;
    } else if (ch === '`') {
      const span = codeSpanEnd(line, i);
      out += line.slice(i, span);
      i = span;
    } else if (ch === '<') {
      const window = line.slice(i, i + 2048);
      const link = AUTOLINK.exec(window) ?? EMAIL_AUTOLINK.exec(window);
      if (link && (link[1] === undefined || SAFE_SCHEME.test(link[1]))) {
        out += link[0];
        i += link[0].length;
      } else {
        out += /^[A-Za-z/!?@]/.test(line[i + 1] ?? '') ? '&lt;' : '<';
        i++;
      }
    } else if (ch === ']' && line[i + 1] === '(') {
      if (isSafeDestination(line.slice(i + 2, i + 2 + TARGET_WINDOW))) {
        // A safe target in angle brackets (`](<https://a b>)`) keeps its `<`: it opens the target, not a tag.
        const target = /^\]\([ \t]*<?/.exec(line.slice(i, i + TARGET_WINDOW))?.[0] ?? '](';
        out += target;
        i += target.length;
      } else {
        out += ']\\(';
        i += 2;
      }
    } else if (ch === '&') {
      const entity = NUMERIC_ENTITY.exec(line.slice(i, i + 12));
      const code = entity ? parseInt(entity[1] ?? entity[2] ?? '', entity[1] ? 16 : 10) : undefined;
      out += code !== undefined && isHidden(code) ? '\\&' : '&';
      i++;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Where a code span opened by the backticks at `start` ends (after its closing run), or after the run when unclosed. */
export function codeSpanEnd(line: string, start: number): number {
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

/**
 * A link target that cannot run script: an allowed scheme, or a relative path or anchor with no
 * scheme. A `:`, `&` or `\` before the first `/`, `?` or `#` could spell a scheme once entities and
 * escapes are read, so such a target is not safe; neither is one that starts on the next line.
 */
function isSafeDestination(after: string): boolean {
  let target = after.replace(/^[ \t]+/, '');
  if (target.startsWith('<')) target = target.slice(1);
  if (target === '') return false;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]{0,31}):/.exec(target)?.[1];
  if (scheme !== undefined) return SAFE_SCHEME.test(scheme);
  for (const ch of target) {
    if (ch === '/' || ch === '?' || ch === '#' || ch === ')' || ch === '>' || ch === ' ' || ch === '\t') return true;
    if (ch === ':' || ch === '&' || ch === '\\') return false;
  }
  return true;
}
