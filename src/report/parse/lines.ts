/**
 * Splits a reply into lines and reads each line's indentation and list marker.
 * Every source (plain text, Slack, Feishu) ends up here, so this is where "what people really type" is handled.
 */

export type MarkerKind = 'bullet' | 'ordered';

export interface Marker {
  kind: MarkerKind;
  /** The owner's number for ordered markers, in ASCII (`①` → 1, `（２）` → 2). */
  number?: number;
  /** The marker exactly as typed, e.g. `1)` or `•`. */
  raw: string;
}

export interface ReplyLine {
  /** 1-based line number in the reply, for error messages. */
  number: number;
  /** The line as typed, trailing whitespace trimmed. */
  raw: string;
  /** Indentation in columns: a space counts 1, a full-width space 2, a tab moves to the next multiple of 4. */
  indent: number;
  /** The list marker at the start of the line, if any. */
  marker?: Marker;
  /** The text after the indentation and the marker (and the spaces after the marker). */
  text: string;
  blank: boolean;
}

/**
 * Removes byte order marks (editors write one at the start; pasting can leave them anywhere) and
 * turns CRLF and lone CR line endings into LF.
 */
export function normaliseNewlines(text: string): string {
  return text.replaceAll('\uFEFF', '').replace(/\r\n?/g, '\n');
}

/** Splits a reply into lines with indentation and markers read. */
export function splitLines(text: string): ReplyLine[] {
  return normaliseNewlines(text)
    .split('\n')
    .map((line, i) => readLine(line, i + 1));
}

// Whitespace people indent with: spaces, tabs, full-width spaces (Chinese IMEs), no-break spaces (pasted).
const INDENT_CHARS = /^[ \t\u3000\u00A0]*/;
const SPACE_AFTER_MARKER = /^[ \t\u3000\u00A0]*/;

export function readLine(line: string, number: number): ReplyLine {
  const raw = line.replace(/[\s\uFEFF]+$/u, '');
  const lead = INDENT_CHARS.exec(raw)?.[0] ?? '';
  const indent = measureIndent(lead);
  const rest = raw.slice(lead.length);
  if (rest === '') return { number, raw, indent: 0, text: '', blank: true };
  const found = readMarker(rest);
  if (!found) return { number, raw, indent, text: rest, blank: false };
  const afterMarker = rest.slice(found.raw.length);
  const gap = SPACE_AFTER_MARKER.exec(afterMarker)?.[0] ?? '';
  return { number, raw, indent, marker: found, text: afterMarker.slice(gap.length), blank: false };
}

export function measureIndent(whitespace: string): number {
  let columns = 0;
  for (const ch of whitespace) {
    if (ch === '\t') columns = Math.floor(columns / 4) * 4 + 4;
    else if (ch === '\u3000') columns += 2;
    else columns += 1;
  }
  return columns;
}

/** Full-width digits and brackets mapped to ASCII one character for one, so offsets stay the same. */
export function toAsciiDigits(text: string): string {
  return text.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30));
}

function asciiMarkerView(text: string): string {
  return toAsciiDigits(text).replace(/[（）．]/g, (c) => ({ '（': '(', '）': ')', '．': '.' })[c] ?? c);
}

// `-`, `*`, `+` and the en dash need a space after them, so `-5%`, `**粗体**` and `+86` stay text.
const ASCII_BULLET = /^[-*+\u2013](?=[ \t\u3000\u00A0]|$)/;
// Typographic bullets (Slack's `•` `◦` `▪`, Word's `●` `○` `■`, the Chinese `·`) are markers even without a space.
const SYMBOL_BULLET = /^[•◦▪▫·●○■□‣▸►◆◇]/;
// `1.` and `1．` need a space or a non-digit after them, so `1.1版本…` and `6.6-6.7日…` stay text.
const DOT_NUMBER = /^(\d{1,3})\.(?=[ \t\u3000\u00A0]|$|[^\d])/;
// `1)` `1）` `1、` `(1)` `（1）`.
const CLOSED_NUMBER = /^(?:(\d{1,3})[)、]|\((\d{1,3})\))/;
const CIRCLED = /^[\u2460-\u2473]/;

export function readMarker(text: string): Marker | undefined {
  const view = asciiMarkerView(text);
  const bullet = ASCII_BULLET.exec(view) ?? SYMBOL_BULLET.exec(view);
  if (bullet) return { kind: 'bullet', raw: text.slice(0, bullet[0].length) };
  const ordered = DOT_NUMBER.exec(view) ?? CLOSED_NUMBER.exec(view);
  if (ordered) {
    const digits = ordered[1] ?? ordered[2] ?? '0';
    return { kind: 'ordered', number: Number(digits), raw: text.slice(0, ordered[0].length) };
  }
  const circled = CIRCLED.exec(view);
  if (circled) return { kind: 'ordered', number: view.charCodeAt(0) - 0x2460 + 1, raw: text.slice(0, 1) };
  return undefined;
}

/** True when a line introduces what follows: it ends with a colon (`业务侧：`, `Bank side:`). */
export function endsWithColon(text: string): boolean {
  return /[:：]$/.test(text);
}

// Han ideographs, kana, Hangul, and CJK/full-width punctuation: scripts written without spaces between words.
const CJK = /[\u2E80-\u2FFF\u3000-\u303F\u3040-\u30FF\u3100-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/;

/**
 * Joins a continuation line to the text before it. A line break inside an item is a wrap, not a new
 * item, so it becomes nothing or a space: Chinese is written without spaces between words, so when
 * both sides of the break are CJK they join with nothing (`工行对接接口细节` + `沟通完毕`); anything
 * else joins with one space (`OOM,` + `root cause`). Entries (`06/03 18:31 …`) keep `\n` instead:
 * see entries.ts.
 */
export function joinContinuation(before: string, after: string): string {
  if (before === '') return after;
  if (after === '') return before;
  const last = before.at(-1) ?? '';
  const first = after[0] ?? '';
  return CJK.test(last) && CJK.test(first) ? before + after : `${before} ${after}`;
}
