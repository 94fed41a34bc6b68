import type { SectionDefinition } from './definition.ts';
import type { GoalReview, GoalState, GoalStatus } from './goals.ts';
import type { Locale } from './locale.ts';
import type { ListItem } from './model.ts';
import { renderSectionMarkdown } from './render/section-markdown.ts';

/** How a goal's state reads, in the team's language: in the report, the checklist and confirmations. */
export interface GoalWords {
  status: Record<GoalStatus, string>;
  icon: Record<GoalStatus | 'open', string>;
  notReviewed: string;
  /** Between the goal and its state in the report: `目标 —— ✅ 完成`. */
  separator: string;
  /** Between a state and its note: `进行中：等待评审`. */
  noteSeparator: string;
}

const zh: GoalWords = {
  status: { done: '完成', 'in-progress': '进行中', dropped: '放弃' },
  icon: { done: '✅', 'in-progress': '🔄', dropped: '❌', open: '⬜' },
  notReviewed: '未回顾',
  separator: ' —— ',
  noteSeparator: '：',
};

const en: GoalWords = {
  status: { done: 'done', 'in-progress': 'in progress', dropped: 'dropped' },
  icon: { done: '✅', 'in-progress': '🔄', dropped: '❌', open: '⬜' },
  notReviewed: 'not reviewed',
  separator: ' — ',
  noteSeparator: ': ',
};

export function goalWordsFor(locale: Locale): GoalWords {
  return locale === 'en' ? en : zh;
}

/** `✅ 完成：note`, `⬜ 未回顾`. */
export function goalStateText(state: GoalState | undefined, words: GoalWords): string {
  if (!state) return `${words.icon.open} ${words.notReviewed}`;
  return `${words.icon[state.status]} ${words.status[state.status]}${state.note ? `${words.noteSeparator}${state.note}` : ''}`;
}

/** The one list style the review block prints in, whatever the goals section's own style. */
const REVIEW_LIST: SectionDefinition = {
  id: 'goals-review',
  title: 'goals-review',
  heading: 'h2',
  kind: 'list',
  owners: ['-'],
  emptyText: '',
  numbering: ['ordered'],
  indent: 4,
  maxDepth: 8,
  notePrefixes: [],
};
const REVIEW_LIST_HEADING = '## goals-review\n\n';

/**
 * `{{goals.review}}`: last week's goals, each with its state, as a numbered Markdown list; empty
 * when nobody reviewed any goal, so that a layout prints nothing (and the report reads as before).
 * Goal texts and notes are owner text: the section renderer neutralises them like any item.
 */
export function renderGoalReviews(reviews: readonly GoalReview[], locale: Locale): string {
  const words = goalWordsFor(locale);
  return reviews
    .filter((review) => review.goals.some((g) => g.state))
    .map((review) => {
      const items: ListItem[] = review.goals.map((goal) => ({ text: `${goal.text}${words.separator}${goalStateText(goal.state, words)}`, children: [] }));
      // Rendered as a section body at the top level; the heading the renderer puts first is dropped.
      return renderSectionMarkdown(REVIEW_LIST, { kind: 'list', items }).slice(REVIEW_LIST_HEADING.length);
    })
    .join('\n\n');
}
