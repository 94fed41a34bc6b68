/**
 * Splits a reply into lines and reads each line's indentation and list marker.
 * Every source (plain text, Slack, Feishu) ends up here, so this is where "what people really type" is handled.
 */

import { normaliseLinks } from './links.ts';

/** `lettered` is a sub-item marker: a letter (`a.`, `B)`) or a Roman numeral (`ii.`). */
export type MarkerKind = 'bullet' | 'ordered' | 'lettered';

export interface Marker {
  kind: MarkerKind;
  /**
   * The owner's number for ordered markers, in ASCII (`①` → 1, `（２）` → 2); for lettered ones the
   * letter's place in the alphabet (`b.` → 2) or the numeral's value (`iv.` → 4).
   */
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
  /**
   * A line of a fenced code block: `open` and `close` for its ``` (or ~~~) lines, `body` for those
   * between. Code lines have no marker and are never blank; `text` is the line without the fence's
   * indentation, and `indent` is the fence's for every line of the block.
   */
  code?: 'open' | 'body' | 'close';
  /** A Markdown quote line (`> …`); `text` is what follows the `>` and one space. */
  quote?: boolean;
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
  return readReplyLines(normaliseNewlines(text).split('\n'));
}

/**
 * Reads a reply's lines (already split on `\n`): markers, quotes and fenced code blocks. Bare URLs
 * are made Markdown links outside code; inside a code block every character stays as typed.
 */
export function readReplyLines(typed: readonly string[]): ReplyLine[] {
  const code = codeLines(typed);
  let fenceIndent = 0;
  return typed.map((line, i) => {
    const kind = code[i];
    if (kind === undefined) return readLine(normaliseLinks(line), i + 1);
    const raw = line.trimEnd();
    if (kind === 'open') fenceIndent = measureIndent(INDENT_CHARS.exec(raw)?.[0] ?? '');
    return { number: i + 1, raw, indent: fenceIndent, text: outdent(raw, fenceIndent), blank: false, code: kind };
  });
}

// A fence is three or more backticks or tildes; a backtick fence's info string has no backticks, so
// ```` ```inline``` ```` on one line stays inline code. People indent fences under items, so any indentation counts.
const FENCE_OPEN = /^[ \t\u3000\u00A0]*(`{3,}(?=[^`]*$)|~{3,})/;

/**
 * Which lines belong to fenced code blocks. A block runs from its opening fence to a closing one of
 * the same character and at least the same length, or to the end of the reply when it is never
 * closed (the parsers then close it, so a fence never swallows the rest of the report).
 */
export function codeLines(typed: readonly string[]): ('open' | 'body' | 'close' | undefined)[] {
  let fence: string | undefined;
  return typed.map((line) => {
    if (fence === undefined) {
      fence = FENCE_OPEN.exec(line)?.[1];
      return fence === undefined ? undefined : 'open';
    }
    const closing = /^[ \t\u3000\u00A0]*(`{3,}|~{3,})[ \t\u3000\u00A0]*$/.exec(line)?.[1];
    if (closing && closing[0] === fence[0] && closing.length >= fence.length) {
      fence = undefined;
      return 'close';
    }
    return 'body';
  });
}

/** The closing fence for a block opened by `openLine` (its own characters, at least as many). */
export function closingFence(openLine: string): string {
  return FENCE_OPEN.exec(openLine)?.[1] ?? '```';
}

/**
 * The code block opened at `lines[start]` as text, fences included, with the closing fence added
 * when the owner left it open; `end` is the index of its last line.
 */
export function readCodeBlock(lines: readonly ReplyLine[], start: number): { text: string; end: number } {
  const opening = lines[start];
  const out = [opening?.text ?? '```'];
  let end = start;
  for (let i = start + 1; i < lines.length && lines[i]?.code !== undefined && lines[i]?.code !== 'open'; i++) {
    out.push(lines[i]?.text ?? '');
    end = i;
    if (lines[i]?.code === 'close') return { text: out.join('\n'), end };
  }
  // Blank lines at the end of an unclosed block are the reply's own end, not code.
  while (out.length > 1 && out.at(-1) === '') out.pop();
  out.push(closingFence(opening?.text ?? '```'));
  return { text: out.join('\n'), end };
}

/** Removes up to `columns` columns of leading whitespace, so code keeps its indentation relative to its fence. */
function outdent(line: string, columns: number): string {
  let at = 0;
  while (at < line.length && measureIndent(line.slice(0, at + 1)) <= columns && /[ \t\u3000\u00A0]/.test(line[at] ?? '')) at++;
  return line.slice(at);
}

// Whitespace people indent with: spaces, tabs, full-width spaces (Chinese IMEs), no-break spaces (pasted).
const INDENT_CHARS = /^[ \t\u3000\u00A0]*/;
const SPACE_AFTER_MARKER = /^[ \t\u3000\u00A0]*/;
// `> ` or a lone `>`: `>90%` is a comparison people type, not a quote.
const QUOTE = /^>(?:[ \t\u3000\u00A0]|$)/;

export function readLine(line: string, number: number): ReplyLine {
  const raw = line.trimEnd();
  const lead = INDENT_CHARS.exec(raw)?.[0] ?? '';
  const indent = measureIndent(lead);
  const rest = raw.slice(lead.length);
  if (rest === '') return { number, raw, indent: 0, text: '', blank: true };
  const quote = QUOTE.exec(rest);
  if (quote) return { number, raw, indent, text: rest.slice(quote[0].length), blank: false, quote: true };
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
// Sub-items: `a.` `B)` `ii.` with a space after, so `e.g. …`, `A.B.C` and `v1.2` stay text; `c、`
// `(d)` `（e）` as Chinese IMEs type them, space or not, but not before a Latin letter (`A、B两家银行`).
// A lone `i`/`I` reads as the numeral one: letter lists seldom get that far.
const LETTER = '([A-Za-z]|[ivxIVX]{2,5})';
const LETTERED = new RegExp(`^(?:${LETTER}[.)](?=[ \\t\\u3000\\u00A0])|(?:${LETTER}、|\\(${LETTER}\\))(?![A-Za-z]))`);

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
  const lettered = LETTERED.exec(view);
  if (lettered) {
    const number = letteredNumber(lettered[1] ?? lettered[2] ?? lettered[3] ?? '');
    if (number !== undefined) return { kind: 'lettered', number, raw: text.slice(0, lettered[0].length) };
  }
  return undefined;
}

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10 };

/** `b` → 2, `iv` → 4, `i` → 1; undefined for a run of letters that is no Roman numeral (`vv`). */
function letteredNumber(label: string): number | undefined {
  const lower = label.toLowerCase();
  if (lower.length === 1 && lower !== 'i') return lower.charCodeAt(0) - 0x60;
  let total = 0;
  for (let i = 0; i < lower.length; i++) {
    const value = ROMAN[lower[i] ?? ''] ?? 0;
    const next = ROMAN[lower[i + 1] ?? ''] ?? 0;
    total += value < next ? -value : value;
  }
  return toRoman(total) === lower ? total : undefined;
}

function toRoman(n: number): string {
  const parts: [number, string][] = [
    [10, 'x'],
    [9, 'ix'],
    [5, 'v'],
    [4, 'iv'],
    [1, 'i'],
  ];
  let out = '';
  for (const [value, numeral] of parts) {
    while (n >= value) {
      out += numeral;
      n -= value;
    }
  }
  return out;
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
