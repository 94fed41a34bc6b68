import Handlebars from 'handlebars';
import markdownIt, { type MarkdownIt } from 'markdown-it';
import type { Team } from '../../src/report/definition.ts';

/**
 * A report's outline as a real CommonMark parser (markdown-it) reads it, and the outline its team's
 * layout and definition promise. Sections titled by a heading are headings; sections whose `heading`
 * is `bullet` are top-level bullet items with their body nested inside.
 */
export type OutlineEntry = { kind: 'heading'; level: number; text: string } | { kind: 'bullet'; text: string };

/** The strict preset (nesting limit 20, no HTML, no tables) and the default one renderers usually start from. */
export const PARSERS: Record<string, MarkdownIt> = {
  commonmark: markdownIt('commonmark'),
  default: markdownIt('default', { html: true }),
};

/** Every heading, however deep, and every item of a top-level bullet list (its first line's text), in order. */
export function documentOutline(markdown: string, md: MarkdownIt = PARSERS.commonmark!): OutlineEntry[] {
  const tokens = md.parse(markdown, {});
  const outline: OutlineEntry[] = [];
  let topList: 'bullet' | 'ordered' | undefined;
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open') {
      outline.push({ kind: 'heading', level: Number(token.tag.slice(1)), text: tokens[i + 1]?.content ?? '' });
    } else if (token.level === 0 && (token.type === 'bullet_list_open' || token.type === 'ordered_list_open')) {
      topList = token.type === 'bullet_list_open' ? 'bullet' : 'ordered';
    } else if (token.level === 0 && (token.type === 'bullet_list_close' || token.type === 'ordered_list_close')) {
      topList = undefined;
    } else if (topList === 'bullet' && token.type === 'list_item_open' && token.level === 1) {
      const first = tokens[i + 1];
      const text = first?.type === 'paragraph_open' ? (tokens[i + 2]?.content.split('\n')[0] ?? '') : '';
      outline.push({ kind: 'bullet', text });
    }
  });
  return outline;
}

const SECTIONS = 'xsectionsx';
const sectionMark = (id: string) => `xsectionx${id.replace(/-/g, 'x')}x`;

/**
 * What the layout and the definition say the outline is: the layout's own headings, with each
 * section's title (a heading of its level, or a bullet) where the layout places it. Computed from the
 * layout with placeholder values, so a changed layout or definition changes the expectation.
 */
export function expectedOutline(team: Team, values: { title: string; created: string; week: string }): OutlineEntry[] {
  const { definition } = team;
  const titleOf = (id: string): OutlineEntry[] => {
    const section = definition.sections.find((s) => s.id === id);
    if (!section) return [];
    return section.heading === 'bullet'
      ? [{ kind: 'bullet', text: section.title }]
      : [{ kind: 'heading', level: Number(section.heading.slice(1)), text: section.title }];
  };
  const skeleton = Handlebars.create().compile(team.layout, { noEscape: true, strict: true })({
    ...values,
    name: definition.name,
    sections: SECTIONS,
    section: Object.fromEntries(definition.sections.map((s) => [s.id, sectionMark(s.id)])),
  });
  const tokens = PARSERS.commonmark!.parse(skeleton, {});
  const outline: OutlineEntry[] = [];
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open') {
      outline.push({ kind: 'heading', level: Number(token.tag.slice(1)), text: tokens[i + 1]?.content ?? '' });
    } else if (token.type === 'inline' && tokens[i - 1]?.type === 'paragraph_open') {
      for (const word of token.content.split(/\s+/)) {
        if (word === SECTIONS) outline.push(...definition.sections.flatMap((s) => titleOf(s.id)));
        const placed = definition.sections.find((s) => sectionMark(s.id) === word);
        if (placed) outline.push(...titleOf(placed.id));
      }
    }
  });
  return outline;
}

interface Segment {
  heading?: OutlineEntry;
  bullets: string[];
}

function segments(outline: readonly OutlineEntry[]): Segment[] {
  const out: Segment[] = [{ bullets: [] }];
  for (const entry of outline) {
    if (entry.kind === 'heading') out.push({ heading: entry, bullets: [] });
    else out.at(-1)!.bullets.push(entry.text);
  }
  return out;
}

/**
 * Differences between a document's outline and the expected one, empty when they agree: the same
 * headings (level and text) in the same order, and under each heading the expected title bullets as
 * the last top-level bullets before the next heading. Top-level bullets an owner typed in a section
 * under a heading (a free-text list) come before them and are part of that section's body.
 */
export function outlineDifferences(actual: readonly OutlineEntry[], expected: readonly OutlineEntry[]): string[] {
  const a = segments(actual);
  const e = segments(expected);
  const headings = (s: Segment[]) => s.slice(1).map((x) => JSON.stringify(x.heading));
  const problems: string[] = [];
  if (JSON.stringify(headings(a)) !== JSON.stringify(headings(e))) {
    problems.push(`headings ${headings(a).join(' | ')}\nexpected ${headings(e).join(' | ')}`);
    return problems;
  }
  e.forEach((segment, i) => {
    const got = a[i]?.bullets ?? [];
    const tail = segment.bullets.length === 0 ? [] : got.slice(-segment.bullets.length);
    if (JSON.stringify(tail) !== JSON.stringify(segment.bullets)) {
      problems.push(
        `bullets after ${JSON.stringify(segment.heading ?? 'the start')}: ${JSON.stringify(got)}, expected to end with ${JSON.stringify(segment.bullets)}`,
      );
    }
  });
  return problems;
}
