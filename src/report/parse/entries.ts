import type { TimedEntry } from '../model.ts';
import { readCodeBlock, toAsciiDigits, type ReplyLine } from './lines.ts';

export interface ParsedEntries {
  entries: TimedEntry[];
  notes: string[];
}

export type EntriesResult = { ok: true; value: ParsedEntries } | { ok: false; line: ReplyLine };

// Read on an ASCII view of the line (`０６/０３ １８：３１`). The date comes first, in one of the ways
// people write it: `06/03` `6-3` (the report's own way), `2024-06-03` `2024/6/3`, `6月3日` `2024年6月3号`.
// Numeric dates need whitespace before the time; after `日`/`号` it may follow directly (`6月5日10:02`).
const NUMERIC_DATE = /^(?:(\d{4})[/-])?(\d{1,2})[/-](\d{1,2})[ \t\u3000\u00A0]+/;
const CHINESE_DATE =
  /^(?:(\d{4})[ \t\u3000\u00A0]*年[ \t\u3000\u00A0]*)?(\d{1,2})[ \t\u3000\u00A0]*月[ \t\u3000\u00A0]*(\d{1,2})[ \t\u3000\u00A0]*[日号][ \t\u3000\u00A0]*/;
const TIME = /^(\d{1,2}):(\d{2})(?!\d)/;

/**
 * Entries sections (【生产事件】): each entry starts with a timestamp; a list marker before it is
 * dropped. A line starting with a note prefix (`详细记录：`) is a note, kept as typed. A line with
 * neither continues the entry or note above it when no blank line separates them, and is joined
 * with `\n` (an incident's lines are separate facts, not a wrapped sentence). A paragraph with neither
 * is the owner's mistake, reported with its first line. A fenced code block or a quote belongs to the
 * entry or note above it even after a blank line (a log excerpt, a customer's words): it is never an
 * entry of its own.
 *
 * Times are written the report's way, `MM/DD` and the time as typed (`06/03 8:31` stays as the
 * reference prints it), whichever way the date was typed: a report mixing `2024-06-05`, `6月5日`
 * and `06/03` would not read as one list.
 */
export function parseEntries(lines: readonly ReplyLine[], notePrefixes: readonly string[]): EntriesResult {
  const entries: TimedEntry[] = [];
  const notes: string[] = [];
  type Open = { kind: 'entry'; entry: TimedEntry } | { kind: 'note'; index: number };
  let open: Open | undefined;
  // The entry or note above, even across blank lines: where a code block or a quote goes.
  let previous: Open | undefined;
  const append = (target: Open, text: string): void => {
    if (target.kind === 'entry') target.entry.text = target.entry.text === '' ? text : `${target.entry.text}\n${text}`;
    else notes[target.index] = `${notes[target.index] ?? ''}\n${text}`;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as ReplyLine;
    if (line.blank) {
      open = undefined;
      continue;
    }
    const typed = line.raw.trimStart();
    const target = open ?? previous;
    if ((line.code === 'open' || line.quote) && target) {
      if (line.code === 'open') {
        const block = readCodeBlock(lines, i);
        append(target, block.text);
        i = block.end;
      } else {
        append(target, typed);
      }
      open = target;
      continue;
    }
    const stamped = line.code ? undefined : readTimestamp(line);
    if (stamped) {
      const entry = { time: stamped.time, text: stamped.text };
      entries.push(entry);
      open = { kind: 'entry', entry };
    } else if (notePrefixes.some((prefix) => typed.startsWith(prefix) || line.text.startsWith(prefix))) {
      notes.push(typed);
      open = { kind: 'note', index: notes.length - 1 };
    } else if (open) {
      append(open, typed);
    } else {
      return { ok: false, line };
    }
    previous = open;
  }
  return { ok: true, value: { entries, notes } };
}

function readTimestamp(line: ReplyLine): { time: string; text: string } | undefined {
  // With a marker (`- 06/03 18:31 …`, `1. 06/03 …`) the time follows the marker; without, it starts the line.
  const text = line.marker ? line.text : line.raw.trimStart();
  const view = toAsciiDigits(text).replace(/[／－：]/g, (c) => ({ '／': '/', '－': '-', '：': ':' })[c] ?? c);
  const date = NUMERIC_DATE.exec(view) ?? CHINESE_DATE.exec(view);
  if (!date) return undefined;
  const time = TIME.exec(view.slice(date[0].length));
  if (!time) return undefined;
  const [, year, month = '', day = ''] = date;
  const [, hour = '', minute = ''] = time;
  if (!isDate(year, month, day) || !inRange(hour, 0, 23) || !inRange(minute, 0, 59)) return undefined;
  const whole = date[0].length + time[0].length;
  return { time: `${pad(month)}/${pad(day)} ${hour}:${minute}`, text: text.slice(whole).trim() };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDate(year: string | undefined, month: string, day: string): boolean {
  if (!inRange(month, 1, 12)) return false;
  const leap = year === undefined || (Number(year) % 4 === 0 && (Number(year) % 100 !== 0 || Number(year) % 400 === 0));
  const days = Number(month) === 2 && !leap ? 28 : (DAYS_IN_MONTH[Number(month) - 1] ?? 31);
  return inRange(day, 1, days);
}

function pad(digits: string): string {
  return digits.padStart(2, '0');
}

function inRange(digits: string, min: number, max: number): boolean {
  const n = Number(digits);
  return n >= min && n <= max;
}
