import type { SectionDefinition } from './definition.ts';
import { mergeContents, sectionParticipation, type SectionAnswer } from './section-answers.ts';
import type { ListItem } from './model.ts';

/**
 * Goals that carry over: a section marked `goals` (下周工作及目标) is read again the week after, in
 * the prompt of the section named by `goals.reviewIn`, where its owner marks each goal done, in
 * progress or dropped. Pure: the goals come from stored answers, the marks from stored reviews.
 */

export const GOAL_STATUSES = ['done', 'in-progress', 'dropped'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** One goal of last week, numbered as the report printed it. */
export interface Goal {
  /** 1-based, as printed. */
  number: number;
  /** The item's text as stored (inline Markdown, possibly several lines). */
  text: string;
}

/** One goal marked in one review message or action. */
export interface GoalMark {
  goal: number;
  status: GoalStatus;
  /**
   * The owner's note. Absent: the note given earlier stays (a select in a checklist carries none);
   * empty: no note (a typed line without one replaces the earlier note).
   */
  note?: string;
}

/** Where a goal stands after every review so far. */
export interface GoalState {
  status: GoalStatus;
  note?: string;
}

/** Last week's goals of one goals section, each with where it stands (absent: not reviewed yet). */
export interface GoalReview {
  /** The goals section. */
  sectionId: string;
  /** The week the goals were set in. */
  goalsWeek: string;
  goals: (Goal & { state?: GoalState })[];
}

/**
 * The goals a section's answers set, numbered as the report prints them: top-level items of the
 * merged list, an item with no text of its own replaced by its children (as the renderer does).
 */
export function goalsOf(section: SectionDefinition, answers: readonly SectionAnswer[]): Goal[] {
  const { ordered } = sectionParticipation(
    section,
    answers.filter((a) => a.sectionId === section.id),
  );
  const merged = mergeContents(
    section,
    ordered.filter((a) => !a.skipped).map((a) => a.content),
  );
  if (merged?.kind !== 'list') return [];
  return topLevel(merged.items).map((text, i) => ({ number: i + 1, text }));
}

function topLevel(items: readonly ListItem[]): string[] {
  return items.flatMap((item) => {
    const text = item.text.trim();
    return text === '' ? topLevel(item.children) : [text];
  });
}

/** Every goal's state after the reviews, applied in order: a later mark wins; a mark without a note keeps the earlier note. */
export function foldGoalMarks(reviews: readonly { marks: readonly GoalMark[] }[]): Map<number, GoalState> {
  const states = new Map<number, GoalState>();
  for (const review of reviews) {
    for (const mark of review.marks) {
      const note = mark.note === undefined ? states.get(mark.goal)?.note : mark.note.trim();
      states.set(mark.goal, { status: mark.status, ...(note ? { note } : {}) });
    }
  }
  return states;
}

/** The goals with their states, for the report, the checklist and status. */
export function goalReviewOf(section: SectionDefinition, goalsWeek: string, goals: readonly Goal[], states: ReadonlyMap<number, GoalState>): GoalReview {
  return {
    sectionId: section.id,
    goalsWeek,
    goals: goals.map((goal) => {
      const state = states.get(goal.number);
      return state ? { ...goal, state } : { ...goal };
    }),
  };
}

/** How many of the goals were reviewed. */
export function reviewedCount(review: GoalReview): number {
  return review.goals.filter((g) => g.state).length;
}

/** The goals section reviewed in a section's prompt, if any (a definition allows at most one per section). */
export function goalsReviewedIn<S extends SectionDefinition>(sections: readonly S[], sectionId: string): S | undefined {
  return sections.find((s) => s.goals?.reviewIn === sectionId);
}
