import type { SectionDefinition, TeamDefinition } from './definition.ts';
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
export interface SectionParticipation<A extends SectionAnswer = SectionAnswer> {
  /** Owners (people keys) who answered or skipped it themselves, in definition order. */
  answeredBy: string[];
  /**
   * Owners who still owe it: every listed owner while nobody has answered it, none once one of them
   * has (a co-owner is covered by the other's answer or skip), in definition order.
   */
  missing: string[];
  ordered: A[];
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
 * are the owners of the week, when nobody answered. Status, previews and the report all read this.
 */
export function sectionParticipation<A extends SectionAnswer>(section: SectionInWeek, given: readonly A[]): SectionParticipation<A> {
  // An answer whose every message was deleted is no answer; a skip is one ("nothing this week").
  const mine = given.filter((a) => a.skipped || !isEmptyContent(a.content));
  const ordered = answerOrder(
    section,
    mine.map((a) => a.owner),
  ).flatMap((owner) => mine.filter((a) => a.owner === owner));
  // A section is one answer: once anyone who may answer it did, nobody owes it (co-owners included).
  return { ordered, answeredBy: ordered.map((a) => a.owner), missing: ordered.length > 0 ? [] : [...section.owners] };
}

/**
 * How a section stands in a week. Each section is in exactly one state, so that the states add up
 * to the sections: `status`, the digest and the export all count these.
 * - answered: an owner wrote something (a co-owner's skip does not undo it);
 * - skipped: every owner who answered said there is nothing this week;
 * - missing: nobody answered, and at least one owner is not away;
 * - away: nobody answered, and every owner is away (`/weekly-report away`).
 */
export type SectionState = 'answered' | 'skipped' | 'missing' | 'away';
export const SECTION_STATES: readonly SectionState[] = ['answered', 'skipped', 'missing', 'away'];

export interface SectionStanding {
  sectionId: string;
  title: string;
  state: SectionState;
  /** Owners of a section nobody answered who are not away / who are away; both empty once answered or skipped. */
  missing: string[];
  away: string[];
}

/** A section's state from its answers (any order) and the people away that week. */
export function sectionStanding(section: SectionDefinition, given: readonly SectionAnswer[], away: ReadonlySet<string> = new Set()): SectionStanding {
  const { ordered, missing: owing } = sectionParticipation(section, given);
  const base = { sectionId: section.id, title: section.title };
  if (ordered.length > 0) return { ...base, state: ordered.every((a) => a.skipped) ? 'skipped' : 'answered', missing: [], away: [] };
  const missing = owing.filter((o) => !away.has(o));
  return { ...base, state: missing.length > 0 ? 'missing' : 'away', missing, away: owing.filter((o) => away.has(o)) };
}

export interface WeekStanding {
  /** In definition order, each section once. */
  sections: SectionStanding[];
  /** Sections per state; they add up to the number of sections. */
  counts: Record<SectionState, number>;
  /** Sections answered or skipped: what "submitted 8/12" counts. */
  submitted: number;
}

/** Every section's state in a week (the week's owners: the definition with its delegations). */
export function weekStanding(definition: TeamDefinition, answers: readonly SectionAnswer[], away: ReadonlySet<string> = new Set()): WeekStanding {
  const sections = definition.sections.map((section) =>
    sectionStanding(
      section,
      answers.filter((a) => a.sectionId === section.id),
      away,
    ),
  );
  const counts: Record<SectionState, number> = { answered: 0, skipped: 0, missing: 0, away: 0 };
  for (const s of sections) counts[s.state] += 1;
  return { sections, counts, submitted: counts.answered + counts.skipped };
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
