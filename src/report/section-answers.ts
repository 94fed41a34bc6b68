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
 * A section as it is in one week. A section handed to someone else that week (`delegate`) has them
 * as its `owners` (they are asked, and the only ones who may answer), and its usual owners, as the
 * team definition names them, in `usualOwners`.
 */
export type SectionInWeek = SectionDefinition & { usualOwners?: readonly string[] };

/**
 * The one order of a section's answers, wherever the section is printed (report, preview, a
 * confirmation's preview, history): its usual owners in definition order, then whom it is handed
 * to that week, then anyone else who answered (an earlier delegate, someone no longer listed) by
 * person key. So an owner's items written before the handover come first and the delegate's after,
 * and a week's history, which knows no handover, reads the same.
 */
export function answerOrder(section: SectionInWeek, answered: Iterable<string>): string[] {
  const others = [...new Set(answered)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...new Set([...(section.usualOwners ?? []), ...section.owners, ...others])];
}

/**
 * A section's answers (any order) in merge order (answerOrder), so nothing is lost: who is missing
 * are the owners of the week who did not answer. Status, previews and the report all read this.
 */
export function sectionParticipation(section: SectionInWeek, given: readonly SectionAnswer[]): SectionParticipation {
  // An answer whose every message was deleted is no answer; a skip is one ("nothing this week").
  const mine = given.filter((a) => a.skipped || !isEmptyContent(a.content));
  const ordered = answerOrder(section, mine.map((a) => a.owner)).flatMap((owner) => mine.filter((a) => a.owner === owner));
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
