import pMap from 'p-map';
import type { Team } from '../src/report/definition.ts';
import { renderSectionBody } from '../src/report/render/section-markdown.ts';
import { shiftWeek } from '../src/report/week.ts';
import type { Cycle, PromptKey } from '../src/store/store.ts';
import { platformOf, type BotContext } from '../src/bot/context.ts';
import { messagesFor } from './messages.ts';
import { answeredInWeek, answerKey } from './answered.ts';
import { reachOf } from './people.ts';
import { awayInWeek } from './away.ts';
import { teamInWeek } from './delegation.ts';
import { formatMoment } from './schedule-text.ts';

/** Prompts in flight at once, per team. */
export const PROMPT_CONCURRENCY = 4;

export interface FanOutResult {
  sent: number;
  /** Already prompted (by this or another replica): not sent again. */
  skipped: number;
  /** Sends that failed: released, and retried by the next run. */
  failed: number;
  /** Owners with no id on any running platform: fixed in the definition, not by retrying. */
  unreachable: number;
  /** Owners away this week (`/weekly-report away`): not asked. */
  away: number;
}

/** Opens the week: the cycle's creation time is the report's "Created" time. Idempotent. */
export async function openWeek(ctx: BotContext, team: Team, week: string): Promise<Cycle> {
  return ctx.store.openCycle(team.definition.id, week, ctx.clock.now());
}

/** Opens the week now (a lead's `open`, or the local chat's /open) and prompts its owners; says whether it was open already. */
export async function openWeekNow(ctx: BotContext, team: Team, week: string): Promise<{ alreadyOpen: boolean; result: FanOutResult }> {
  const alreadyOpen = (await ctx.store.getCycle(team.definition.id, week)) !== null;
  await openWeek(ctx, team, week);
  return { alreadyOpen, result: await promptOwners(ctx, team, week) };
}

/**
 * Sends each owner one message per section they own, with last week's text to edit. Each prompt
 * is reserved in the store before it is sent, so replicas and restarts never send it twice; a
 * failed send is released and retried by the next run, and does not stop the others.
 */
export async function promptOwners(ctx: BotContext, team: Team, week: string): Promise<FanOutResult> {
  // The week's owners: a delegated section is asked of whom it was handed to.
  const { definition } = await teamInWeek(ctx, team, week);
  const result: FanOutResult = { sent: 0, skipped: 0, failed: 0, unreachable: 0, away: 0 };
  const lastWeek = await ctx.store.latestSubmissions(definition.id, shiftWeek(week, -1));
  const answered = await answeredInWeek(ctx, definition.id, week);
  const away = await awayInWeek(ctx, definition, week);
  const text = messagesFor(definition.locale);
  const deadline = formatMoment(definition, week, definition.schedule.publish);

  const pairs = definition.sections.flatMap((section) => section.owners.map((owner) => ({ section, owner })));
  // A few prompts in flight: each waits on the store and the platform, and the platform adapters
  // pace themselves under the platform's rate limits.
  await pMap(pairs, async ({ section, owner }) => {
    const key: PromptKey = { teamId: definition.id, week, sectionId: section.id, owner };
    // Someone who already answered (e.g. by DM while their prompt was failing) is not asked again.
    if (answered.has(answerKey(section.id, owner))) {
      result.skipped += 1;
      return;
    }
    // Someone away this week (a lead said so) is not asked.
    if (away.has(owner)) {
      result.away += 1;
      return;
    }
    const reach = reachOf(ctx, definition, owner);
    if (!reach) {
      ctx.logger.warn({ report: definition.id, section: section.id, owner }, 'owner has no id on any running platform; not prompted');
      result.unreachable += 1;
      return;
    }
    if (!(await ctx.store.reservePrompt(key, reach.platform, ctx.clock.now()))) {
      result.skipped += 1;
      return;
    }
    const previous = lastWeek.find((s) => s.sectionId === section.id && s.owner === owner);
    const lastWeekText = previous ? renderSectionBody(section, previous.content) : null;
    try {
      const ref = await platformOf(ctx, reach.platform).sendDirect(
        reach.userId,
        {
          text: text.prompt({ reportName: definition.name, week, sectionTitle: section.title, deadline, lastWeek: lastWeekText, hint: section.hint }),
          answerForm: { teamId: definition.id, week, sectionId: section.id, title: section.title, prefill: lastWeekText ?? '', locale: definition.locale },
        },
        { idempotencyKey: `prompt:${definition.id}:${week}:${section.id}:${owner}` },
      );
      await ctx.store.markPromptSent(key, ref, ctx.clock.now());
      result.sent += 1;
    } catch (error) {
      await ctx.store.releasePrompt(key);
      ctx.logger.error({ err: error, report: definition.id, section: section.id, owner, platform: reach.platform }, 'prompt failed; it will be retried');
      result.failed += 1;
    }
  }, { concurrency: PROMPT_CONCURRENCY });
  ctx.logger.info({ report: definition.id, week, ...result }, 'prompt fan-out done');
  return result;
}
