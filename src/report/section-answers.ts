import type { SectionDefinition } from './definition.ts';
import { isEmptyContent, type SectionContent } from './model.ts';

/** What the compiler needs of a stored submission: whose it is and what it says. */
export interface SectionAnswer {
  sectionId: string;
  owner: string;
  content: SectionContent;
  /** The owner said there is nothing this week. */
  skipped?: boolean;
}

/** Who answered a section and who did not, and the answers in the order they are merged. */
export interface SectionParticipation {
  /** Owners (people keys) who answered / did not, in definition order. */
  answeredBy: string[];
  missing: string[];
  ordered: SectionAnswer[];
}

/**
 * A section's answers (any order) in merge order: owners in definition order first, then answers
 * of people no longer listed, so nothing is lost. Status, previews and the report all read this.
 */
export function sectionParticipation(section: SectionDefinition, given: readonly SectionAnswer[]): SectionParticipation {
  // An answer whose every message was deleted is no answer; a skip is one ("nothing this week").
  const mine = given.filter((a) => a.skipped || !isEmptyContent(a.content));
  const ownerOrder = [...new Set([...section.owners, ...mine.map((a) => a.owner)])];
  const ordered = ownerOrder.flatMap((owner) => mine.filter((a) => a.owner === owner));
  return { ordered, answeredBy: ordered.map((a) => a.owner), missing: section.owners.filter((o) => !mine.some((a) => a.owner === o)) };
}

/** Several owners' answers become one: items numbered continuously, paragraphs and entries in owner order. */
export function mergeContents(section: SectionDefinition, contents: SectionContent[]): SectionContent | null {
  if (contents.length === 0) return null;
  switch (section.kind) {
    case 'list':
      return { kind: 'list', items: contents.flatMap((c) => (c.kind === 'list' ? c.items : [])) };
    case 'text':
      return {
        kind: 'text',
        markdown: contents
          .map((c) => (c.kind === 'text' ? c.markdown : ''))
          .filter((m) => m.trim() !== '')
          .join('\n\n'),
      };
    case 'entries':
      return {
        kind: 'entries',
        entries: contents.flatMap((c) => (c.kind === 'entries' ? c.entries : [])),
        notes: contents.flatMap((c) => (c.kind === 'entries' ? c.notes : [])),
      };
  }
}
