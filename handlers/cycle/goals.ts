import { platformOf, type BotContext } from '../../src/bot/context.ts';
import { answerSender, refuseSender } from '../inbound/answer-sender.ts';
import type { GoalChecklist, GoalChoice, IncomingReply, OutgoingMessage } from '../../src/platforms/platform.ts';
import type { SectionDefinition, Team, TeamDefinition } from '../../src/report/definition.ts';
import { foldGoalMarks, GOAL_STATUSES, goalReviewOf, goalsOf, goalsReviewedIn, reviewedCount, type GoalMark, type GoalReview } from '../../src/report/goals.ts';
import { goalStateText, goalWordsFor } from '../../src/report/goals-markdown.ts';
import { looksLikeGoalReview, parseGoalReview } from '../../src/report/parse/goal-review.ts';
import { replyInputOf } from '../../src/report/parse/index.ts';
import { truncate } from '../../src/report/truncate.ts';
import { isoWeekOf } from '../../src/report/week.ts';
import { goalMessagesFor } from '../texts/goal-messages.ts';
import { teamInWeek } from '../owners/people.ts';
import { displayName, membershipsOf, ownedSection, personKeyOf } from '../owners/people.ts';
import { CACHED } from '../../src/store/store.ts';
import type { CycleStore, GoalReviewStore, ReadOptions, SubmissionStore } from '../../src/store/store.ts';

/** What reading goals and their reviews takes of the store. */
type GoalsStore = CycleStore & SubmissionStore & GoalReviewStore;

/**
 * Goals that carry over (issue #13): the items of a `goals` section (下周工作及目标) come back the
 * week after as a checklist in the prompt of the section that reviews them; its owner marks each
 * goal by typing (`目标 2 进行中 等待评审`) or in the checklist's menus. Each review is stored as a
 * revision (the latest mark of a goal wins); `status` counts them and a layout can print them.
 */

/** How many stored weeks back the goals are looked for: the week before may have been a holiday. */
const GOALS_LOOKBACK_WEEKS = 8;
/** A goal's text in the checklist: its first line, this long at most. */
const CHECKLIST_GOAL_CHARS = 200;

