/**
 * Makes every link Markdown: a bare URL becomes `[url](url)`, so renderers for Slack, Feishu and
 * Markdown all see one form. Existing Markdown links, `<url>` autolinks and inline code are left alone.
 */

// Spans that are already links, or code whose contents must stay as typed.
const PROTECTED = /`[^`\n]*`|\[[^\]\n]*\]\([^)\s]*\)|<[a-z][a-z0-9+.-]*:[^>\s]*>/gi;
// A URL stops at whitespace, brackets, quotes and any CJK character or CJK/full-width punctuation
// (`详见https://x.com/a，谢谢` links only `https://x.com/a`).
const BARE_URL = /\bhttps?:\/\/[^\s<>"'`[\]\u3000-\u303F\u3400-\u9FFF\uFF00-\uFFEF]+/gi;
// Sentence punctuation after a URL belongs to the sentence, as in GitHub's autolinks.
const TRAILING_PUNCTUATION = /[.,;:!?*_~]+$/;

export function normaliseLinks(line: string): string {
  let out = '';
  let at = 0;
  for (const match of line.matchAll(PROTECTED)) {
    out += linkBareUrls(line.slice(at, match.index)) + match[0];
    at = match.index + match[0].length;
  }
  return out + linkBareUrls(line.slice(at));
}

function linkBareUrls(text: string): string {
  return text.replace(BARE_URL, (found) => {
    const url = trimUrl(found);
    return `[${url}](${url})${found.slice(url.length)}`;
  });
}

function trimUrl(url: string): string {
  let out = url.replace(TRAILING_PUNCTUATION, '');
  // `(see https://x.com/a)`: a closing parenthesis the URL did not open is the sentence's.
  while (out.endsWith(')') && count(out, '(') < count(out, ')')) {
    out = out.slice(0, -1).replace(TRAILING_PUNCTUATION, '');
  }
  return out;
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}
