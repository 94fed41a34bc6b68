/** The longest query read: a few words are what people search for; more is cut, not refused. */
export const MAX_QUERY_CHARS = 200;
/** Characters shown each side of a match. */
const CONTEXT_CHARS = 60;
/** Matches shown per week: enough to see why the week matched. */
const SNIPPETS_PER_WEEK = 3;

/**
 * Where `query` occurs in `text` (any case), as snippets: some text before, the match as found,
 * some text after, on one line. Plain text: the page escapes each part.
 */
export function searchSnippets(text: string, query: string): { before: string; match: string; after: string }[] {
  const wanted = normaliseQuery(query).toLocaleLowerCase();
  if (wanted === '') return [];
  const haystack = text.toLocaleLowerCase();
  const out: { before: string; match: string; after: string }[] = [];
  // Lower-casing can change a string's length (İ), so a match found in the lowered text is only used when the lengths agree.
  const sameLength = haystack.length === text.length;
  for (let at = haystack.indexOf(wanted); at !== -1 && out.length < SNIPPETS_PER_WEEK; at = haystack.indexOf(wanted, at + wanted.length)) {
    const end = at + wanted.length;
    const found = sameLength ? text.slice(at, end) : wanted;
    const before = text.slice(Math.max(0, at - CONTEXT_CHARS), at);
    const after = text.slice(end, end + CONTEXT_CHARS);
    out.push({ before: oneLine(before, 'start'), match: found, after: oneLine(after, 'end') });
  }
  return out;
}

/** A query as searched: trimmed, inner whitespace as one space, at most MAX_QUERY_CHARS. */
export function normaliseQuery(query: string): string {
  return query.trim().replace(/\s+/g, ' ').slice(0, MAX_QUERY_CHARS);
}

function oneLine(text: string, cut: 'start' | 'end'): string {
  const flat = text.replace(/\s+/g, ' ');
  return cut === 'start' ? `${text.length >= CONTEXT_CHARS ? '…' : ''}${flat}` : `${flat}${text.length >= CONTEXT_CHARS ? '…' : ''}`;
}
