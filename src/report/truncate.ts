/**
 * Shortens text to at most `max` characters (code points, so no emoji or CJK character is cut in
 * half), ending with `…` when it was cut. The one truncation helper: every message limit uses it.
 */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
