import type { SectionDefinition } from '../definition.ts';
import { isEmptyContent, type ListItem, type SectionContent } from '../model.ts';
import { neutraliseOwnerMarkdown, type OwnerTextPlace } from './neutralise-markdown.ts';

/** A title bullet's body is indented by the section's indent, but its content column is after `- `. */
const TITLE_BULLET_CONTENT_COLUMN = 2;

/**
 * One section as Markdown: its title (as a heading or a top-level bullet) and its body, numbered
 * and indented as the definition says. The content of several owners arrives already merged.
 * Owner text is printed as data: whatever was typed, the section keeps its place and its title
 * (see neutralise-markdown.ts).
 *
 * Under a title bullet, a list starts on the next line (as the reference document has it: a list
 * begins a block of its own), and any other body (the empty text, free text, entries) after a blank
 * line: on the next line it would continue the title's paragraph, and renderers would print the
 * two as one line.
 */
export function renderSectionMarkdown(section: SectionDefinition, content: SectionContent | null): string {
  if (section.heading === 'bullet') {
    const pad = nestedColumn(section.indent, TITLE_BULLET_CONTENT_COLUMN);
    const body = renderBodyIn(section, content, { column: pad, containerColumn: TITLE_BULLET_CONTENT_COLUMN });
    const list = content?.kind === 'list' && !isEmptyContent(content);
    return `- ${section.title}\n${list ? '' : '\n'}${indentLines(body, ' '.repeat(pad))}`;
  }
  const level = Number(section.heading.slice(1));
  return `${'#'.repeat(level)} ${section.title}\n\n${renderBodyIn(section, content, { column: 0, containerColumn: 0 })}`;
}

/**
 * The body alone, as the owner would type it again: last week's text in a prompt, a form's prefill.
 * Not escaped, so that sending it back does not add a backslash each week.
 */
export function renderSectionBody(section: SectionDefinition, content: SectionContent | null): string {
  return content && !isEmptyContent(content) ? renderBody(section, content, undefined) : section.emptyText;
}

function renderBodyIn(section: SectionDefinition, content: SectionContent | null, at: { column: number; containerColumn: number }): string {
  if (!content || isEmptyContent(content)) return section.emptyText;
  return renderBody(section, content, { ...at, depth: 0, maxDepth: section.maxDepth });
}

/** `place` is where the body goes in the document, or undefined for the owner's own view (nothing escaped). */
function renderBody(section: SectionDefinition, content: SectionContent, place: OwnerTextPlace | undefined): string {
  const owner = (text: string) => (place ? neutraliseOwnerMarkdown(text, place) : text);
  switch (content.kind) {
    case 'list':
      return renderItems(place ? printable(content.items) : content.items, section, 0, 0, place).join('\n');
    case 'text':
      return owner(content.markdown);
    case 'entries':
      return [...content.entries.map((e) => owner(`${e.time} ${e.text}`)), ...content.notes.map((n) => owner(n))].join('\n\n');
  }
}

function renderItems(items: ListItem[], section: SectionDefinition, depth: number, pad: number, place: OwnerTextPlace | undefined): string[] {
  const style = section.numbering[Math.min(depth, section.numbering.length - 1)];
  // At the deepest level the document allows, deeper items follow their parent at that level, in order.
  const shown = place && depth >= section.maxDepth - 1 ? flatten(items) : items;
  return shown.flatMap((item, i) => {
    const marker = style === 'ordered' ? `${i + 1}.` : '-';
    const contentColumn = pad + marker.length + 1;
    const text = place
      ? neutraliseOwnerMarkdown(item.text, {
          column: place.column + contentColumn,
          containerColumn: place.column + contentColumn,
          depth: depth + 1,
          maxDepth: place.maxDepth,
        })
      : item.text;
    // A multi-line item keeps its later lines aligned under its text.
    const lines = text.split('\n').join(`\n${' '.repeat(contentColumn)}`);
    const childPad = nestedColumn(pad + section.indent, contentColumn);
    return [`${' '.repeat(pad)}${marker} ${lines}`, ...renderItems(item.children, section, depth + 1, childPad, place)];
  });
}

/**
 * Items as the document prints them: text starting on the marker's line, and no empty items (their
 * children take their place, as the parser does). A marker with nothing after it cannot interrupt a
 * paragraph, so `-` alone under the item above would underline it as a heading.
 */
function printable(items: readonly ListItem[]): ListItem[] {
  return items.flatMap((item) => {
    const text = item.text.replace(/^\s+/u, '');
    const children = printable(item.children);
    return text === '' ? children : [{ text, children }];
  });
}

function flatten(items: readonly ListItem[]): ListItem[] {
  return items.flatMap((item) => [{ text: item.text, children: [] }, ...flatten(item.children)]);
}

/**
 * Where a nested block starts: the indent the definition asks for, kept within the 0–3 columns past
 * the parent's content column where CommonMark nests it. Less and it would not nest (`100. ` is
 * wider than a 4-space indent); more and it would be code, or text of the parent's paragraph.
 */
function nestedColumn(wanted: number, parentContentColumn: number): number {
  return Math.min(Math.max(wanted, parentContentColumn), parentContentColumn + 3);
}

function indentLines(text: string, pad: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : pad + line))
    .join('\n');
}
