import MarkdownIt from 'markdown-it';

// The schemes the report itself keeps as links (src/report/render/neutralise-markdown.ts): nothing that runs script.
const SAFE_SCHEME = /^(?:https?|mailto|tel|ftp)$/i;

/**
 * A link target the page keeps as a link: one of the report's schemes, or a relative path with no
 * scheme (a `:` before the first `/`, `?` or `#` could be one). Anything else stays text.
 */
export function isArchiveSafeLink(url: string): boolean {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1];
  if (scheme !== undefined) return SAFE_SCHEME.test(scheme);
  const head = url.split(/[/?#]/, 1)[0] ?? '';
  return !head.includes(':');
}

/**
 * The compiled report as HTML: markdown-it with raw HTML off (a `<script>` an owner typed is text),
 * links only where the report allows them, and no images (a picture would load from anywhere).
 * Owner text is data: what this returns contains no markup but markdown-it's own.
 */
const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.disable('image');
md.validateLink = isArchiveSafeLink;
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  // The page's address carries the link's signature: a report link never sends it on, nor gets hold of the page.
  tokens[idx]!.attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// A table column's alignment is a class, not a style attribute (the CSP allows no inline style).
md.core.ruler.push('alignment_classes', (state) => {
  for (const token of state.tokens) {
    const align = /^text-align:(left|center|right)$/.exec(String(token.attrGet('style') ?? ''))?.[1];
    if (token.attrGet('style') === null) continue;
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    if (align) token.attrJoin('class', `align-${align}`);
  }
});

export function reportHtml(markdown: string): string {
  return md.render(withoutNul(markdown));
}

/**
 * The report's text as its page shows it, one block a line: what search looks in, so that a word is
 * found as people read it (`<script>`, `a_b`), not as the Markdown escapes it (`\<script>`, `a\_b`).
 */
export function reportPlainText(markdown: string): string {
  const lines: string[] = [];
  for (const token of md.parse(withoutNul(markdown), {})) {
    if (token.type === 'inline') lines.push((token.children ?? []).map(inlineText).join(''));
    else if (token.type === 'fence' || token.type === 'code_block') lines.push(token.content.replace(/\n$/, ''));
  }
  return lines.join('\n');
}

function inlineText(token: { type: string; content: string }): string {
  if (token.type === 'softbreak' || token.type === 'hardbreak') return ' ';
  return token.type === 'text' || token.type === 'code_inline' ? token.content : '';
}

/** A NUL has no place in a page (browsers drop it, some parsers stop at it): owner text keeps everything else. */
function withoutNul(text: string): string {
  return text.replaceAll('\u0000', '');
}
