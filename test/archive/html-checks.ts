/**
 * What a page may contain for owner text to be data: the tags and attributes the archive's
 * templates and markdown-it write, links to safe schemes only, no script but the archive's own
 * files, no style attribute, no event handler. Text is escaped, so every raw `<` in the page opens
 * one of these tags; anything else is markup an owner smuggled in.
 */
const ALLOWED_TAGS = new Set(
  'html head meta title link body header nav a main article section h1 h2 h3 h4 h5 h6 p ol ul li pre code time span em strong blockquote hr br table thead tbody tr th td s del mark form input button figure div'.split(
    ' ',
  ),
);
const ALLOWED_ATTRIBUTES = new Set(
  'href rel lang charset name content class datetime aria-current start value title type method action placeholder maxlength role aria-label'.split(' '),
);
const SAFE_HREF = /^(?:https?:|mailto:|tel:|ftp:|\/archive\/|#|[^:/?#]*(?:[/?#]|$))/i;

export function executableMarkup(html: string): string[] {
  const problems: string[] = [];
  const withoutDoctype = html.replace(/^<!doctype html>/i, '');
  for (const match of withoutDoctype.matchAll(/<(\/?)([^\s/>]+)([^>]*)>/g)) {
    const [tag, closing, name = '', rest = ''] = match;
    if (!ALLOWED_TAGS.has(name.toLowerCase())) problems.push(`tag ${tag.slice(0, 80)}`);
    if (closing) continue;
    for (const attr of rest.matchAll(/([^\s=]+)(?:="([^"]*)")?/g)) {
      const [, attrName = '', value = ''] = attr;
      if (!ALLOWED_ATTRIBUTES.has(attrName.toLowerCase())) problems.push(`attribute ${attrName} in ${tag.slice(0, 80)}`);
      if (attrName === 'href' && !SAFE_HREF.test(value.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'))) problems.push(`href ${value.slice(0, 80)}`);
    }
  }
  // A raw `<` that opens no tag would be text the escaping missed.
  if (/<(?![/a-zA-Z!])/.test(withoutDoctype)) problems.push('a raw <');
  return problems;
}
