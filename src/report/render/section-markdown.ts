import type { SectionDefinition } from '../definition.ts';
import type { ListItem, SectionContent } from '../model.ts';

/**
 * One section as Markdown: its title (as a heading or a top-level bullet) and its body, numbered
 * and indented as the definition says. The content of several owners arrives already merged.
 */
export function renderSectionMarkdown(section: SectionDefinition, content: SectionContent | null): string {
  const body = renderSectionBody(section, content);
  if (section.heading === 'bullet') {
    return `- ${section.title}\n${indentLines(body, ' '.repeat(section.indent))}`;
  }
  const level = Number(section.heading.slice(1));
  return `${'#'.repeat(level)} ${section.title}\n\n${body}`;
}

/** The body alone, as the owner would type it again: last week's text in a prompt, a preview. */
export function renderSectionBody(section: SectionDefinition, content: SectionContent | null): string {
  return content && !isEmpty(content) ? renderBody(section, content) : section.emptyText;
}

function isEmpty(content: SectionContent): boolean {
  switch (content.kind) {
    case 'list':
      return content.items.length === 0;
    case 'text':
      return content.markdown.trim() === '';
    case 'entries':
      return content.entries.length === 0 && content.notes.length === 0;
  }
}

function renderBody(section: SectionDefinition, content: SectionContent): string {
  switch (content.kind) {
    case 'list':
      return renderItems(content.items, section, 0).join('\n');
    case 'text':
      return content.markdown;
    case 'entries':
      return [...content.entries.map((e) => `${e.time} ${e.text}`), ...content.notes].join('\n\n');
  }
}

function renderItems(items: ListItem[], section: SectionDefinition, depth: number): string[] {
  const style = section.numbering[Math.min(depth, section.numbering.length - 1)];
  const pad = ' '.repeat(section.indent * depth);
  return items.flatMap((item, i) => {
    const marker = style === 'ordered' ? `${i + 1}.` : '-';
    // A multi-line item keeps its later lines aligned under its text.
    const text = item.text.split('\n').join(`\n${pad}${' '.repeat(marker.length + 1)}`);
    return [`${pad}${marker} ${text}`, ...renderItems(item.children, section, depth + 1)];
  });
}

function indentLines(text: string, pad: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : pad + line))
    .join('\n');
}
