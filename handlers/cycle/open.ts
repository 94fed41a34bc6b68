import type { BotContext } from '../../src/bot/context.ts';
import type { OutgoingMessage } from '../../src/platforms/platform.ts';
import type { Team } from '../../src/report/definition.ts';
import { holidayOf } from '../../src/report/holidays.ts';
import { isoWeekOf, shiftWeek } from '../../src/report/week.ts';
import { formatInstant, formatMoment, messagesFor } from '../texts/messages.ts';
import { forgetStatus } from '../inbound/status-memo.ts';
import { collectionOver, nextOpeningOf } from './dates.ts';
import { openWeekNow } from './prompt.ts';

/** What a lead chose with `open`: nothing yet (`open`), this week anyway (`open late` / `open confirm`), or the next week now (`open next`). */
export type OpenChoice = 'ask' | 'this' | 'next';

/**
 * A lead's `open`. Opening now is what it does when that is what a lead would expect: a week in
 * its collection window, or one already open. It asks first, like publishing with sections
 * missing (buttons, or the command typed): for a week whose publish time has passed (open it late,
 * with no set deadline, or open the next week now) and for a holiday week. A published week is
 * not opened again: the answer says when it went out and what the lead can do. Once the next week
 * was opened early, `open` is about that one.
 */
export async function openCommand(ctx: BotContext, team: Team, choice: OpenChoice): Promise<OutgoingMessage> {
  const { definition } = team;
  const text = messagesFor(definition.locale);
  const now = ctx.clock.now();
  const week = isoWeekOf(now, definition.timeZone);
  const following = shiftWeek(week, 1);
  // Read from the store, not the cache: what is decided here sends prompts.
  const cycle = await ctx.store.getCycle(definition.id, week);
  const over = collectionOver(definition, week, cycle, now);
  if (over && (await ctx.store.getCycle(definition.id, following))) return openNow(ctx, team, following);

  if (choice === 'next') {
    if (!over) return { text: text.openNextTooEarly(week, formatMoment(definition, week, definition.schedule.publish)) };
    const holiday = holidayOf(definition, following);
    if (holiday) return { text: text.openNextHoliday(following, holiday.name, nextOpeningOf(definition, following, now)) };
    // This week's status, kept for an at-once answer, is not the one being collected any more.
    forgetStatus(ctx, definition.id, week);
    return openNow(ctx, team, following);
  }
  if (cycle?.status === 'published') {
    const next = nextOpeningOf(definition, week, now);
    const publishedAt = formatInstant(definition, cycle.firstPublishedAt ?? cycle.publishedAt ?? cycle.createdAt);
    return {
      text: text.openPublished(week, publishedAt, definition.lateAnswers === 'update', next),
      ...(next?.following ? { commands: [{ label: text.openNextButton(next.week), command: 'open next' }] } : {}),
      locale: definition.locale,
    };
  }
  if (!cycle && choice === 'ask') {
    const holiday = holidayOf(definition, week);
    if (over) {
      const next = nextOpeningOf(definition, week, now);
      return {
        text: text.confirmOpenLate(week, formatMoment(definition, week, definition.schedule.publish), holiday?.name ?? null, next),
        commands: [
          { label: text.openLateButton(week), command: 'open late' },
          ...(next?.following ? [{ label: text.openNextButton(next.week), command: 'open next' }] : []),
        ],
        locale: definition.locale,
      };
    }
    if (holiday) {
      return {
        text: text.confirmOpenHoliday(week, holiday.name, formatMoment(definition, week, definition.schedule.publish)),
        commands: [{ label: text.openAnywayButton(week), command: 'open confirm' }],
        locale: definition.locale,
      };
    }
  }
  return openNow(ctx, team, week);
}

async function openNow(ctx: BotContext, team: Team, week: string): Promise<OutgoingMessage> {
  const { alreadyOpen, result, late } = await openWeekNow(ctx, team, week);
  return { text: messagesFor(team.definition.locale).opened(week, alreadyOpen, result, late) };
}
