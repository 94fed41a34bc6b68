import markdownIt, { type Token } from 'markdown-it';
import type { SectionDefinition } from '../../src/report/definition.ts';

/**
 * Checks on a compiled document shared by the hostile-input tests (the corpus through the
 * compiler, test/report/hostile.test.ts, and through a whole week, test/platforms/hostile-week.test.ts).
 */

// Links as written, without markdown-it's own javascript:/data: filter, so the document's safety is what is tested.
const permissive = markdownIt('default', { html: true });
permissive.validateLink = () => true;

const SAFE_TARGET = /^(?:(?:https?|mailto|tel|ftp):|[^:&\\]*(?:[/?#]|$))/i;

/** The text without any whitespace: for comparing what is carried, whatever the line breaks. */
export const squash = (text: string) => text.replace(/\s+/gu, '');

function allTokens(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => [t, ...allTokens(t.children ?? [])]);
}

/** Raw HTML and link targets that are not plainly safe, as a CommonMark renderer would see them. */
export function liveMarkup(markdown: string): { html: string[]; unsafeTargets: string[] } {
  const tokens = allTokens(permissive.parse(markdown, {}));
  const targets = tokens.flatMap((t) => [t.attrGet('href'), t.attrGet('src')]).filter((x): x is string => x !== null);
  return {
    html: tokens.filter((t) => t.type === 'html_block' || t.type === 'html_inline').map((t) => t.content),
    unsafeTargets: targets.filter((target) => !SAFE_TARGET.test(target)),
  };
}

/** A section's title line as the layout prints it. */
export function titleLine(section: SectionDefinition): string {
  return section.heading === 'bullet' ? `- ${section.title}` : `${'#'.repeat(Number(section.heading.slice(1)))} ${section.title}`;
}

/** The document's lines after a section's title line, up to the next section's; throws when a title line is missing. */
export function sectionSlice(markdown: string, section: SectionDefinition, sections: readonly SectionDefinition[]): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(titleLine(section));
  if (start < 0) throw new Error(`no title line of ${section.id} in the document`);
  const next = sections[sections.indexOf(section) + 1];
  const end = next ? lines.indexOf(titleLine(next), start + 1) : lines.length;
  if (end <= start) throw new Error(`no title line after ${section.id} in the document`);
  return lines.slice(start + 1, end).join('\n');
}
