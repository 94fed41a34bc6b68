import { platformOf, type BotContext } from '../../src/bot/context.ts';
import type { GoalChoice, IncomingReply } from '../../src/platforms/platform.ts';
import type { SectionDefinition, TeamDefinition } from '../../src/report/definition.ts';
import { goalsReviewedIn, reviewedCount, type GoalMark } from '../../src/report/goals.ts';
import { looksLikeGoalReview, parseGoalReview } from '../../src/report/parse/goal-review.ts';
import { replyInputOf } from '../../src/report/parse/index.ts';
import { activeWeek } from '../cycle/dates.ts';
import { CACHED, type Prompt } from '../../src/store/store.ts';
import { checklistLines, goalsInReview, type GoalsInReview } from '../cycle/goals.ts';
import { displayName, membershipsOf, ownedSection, personKeyOf, teamInWeek } from '../owners/people.ts';
import { goalMessagesFor } from '../texts/goal-messages.ts';
import { answerSender, refuseSender } from './answer-sender.ts';

/**
 * The reply side of goals that carry over (cycle/goals.ts has the prompt side): a choice in a
 * checklist's menu, or lines typed in the thread of the reviewing section's prompt (or to the bot,
 * when that is the only reviewing section the sender owns this week) that each start with 目标 /
 * goal and a number. Stored, then confirmed with the whole checklist; a review that cannot be
 * stored is refused with what to fix and the owner's text.
 */

/** Where a review lands: the team (as it is that week), the goals section, the week and who reviews. */
interface ReviewTarget {
  definition: TeamDefinition;
  goalsSection: SectionDefinition;
  week: string;
  owner: string;
}

/** A reply that reviews goals, as classified: what handleGoalReview does with it is decided here. */
export type GoalReviewReply =
  | { kind: 'choice'; choice: GoalChoice }
  | { kind: 'no-goals'; target: ReviewTarget; typed: string }
  | { kind: 'refused'; target: ReviewTarget; typed: string; problem: string }
  | { kind: 'marks'; target: ReviewTarget; current: GoalsInReview; marks: GoalMark[] };

/**
 * The reply as a goal review, or null when it is not one (it is then an answer like any other).
 * `prompt` is the prompt the reply is in the thread of, read once by the caller (null: none).
 */
export async function asGoalReview(ctx: BotContext, reply: IncomingReply, prompt: Prompt | null): Promise<GoalReviewReply | null> {
  if (reply.deleted || reply.form) return null;
  if (reply.goalReview) return { kind: 'choice', choice: reply.goalReview };
  const typed = typedText(ctx, reply);
  if (typed === null || !looksLikeGoalReview(typed)) return null;
  // An edited message that is part of an answer stays with that answer.
  if (reply.edited && reply.messageId && (await ctx.store.findSubmissionBySourceMessage(reply.sender.platform, reply.messageId))) return null;
  const target = await typedReviewTarget(ctx, reply, prompt);
  if (!target) return null;
  const current = await goalsInReview(ctx.store, target.definition, target.week, target.goalsSection);
  if (!current) return { kind: 'no-goals', target, typed };
  const parsed = parseGoalReview(typed, { goalCount: current.review.goals.length, locale: target.definition.locale });
  if (parsed.kind === 'not-a-review') return null;
  if (parsed.kind === 'refused') return { kind: 'refused', target, typed, problem: parsed.message };
  return { kind: 'marks', target, current, marks: parsed.marks };
}

/** Stores (or refuses) a reply classified as a goal review by asGoalReview, and tells the sender. */
export async function handleGoalReview(ctx: BotContext, reply: IncomingReply, review: GoalReviewReply): Promise<void> {
  switch (review.kind) {
    case 'choice':
      return reviewFromChoice(ctx, reply, review.choice);
    case 'no-goals': {
      const { locale } = review.target.definition;
      return refuseSender(ctx, reply, { text: goalMessagesFor(locale).noGoals(review.typed), locale });
    }
    case 'refused': {
      const { locale } = review.target.definition;
      return refuseSender(ctx, reply, { text: goalMessagesFor(locale).refused(review.problem, review.typed), locale });
    }
    case 'marks':
      return recordReview(ctx, reply, review.target, review.current, review.marks, reply.rawText);
  }
}

/** The reply's text as the parser reads it; null for a payload the platform cannot read. */
function typedText(ctx: BotContext, reply: IncomingReply): string | null {
  const input = reply.input.source === 'text' ? reply.input : replyInputOf(platformOf(ctx, reply.sender.platform).replyText(reply.input, { userNames: {} }));
  return input.source === 'text' && typeof input.text === 'string' ? input.text : null;
}

/** The reviewing section's prompt the reply is in the thread of, or else the one reviewing section the sender owns in an open week. */
async function typedReviewTarget(ctx: BotContext, reply: IncomingReply, prompt: Prompt | null): Promise<ReviewTarget | null> {
  if (prompt) {
    const team = ctx.teams.find((t) => t.definition.id === prompt.teamId);
    const goalsSection = team && goalsReviewedIn(team.definition.sections, prompt.sectionId);
    if (!team || !goalsSection || personKeyOf(ctx, team.definition, reply.sender) !== prompt.owner) return null;
    return { definition: team.definition, goalsSection, week: prompt.week, owner: prompt.owner };
  }
  const targets: ReviewTarget[] = [];
  for (const { team, person } of membershipsOf(ctx, reply.sender)) {
    // This week, or the next once a lead opened it early.
    const { week, cycle } = await activeWeek(ctx, team.definition, reply.receivedAt ?? ctx.clock.now());
    const { definition } = await teamInWeek(ctx, team, week, CACHED);
    const reviewing = definition.sections.filter((s) => s.owners.includes(person) && goalsReviewedIn(definition.sections, s.id));
    if (reviewing.length === 0 || !cycle) continue;
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

async function recordReview(
  ctx: BotContext,
  reply: IncomingReply,
  target: ReviewTarget,
  current: GoalsInReview,
  marks: GoalMark[],
  rawText: string,
): Promise<void> {
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
