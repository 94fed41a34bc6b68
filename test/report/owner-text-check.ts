import { readLine } from '../../src/report/parse/lines.ts';

/**
 * "No silent drop": every character an owner typed is in the printed section, in order, as typed or
 * escaped. Escapes the renderer may add are read back on both sides (`\#` is `#`, `&lt;` is `<`);
 * hidden control characters may be shown (␀ ␇, `\u{202E}`) or, for NUL, dropped; whitespace and the
 * list markers the parser replaces with the section's own numbering do not count.
 */

// C0 except tab/LF/CR, DEL, C1, bidi embeddings/overrides/isolates: what must never reach the document raw.
// eslint-disable-next-line no-control-regex
export const HIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
// eslint-disable-next-line no-control-regex
const HIDDEN_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/gu;
/** Control pictures (U+2400–U+2421) and `\u{…}` escapes: how a hidden character may be shown. */
const SHOWN_CONTROLS = /[\u2400-\u2421]|\\u\{[0-9A-Fa-f]{4,6}\}/gu;

function comparable(text: string): string {
  return text
    .replace(SHOWN_CONTROLS, '')
    .replace(HIDDEN_CONTROLS, '')
    .replace(/&lt;/g, '<')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\s+/gu, '');
}

/** The reply's text without the list markers the parser reads off each line. */
export function withoutListMarkers(typed: string): string {
  return typed
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line, i) => readLine(line, i + 1).text)
    .join('\n');
}

export type KeptResult = { ok: true } | { ok: false; problem: string };

/** Whether `typed` survives in `printed` as an ordered subsequence of comparable characters. */
export function ownerTextKept(typed: string, printed: string): KeptResult {
  const want = [...comparable(typed)];
  const have = [...comparable(printed)];
  let j = 0;
  for (let i = 0; i < want.length; i++) {
    while (j < have.length && have[j] !== want[i]) j++;
    if (j === have.length) {
      const context = want.slice(Math.max(0, i - 20), i + 20).join('');
      return { ok: false, problem: `character ${i} (${JSON.stringify(want[i])}) of the reply is missing, near ${JSON.stringify(context)}` };
    }
    j++;
  }
  return { ok: true };
}

/** Hidden control characters typed (NUL excepted: it may be dropped) must each be shown. */
export function controlsShown(typed: string, printed: string): KeptResult {
  if (HIDDEN_CONTROL.test(printed)) return { ok: false, problem: 'a hidden control character is in the document' };
  const hidden = [...typed.matchAll(HIDDEN_CONTROLS)].filter((m) => m[0] !== '\u0000' && !/\s/u.test(m[0])).length;
  const shown = [...printed.matchAll(SHOWN_CONTROLS)].length;
  return shown >= hidden ? { ok: true } : { ok: false, problem: `${hidden} hidden control characters typed, ${shown} shown` };
}
