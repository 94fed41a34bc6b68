import type { TimedEntry } from '../model.ts';
import { toAsciiDigits, type ReplyLine } from './lines.ts';

export interface ParsedEntries {
  entries: TimedEntry[];
  notes: string[];
}

export type EntriesResult = { ok: true; value: ParsedEntries } | { ok: false; line: ReplyLine };

// `06/03 18:31`, `6/3 8:31`, `06-03 18:31`, read on an ASCII view of the line (`０６/０３ １８：３１`).
const TIMESTAMP = /^(\d{1,2})([/-])(\d{1,2})[ \t\u3000\u00A0]+(\d{1,2}):(\d{2})(?!\d)/;

/**
 * Entries sections (【生产事件】): each entry starts with a timestamp; a list marker before it is
 * dropped. A line starting with a note prefix (`详细记录：`) is a note, kept as typed. A line with
 * neither continues the entry or note above it when no blank line separates them, and is joined
 * with `\n` (an incident's lines are separate facts, not a wrapped sentence). A paragraph with neither
 * is the owner's mistake, reported with its first line.
 */
export function parseEntries(lines: readonly ReplyLine[], notePrefixes: readonly string[]): EntriesResult {
  const entries: TimedEntry[] = [];
  const notes: string[] = [];
  let open: { kind: 'entry'; entry: TimedEntry } | { kind: 'note'; index: number } | undefined;
  for (const line of lines) {
    if (line.blank) {
      open = undefined;
      continue;
    }
    const typed = line.raw.trimStart();
    const stamped = readTimestamp(line);
    if (stamped) {
      const entry = { time: stamped.time, text: stamped.text };
      entries.push(entry);
      open = { kind: 'entry', entry };
    } else if (notePrefixes.some((prefix) => typed.startsWith(prefix) || line.text.startsWith(prefix))) {
      notes.push(typed);
      open = { kind: 'note', index: notes.length - 1 };
    } else if (open?.kind === 'entry') {
      open.entry.text = open.entry.text === '' ? typed : `${open.entry.text}\n${typed}`;
    } else if (open?.kind === 'note') {
      notes[open.index] = `${notes[open.index] ?? ''}\n${typed}`;
    } else {
      return { ok: false, line };
    }
  }
  return { ok: true, value: { entries, notes } };
}

function readTimestamp(line: ReplyLine): { time: string; text: string } | undefined {
  // With a marker (`- 06/03 18:31 …`, `1. 06/03 …`) the time follows the marker; without, it starts the line.
  const text = line.marker ? line.text : line.raw.trimStart();
  const view = toAsciiDigits(text).replace(/[／－：]/g, (c) => ({ '／': '/', '－': '-', '：': ':' })[c] ?? c);
  const match = TIMESTAMP.exec(view);
  if (!match) return undefined;
  const [whole, month = '', separator = '', day = '', hour = '', minute = ''] = match;
  if (!inRange(month, 1, 12) || !inRange(day, 1, 31) || !inRange(hour, 0, 23) || !inRange(minute, 0, 59)) {
    return undefined;
  }
  return { time: `${month}${separator}${day} ${hour}:${minute}`, text: text.slice(whole.length).trim() };
}

function inRange(digits: string, min: number, max: number): boolean {
  const n = Number(digits);
  return n >= min && n <= max;
}
