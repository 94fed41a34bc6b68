import type { Team } from '../../src/report/definition.ts';
import { platformOf, type BotContext } from '../../src/bot/context.ts';
import { messagesFor } from '../texts/messages.ts';
import { answeredInWeek, answerKey, teamInWeek } from '../owners/people.ts';
import { awayInWeek } from '../owners/away.ts';
import { dueOf } from './dates.ts';
import { isEmptyContent } from '../../src/report/model.ts';
import { weekAnswers } from './week-answers.ts';

/** How many owners were reminded, and how many nudges that took (one per section they still owe). */
export interface RemindResult {
  people: number;
  nudges: number;
}

/**
 * Nudges owners who have not answered, once per prompt: claiming the reminder in the store first
 * means a second run (or a second replica) reminds nobody again. Owners who answered get nothing,
 * nor do the co-owners of a section one of them answered or skipped, nor anyone of a section that
 * is not theirs this week (handed over).
 */
export async function remindMissing(
  ctx: BotContext,
  team: Team,
  week: string,
  options: {
    /** Scheduled reminders skip prompts sent after this (an owner prompted late was just asked). */
    promptedBefore?: Date;
    /** The job run's lease, when reminding under one: checked before each reminder, so that a holder whose run was taken over stops. */
    lease?: { readonly held: boolean };
  } = {},
): Promise<RemindResult> {
  // The week's owners: a section handed over is the delegate's to be reminded of, not its owner's.
  const { definition } = await teamInWeek(ctx, team, week);
  const text = messagesFor(definition.locale);
  // The deadline while it is to come; past the publish time, why there is none (never a moment past).
  const due = dueOf(definition, week, await ctx.store.getCycle(definition.id, week), ctx.clock.now());
  const answered = await answeredInWeek(ctx, definition.id, week);
  // Counts add up: a section one of its owners answered or skipped is covered for the others too
  // (status lists it as done), so they are not told it is missing. Read as status reads the week:
  // an answer started over after publishing is still the one posted.
  const covered = new Set((await weekAnswers(ctx.store, definition.id, week)).filter((a) => a.skipped || !isEmptyContent(a.content)).map((a) => a.sectionId));
  const away = await awayInWeek(ctx, definition, week);
  const people = new Set<string>();
  let nudges = 0;
  for (const prompt of await ctx.store.listPrompts(definition.id, week)) {
    if (prompt.state !== 'sent' || !prompt.channel || !prompt.messageId) continue;
    if (options.promptedBefore && prompt.sentAt && prompt.sentAt > options.promptedBefore) continue;
    if (covered.has(prompt.sectionId) || answered.has(answerKey(prompt.sectionId, prompt.owner)) || away.has(prompt.owner)) continue;
    const section = definition.sections.find((s) => s.id === prompt.sectionId);
    // One section, one owner at a time: a prompt of a section that is not its owner's this week
    // (handed away, or back after a cancel) is not reminded; they would be refused if they answered.
    if (!section?.owners.includes(prompt.owner)) continue;
    if (options.lease && !options.lease.held) break;
    if (!(await ctx.store.claimReminder(prompt, ctx.clock.now()))) continue;
    try {
      // In the prompt's thread, so that answering the reminder answers the prompt.
      await platformOf(ctx, prompt.platform).replyInThread(
        { channel: prompt.channel, messageId: prompt.messageId },
        { text: text.reminder(definition.name, week, section.title, due) },
      );
      nudges += 1;
      people.add(prompt.owner);
    } catch (error) {
      ctx.logger.error({ err: error, report: definition.id, section: prompt.sectionId, owner: prompt.owner }, 'reminder failed');
    }
  }
  ctx.logger.info({ team: definition.id, week, people: people.size, nudges }, 'reminders sent');
  return { people: people.size, nudges };
}
