import type { BotContext } from '../../src/bot/context.ts';
import type { GoalChecklist, OutgoingMessage } from '../../src/platforms/platform.ts';
import type { SectionDefinition, Team, TeamDefinition } from '../../src/report/definition.ts';
import { foldGoalMarks, GOAL_STATUSES, goalReviewOf, goalsOf, goalsReviewedIn, reviewedCount, type GoalReview } from '../../src/report/goals.ts';
import { goalStateText, goalWordsFor } from '../../src/report/goals-markdown.ts';
import { truncate } from '../../src/report/truncate.ts';
import { CACHED } from '../../src/store/store.ts';
import type { CycleStore, GoalReviewStore, ReadOptions, SubmissionStore } from '../../src/store/store.ts';
import { goalMessagesFor } from '../texts/goal-messages.ts';
import { weekAnswers } from './week-answers.ts';

/** What reading goals and their reviews takes of the store. */
type GoalsStore = CycleStore & SubmissionStore & GoalReviewStore;

/**
 * Goals that carry over (issue #13): the items of a `goals` section (下周工作及目标) come back the
 * week after as a checklist in the prompt of the section that reviews them; its owner marks each
 * goal by typing (`目标 2 进行中 等待评审`) or in the checklist's menus. Each review is stored as a
 * revision (the latest mark of a goal wins); `status` counts them and a layout can print them.
 * This is the prompt's side; the reply's side is inbound/goal-review.ts.
 */

/** How many stored weeks back the goals are looked for: the week before may have been a holiday. */
const GOALS_LOOKBACK_WEEKS = 8;
/** A goal's text in the checklist: its first line, this long at most. */
const CHECKLIST_GOAL_CHARS = 200;

export interface GoalsInReview {
  goalsSection: SectionDefinition;
  /** The week the goals were set in. */
  goalsWeek: string;
  review: GoalReview;
}

/** The collected week before `week`, whose goals `week` reviews; null when there is none. */
async function goalsWeekBefore(store: CycleStore, teamId: string, week: string, read?: ReadOptions): Promise<string | null> {
  const weeks = (await store.listCycles(teamId, GOALS_LOOKBACK_WEEKS + 1, read)).map((c) => c.week).filter((w) => w < week);
  return weeks.sort().at(-1) ?? null;
}

/** Last week's goals of a goals section with where each stands in `week`'s review; null when there are none. */
export async function goalsInReview(
  store: GoalsStore,
  definition: TeamDefinition,
  week: string,
  goalsSection: SectionDefinition,
  weekBefore: () => Promise<string | null> = () => goalsWeekBefore(store, definition.id, week),
): Promise<GoalsInReview | null> {
  const goalsWeek = await weekBefore();
  if (!goalsWeek) return null;
  const goals = goalsOf(goalsSection, await weekAnswers(store, definition.id, goalsWeek));
  if (goals.length === 0) return null;
  const reviews = (await store.listGoalReviews(definition.id, week)).filter((r) => r.sectionId === goalsSection.id && r.goalsWeek === goalsWeek);
  return { goalsSection, goalsWeek, review: goalReviewOf(goalsSection, goalsWeek, goals, foldGoalMarks(reviews)) };
}

/** `1. ✅ 支付安全方案设计（完成：…）`, one per goal. */
export function checklistLines(definition: TeamDefinition, review: GoalReview): string {
  const words = goalWordsFor(definition.locale);
  return review.goals
    .map(
      (g) =>
        `${g.number}. ${g.state ? words.icon[g.state.status] : words.icon.open} ${firstLine(g.text)}${g.state ? `（${goalStateText(g.state, words).replace(/^\S+ /u, '')}）` : ''}`,
    )
    .join('\n');
}

const firstLine = (text: string) => truncate(text.split('\n')[0]!.trim(), CHECKLIST_GOAL_CHARS);

function goalChecklist(definition: TeamDefinition, week: string, current: GoalsInReview): GoalChecklist {
  const text = goalMessagesFor(definition.locale);
  const words = goalWordsFor(definition.locale);
  const title = text.checklistTitle(current.goalsWeek, current.goalsSection.title);
  return {
    teamId: definition.id,
    week,
    sectionId: current.goalsSection.id,
    text: [title, checklistLines(definition, current.review), text.checklistHint].join('\n'),
    title,
    items: current.review.goals.map((g) => ({ goal: g.number, text: firstLine(g.text), ...(g.state ? { status: g.state.status } : {}) })),
    statuses: GOAL_STATUSES.map((value) => ({ value, label: `${words.icon[value]} ${words.status[value]}` })),
    placeholder: text.placeholder,
    hint: text.checklistHint,
  };
}

/**
 * The prompt of a section that reviews goals, with last week's goals as a checklist: numbered lines
 * in its text, and `goalReview` for platforms that show a menu per goal. Other prompts, and a week
 * with no goals before it, are returned as they are.
 */
export async function withGoalReview(
  ctx: BotContext,
  definition: TeamDefinition,
  week: string,
  section: SectionDefinition,
  message: OutgoingMessage,
): Promise<OutgoingMessage> {
  const goalsSection = goalsReviewedIn(definition.sections, section.id);
  if (!goalsSection) return message;
  const current = await goalsInReview(ctx.store, definition, week, goalsSection);
  if (!current) return message;
  const checklist = goalChecklist(definition, week, current);
  return { ...message, text: `${message.text}\n\n${checklist.text}`, goalReview: checklist };
}

/** Last week's goals as reviewed in `week`, for the report's `{{goals.review}}` and the JSON export. */
export async function goalReviewsOfWeek(store: GoalsStore, definition: TeamDefinition, week: string): Promise<GoalReview[]> {
  const reviews: GoalReview[] = [];
  for (const goalsSection of definition.sections.filter((s) => s.goals)) {
    const current = await goalsInReview(store, definition, week, goalsSection);
    if (current) reviews.push(current.review);
  }
  return reviews;
}

/** `🎯 目标回顾：3/5` for `status`; null when the week has no goals to review. */
export async function goalReviewStatus(ctx: BotContext, team: Team, week: string): Promise<string | null> {
  const text = goalMessagesFor(team.definition.locale);
  const goalsSections = team.definition.sections.filter((s) => s.goals);
  const lines: string[] = [];
  for (const goalsSection of goalsSections) {
    // Asked on every `status`: the weeks that tell which week the goals come from are cached for a while.
    const weekBefore = () => goalsWeekBefore(ctx.store, team.definition.id, week, CACHED);
    const current = await goalsInReview(ctx.store, team.definition, week, goalsSection, weekBefore);
    if (current)
      lines.push(text.statusLine(reviewedCount(current.review), current.review.goals.length, goalsSections.length > 1 ? goalsSection.title : undefined));
  }
  return lines.length > 0 ? lines.join('\n') : null;
}
