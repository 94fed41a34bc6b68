import type { BotContext } from '../../src/bot/context.ts';
import type { TeamDefinition } from '../../src/report/definition.ts';
import { holidayOf, nextOpening } from '../../src/report/holidays.ts';
import { isoWeekOf, momentInWeek, shiftWeek } from '../../src/report/week.ts';
import { CACHED, type Cycle } from '../../src/store/store.ts';
import { formatInstant, formatMoment, messagesFor, type Due, type NextOpening, type NotOpenReason } from '../texts/messages.ts';

/**
 * The week's dates as a lead or owner reads them (a lead's `open` is in open.ts). The rule: no date anyone
 * sees is in the past unless the text says so. Before a week opens, the answer names its opening
 * while it is to come, says it is due when the schedule has not run yet, and once the week's
 * publish time has passed names the next opening (the schedule never opens a week then: see
 * jobs.ts). Prompts and reminders name the deadline only while it is to come.
 */

/** The week's publish moment: its prompts' deadline, and the end of its collection window. */
export const publishAtOf = (definition: TeamDefinition, week: string): Date => momentInWeek(week, definition.schedule.publish, definition.timeZone);

/** The week's collection is over: its publish time has passed, or its report is out. Only then can the next week be opened early. */
export function collectionOver(definition: TeamDefinition, week: string, cycle: Cycle | null, at: Date): boolean {
  return cycle?.status === 'published' || publishAtOf(definition, week) <= at;
}

/**
 * The week commands and owners' messages outside any thread are about, with its cycle (read from
 * the cache): this ISO week, or the next one once a lead opened it early (`open next`), which can
 * only happen after this week's collection is over.
 */
export async function activeWeek(ctx: BotContext, definition: TeamDefinition, at: Date): Promise<{ week: string; cycle: Cycle | null }> {
  const week = isoWeekOf(at, definition.timeZone);
  const cycle = await ctx.store.getCycle(definition.id, week, CACHED);
  if (!collectionOver(definition, week, cycle, at)) return { week, cycle };
  const following = shiftWeek(week, 1);
  const next = await ctx.store.getCycle(definition.id, following, CACHED);
  return next ? { week: following, cycle: next } : { week, cycle };
}

/** When an answer to the week is due, as a prompt or reminder sent now says it. */
export function dueOf(definition: TeamDefinition, week: string, cycle: Cycle | null, now: Date): Due {
  if (cycle?.status === 'published') return { kind: 'published', updates: definition.lateAnswers === 'update' };
  const publishAt = publishAtOf(definition, week);
  if (publishAt > now) return { kind: 'by', at: formatMoment(definition, week, definition.schedule.publish) };
  return !cycle || cycle.createdAt >= publishAt ? { kind: 'opened-late' } : { kind: 'overdue' };
}

/** The next week the schedule opens by itself after `now`, from `week` on, as people read it. */
export function nextOpeningOf(definition: TeamDefinition, week: string, now: Date): NextOpening | null {
  const found = nextOpening(definition, week, now);
  if (!found) return null;
  return {
    week: found.week,
    at: formatInstant(definition, found.at),
    deadline: formatMoment(definition, found.week, definition.schedule.publish),
    following: found.week === shiftWeek(week, 1),
  };
}

/** Why a week that is not open takes no answer, for an owner: when it opens, or that it is not collected and when the next one opens. */
export function notOpenReason(definition: TeamDefinition, week: string, now: Date): NotOpenReason {
  const holiday = holidayOf(definition, week);
  const opensAt = formatMoment(definition, week, definition.schedule.open);
  if (!holiday && momentInWeek(week, definition.schedule.open, definition.timeZone) > now) return { kind: 'opens', at: opensAt };
  if (!holiday && publishAtOf(definition, week) > now) return { kind: 'due', at: opensAt };
  return { kind: 'closed', holiday: holiday?.name ?? null, next: nextOpeningOf(definition, week, now) };
}

/** What `status`, `remind` and `publish` answer about a week that is not open: a holiday, when it opens, that it is due, or that it was skipped and what to do. */
export function notOpenText(definition: TeamDefinition, week: string, now: Date): string {
  const text = messagesFor(definition.locale);
  const holiday = holidayOf(definition, week);
  if (holiday) return text.holiday(week, holiday.name);
  const opensAt = formatMoment(definition, week, definition.schedule.open);
  if (momentInWeek(week, definition.schedule.open, definition.timeZone) > now) return text.notOpenYet(week, opensAt);
  const publishAt = formatMoment(definition, week, definition.schedule.publish);
  if (publishAtOf(definition, week) > now) return text.openDue(week, opensAt, publishAt);
  return text.openSkipped(week, publishAt, nextOpeningOf(definition, week, now));
}