interface GoalsInReview {
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
async function goalsInReview(
  store: GoalsStore,
  definition: TeamDefinition,
  week: string,
  goalsSection: SectionDefinition,
  weekBefore: () => Promise<string | null> = () => goalsWeekBefore(store, definition.id, week),
): Promise<GoalsInReview | null> {
  const goalsWeek = await weekBefore();
  if (!goalsWeek) return null;
  const goals = goalsOf(goalsSection, await store.latestSubmissions(definition.id, goalsWeek));
  if (goals.length === 0) return null;
  const reviews = (await store.listGoalReviews(definition.id, week)).filter((r) => r.sectionId === goalsSection.id && r.goalsWeek === goalsWeek);
  return { goalsSection, goalsWeek, review: goalReviewOf(goalsSection, goalsWeek, goals, foldGoalMarks(reviews)) };
}

/** `1. ✅ 支付安全方案设计（完成：…）`, one per goal. */
function checklistLines(definition: TeamDefinition, review: GoalReview): string {
  const words = goalWordsFor(definition.locale);
  return review.goals
    .map((g) => `${g.number}. ${g.state ? words.icon[g.state.status] : words.icon.open} ${firstLine(g.text)}${g.state ? `（${goalStateText(g.state, words).replace(/^\S+ /u, '')}）` : ''}`)
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
export async function withGoalReview(ctx: BotContext, definition: TeamDefinition, week: string, section: SectionDefinition, message: OutgoingMessage): Promise<OutgoingMessage> {
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
    if (current) lines.push(text.statusLine(reviewedCount(current.review), current.review.goals.length, goalsSections.length > 1 ? goalsSection.title : undefined));
  }
  return lines.length > 0 ? lines.join('\n') : null;
}

/** Where a review lands: the team (as it is that week), the goals section, the week and who reviews. */
interface ReviewTarget {
  definition: TeamDefinition;
  goalsSection: SectionDefinition;
  week: string;
  owner: string;
}

/**
 * A reply that reviews goals: a choice in a checklist's menu, or lines typed in the thread of the
 * reviewing section's prompt (or to the bot, when that is the only reviewing section the sender
 * owns this week) that each start with 目标 / goal and a number. Stored, then confirmed with the
 * whole checklist; a review that cannot be stored is refused with what to fix and the owner's text.
 * False when the reply is not a review: it is then an answer like any other.
 */
export async function handleGoalReviewReply(ctx: BotContext, reply: IncomingReply): Promise<boolean> {
  if (reply.deleted || reply.form) return false;
  if (reply.goalReview) {
    await reviewFromChoice(ctx, reply, reply.goalReview);
    return true;
  }
  const typed = typedText(ctx, reply);
  if (typed === null || !looksLikeGoalReview(typed)) return false;
  // An edited message that is part of an answer stays with that answer.
  if (reply.edited && reply.messageId && (await ctx.store.findSubmissionBySourceMessage(reply.sender.platform, reply.messageId))) return false;
  const target = await typedReviewTarget(ctx, reply);
  if (!target) return false;
  const text = goalMessagesFor(target.definition.locale);
  const current = await goalsInReview(ctx.store, target.definition, target.week, target.goalsSection);
  if (!current) {
    await refuseSender(ctx, reply, { text: text.noGoals(typed), locale: target.definition.locale });
    return true;
  }
  const parsed = parseGoalReview(typed, { goalCount: current.review.goals.length, locale: target.definition.locale });
  if (parsed.kind === 'not-a-review') return false;
  if (parsed.kind === 'refused') await refuseSender(ctx, reply, { text: text.refused(parsed.message, typed), locale: target.definition.locale });
  else await recordReview(ctx, reply, target, current, parsed.marks, reply.rawText);
  return true;
}

/** The reply's text as the parser reads it; null for a payload the platform cannot read. */
function typedText(ctx: BotContext, reply: IncomingReply): string | null {
  const input = reply.input.source === 'text' ? reply.input : replyInputOf(platformOf(ctx, reply.sender.platform).replyText(reply.input, { userNames: {} }));
  return input.source === 'text' && typeof input.text === 'string' ? input.text : null;
}

/** The reviewing section's prompt the reply is in the thread of, or else the one reviewing section the sender owns in an open week. */
async function typedReviewTarget(ctx: BotContext, reply: IncomingReply): Promise<ReviewTarget | null> {
  if (reply.replyTo) {
    const prompt = await ctx.store.findPromptByMessage(reply.sender.platform, reply.replyTo);
    if (prompt) {
      const team = ctx.teams.find((t) => t.definition.id === prompt.teamId);
      const goalsSection = team && goalsReviewedIn(team.definition.sections, prompt.sectionId);
      if (!team || !goalsSection || personKeyOf(ctx, team.definition, reply.sender) !== prompt.owner) return null;
      return { definition: team.definition, goalsSection, week: prompt.week, owner: prompt.owner };
    }
  }
  const targets: ReviewTarget[] = [];
  for (const { team, person } of membershipsOf(ctx, reply.sender)) {
    const week = isoWeekOf(reply.receivedAt ?? ctx.clock.now(), team.definition.timeZone);
    const { definition } = await teamInWeek(ctx, team, week, CACHED);
    const reviewing = definition.sections.filter((s) => s.owners.includes(person) && goalsReviewedIn(definition.sections, s.id));
    if (reviewing.length === 0 || !(await ctx.store.getCycle(definition.id, week, CACHED))) continue;
    for (const section of reviewing) targets.push({ definition, goalsSection: goalsReviewedIn(definition.sections, section.id)!, week, owner: person });
  }
  return targets.length === 1 ? targets[0]! : null;
}

/** A goal marked in a checklist's menu: only by whoever owns the reviewing section that week. */
async function reviewFromChoice(ctx: BotContext, reply: IncomingReply, choice: GoalChoice): Promise<void> {
  const team = ctx.teams.find((t) => t.definition.id === choice.teamId);
  const goalsSection = team?.definition.sections.find((s) => s.id === choice.sectionId && s.goals);
  if (!team || !goalsSection?.goals) {
    ctx.logger.warn({ ...choice, platform: reply.sender.platform }, 'a goal checklist choice for a section that reviews no goals; ignored');
    return;
  }
  const { definition } = team;
  const text = goalMessagesFor(definition.locale);
  const owned = await ownedSection(ctx, reply.sender, { teamId: definition.id, week: choice.week, sectionId: goalsSection.goals.reviewIn });
  if (!owned) {
    const reviewers = (await teamInWeek(ctx, team, choice.week)).definition.sections.find((s) => s.id === goalsSection.goals!.reviewIn)?.owners ?? [];
    await refuseSender(ctx, reply, { text: text.notYours(reviewers.map((o) => displayName(definition, o)).join(', ')), locale: definition.locale });
    return;
  }
  const current = await goalsInReview(ctx.store, definition, choice.week, goalsSection);
  if (!current || choice.goal > current.review.goals.length) {
    await refuseSender(ctx, reply, { text: text.noGoals(reply.rawText), locale: definition.locale });
    return;
  }
  const target = { definition, goalsSection, week: choice.week, owner: owned.owner };
  await recordReview(ctx, reply, target, current, [{ goal: choice.goal, status: choice.status }], reply.rawText);
}

async function recordReview(ctx: BotContext, reply: IncomingReply, target: ReviewTarget, current: GoalsInReview, marks: GoalMark[], rawText: string): Promise<void> {
  const { definition } = target;
  const recorded = await ctx.store.recordGoalReview({
    teamId: definition.id,
    week: target.week,
    sectionId: target.goalsSection.id,
    goalsWeek: current.goalsWeek,
    owner: target.owner,
    platform: reply.sender.platform,
    eventId: reply.eventId,
    marks,
    rawText,
    receivedAt: reply.receivedAt ?? ctx.clock.now(),
  });
  // A platform's repeated delivery: stored and confirmed once already.
  if (recorded.duplicate) return;
  // Read again: the confirmation shows every mark so far, this one and any that landed meanwhile.
  const after = (await goalsInReview(ctx.store, definition, target.week, target.goalsSection)) ?? current;
  const text = goalMessagesFor(definition.locale);
  const { review } = after;
  await answerSender(ctx, reply, {
    text: text.recorded(after.goalsWeek, target.goalsSection.title, reviewedCount(review), review.goals.length, checklistLines(definition, review)),
    locale: definition.locale,
  });
}
