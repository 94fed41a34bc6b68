import pMap from 'p-map';
import PQueue from 'p-queue';
import type { Team } from '../../src/report/definition.ts';
import { renderSectionBody } from '../../src/report/render/section-markdown.ts';
import { shiftWeek } from '../../src/report/week.ts';
import type { Cycle, PromptKey, PromptReservation } from '../../src/store/store.ts';
import { PROMPT_RENEW_MS } from '../../src/store/policy.ts';
import type { ChatPlatform, MessageRef, OutgoingMessage } from '../../src/platforms/platform.ts';
import { intervalTicker, type Ticker } from '../../src/schedule/heartbeat.ts';
import { platformOf, type BotContext } from '../../src/bot/context.ts';
import { messagesFor } from '../texts/messages.ts';
import { answeredInWeek, answerKey } from '../owners/people.ts';
import { reachOf } from '../owners/people.ts';
import { awayInWeek } from '../owners/away.ts';
import { teamInWeek } from '../owners/people.ts';
import { withGoalReview } from './goals.ts';
import { dueOf, publishAtOf } from './dates.ts';
import { weekAnswers } from './week-answers.ts';

/**
 * Prompts in flight at once, per team. The platform's pacer decides the rate; this only has to
 * keep it fed while each prompt also waits on the store (a reservation before the send, the
 * "sent" mark after it, tens to hundreds of ms each on FerretDB under load): 4 in flight starved
 * the pacer at 20 a second (1.65× the floor for 1,000 owners), 12 keeps it busy.
 */
export const PROMPT_CONCURRENCY = 12;

/**
 * Prompts in flight at once through one platform instance (one Slack workspace token, one Feishu
 * app), across every team that posts through it: twenty teams opening together at 12 each would
 * hold 240 reservations waiting on one workspace's rate, and their renewals alone would load the
 * store. 24 keeps Feishu's 50 a second fed while each send waits about 0.3 s on the app's limiter.
 */
export const PLATFORM_PROMPT_SLOTS = 24;
const promptSlots = new WeakMap<ChatPlatform, PQueue>();

function promptSlotsOf(platform: ChatPlatform): PQueue {
  let slots = promptSlots.get(platform);
  if (!slots) {
    slots = new PQueue({ concurrency: PLATFORM_PROMPT_SLOTS });
    promptSlots.set(platform, slots);
  }
  return slots;
}

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

/**
 * Opens the week now (a lead's `open`, or the local chat's /open) and prompts its owners; says
 * whether it was open already, and whether it was opened after its publish time (late: its prompts
 * have no set deadline and the lead publishes it).
 */
export async function openWeekNow(ctx: BotContext, team: Team, week: string): Promise<{ alreadyOpen: boolean; result: FanOutResult; late: boolean }> {
  const alreadyOpen = (await ctx.store.getCycle(team.definition.id, week)) !== null;
  const cycle = await openWeek(ctx, team, week);
  const late = cycle.status === 'open' && cycle.createdAt >= publishAtOf(team.definition, week);
  return { alreadyOpen, result: await promptOwners(ctx, team, week), late };
}

export interface FanOutOptions {
  /** The job run's lease when the fan-out runs under one: checked before each send, so that a holder whose run was taken over stops. */
  lease?: { readonly held: boolean; readonly holder: string };
  /** The timer that renews the reservations being sent; tests give one they step by hand. */
  ticker?: Ticker;
}

/**
 * Sends each owner one message per section they own, with last week's text to edit. Each prompt
 * is reserved in the store before it is sent, so replicas and restarts never send it twice; a
 * failed send is released and retried by the next run, and does not stop the others. A prompt
 * whose earlier send crashed or failed is looked for in the owner's DM first, and only sent when
 * it is not there.
 */
export async function promptOwners(ctx: BotContext, team: Team, week: string, options: FanOutOptions = {}): Promise<FanOutResult> {
  return (await runFanOut(ctx, team, week, options)).result;
}

/** promptOwners, also saying how many prompts are still being sent by someone else (the open job waits for them). */
export async function runFanOut(ctx: BotContext, team: Team, week: string, options: FanOutOptions = {}): Promise<{ result: FanOutResult; pending: number }> {
  // The week's owners: a delegated section is asked of whom it was handed to.
  const { definition } = await teamInWeek(ctx, team, week);
  const result: FanOutResult = { sent: 0, skipped: 0, failed: 0, unreachable: 0, away: 0 };
  // Reserved by someone else when we came to them, and left undone by this run.
  const heldElsewhere: PromptKey[] = [];
  let stopped = false;
  // Read together: on FerretDB each is a scan of a collection that grows every week.
  const [lastWeek, answered, away, cycle] = await Promise.all([
    weekAnswers(ctx.store, definition.id, shiftWeek(week, -1)),
    answeredInWeek(ctx, definition.id, week),
    awayInWeek(ctx, definition, week),
    ctx.store.getCycle(definition.id, week),
  ]);
  const text = messagesFor(definition.locale);
  // The deadline while it is to come; past the publish time, why there is none (never a moment past).
  const due = dueOf(definition, week, cycle, ctx.clock.now());

  const pairs = definition.sections.flatMap((section) => section.owners.map((owner) => ({ section, owner })));
  // Reservations being sent are renewed while their sends wait (rate limits): a slow send is
  // never taken for a crashed one and sent twice.
  const sending = new Set<PromptKey>();
  const heartbeat = (options.ticker ?? intervalTicker)(PROMPT_RENEW_MS, async () => {
    for (const key of sending)
      await ctx.store
        .renewPromptReservation(key, ctx.clock.now())
        .catch((error: unknown) => ctx.logger.warn({ err: error, ...key }, 'could not renew a prompt reservation'));
  });
  // A few prompts in flight: each waits on the store and the platform, and the platform adapters
  // pace themselves under the platform's rate limits.
  await pMap(
    pairs,
    async ({ section, owner }) => {
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
      // Prompts in flight through one platform (a Slack workspace, a Feishu app) are shared by every
      // team opening at once: the rate is the platform's anyway, and each prompt in flight holds a
      // reservation that the store must keep renewing.
      const platform = platformOf(ctx, reach.platform);
      await promptSlotsOf(platform).add(async () => {
        // The run was taken over (this replica stalled past its lease): whoever holds it now goes on.
        if (options.lease && !options.lease.held) {
          stopped = true;
          return;
        }
        const reservation = await ctx.store.reservePrompt(key, reach.platform, ctx.clock.now(), options.lease?.holder);
        if (!reservation) {
          heldElsewhere.push(key);
          result.skipped += 1;
          return;
        }
        sending.add(key);
        const previous = lastWeek.find((s) => s.sectionId === section.id && s.owner === owner);
        const lastWeekText = previous ? renderSectionBody(section, previous.content) : null;
        try {
          const idempotencyKey = `prompt:${definition.id}:${week}:${section.id}:${owner}`;
          // The section that reviews last week's goals carries them as a checklist.
          const message: OutgoingMessage = await withGoalReview(ctx, definition, week, section, {
            text: text.prompt({ reportName: definition.name, week, sectionTitle: section.title, due, lastWeek: lastWeekText, hint: section.hint }),
            answerForm: { teamId: definition.id, week, sectionId: section.id, title: section.title, prefill: lastWeekText ?? '', locale: definition.locale },
          });
          const found = await findDelivered(ctx, platform, reservation, key, reach.userId, { idempotencyKey, message });
          if (found) {
            // Sent by a run that crashed (or failed) before recording it: recorded now, not sent again.
            await ctx.store.markPromptSent(key, found, ctx.clock.now());
            ctx.logger.info(
              { report: definition.id, section: section.id, owner, messageId: found.messageId },
              'found a prompt sent by an earlier run that did not record it; recorded it',
            );
            result.skipped += 1;
            return;
          }
          // Checked again right before the send: the lookup may have taken a while.
          if (options.lease && !options.lease.held) {
            await ctx.store.releasePrompt(key);
            stopped = true;
            return;
          }
          const ref = await platform.sendDirect(reach.userId, message, { idempotencyKey });
          await ctx.store.markPromptSent(key, ref, ctx.clock.now());
          result.sent += 1;
        } catch (error) {
          // Released as "resume": the next run looks for the message before sending it again, since a
          // failed call may still have delivered it.
          await ctx.store.releasePrompt(key);
          ctx.logger.error({ err: error, report: definition.id, section: section.id, owner, platform: reach.platform }, 'prompt failed; it will be retried');
          result.failed += 1;
        } finally {
          sending.delete(key);
        }
      });
      // Every prompt in flight settles before the run ends, even when one failed on the store: a send
      // left running after the run gave up would lose its heartbeat, go stale while it waits on the
      // rate limit, and be taken over and sent a second time by the next run.
    },
    { concurrency: PROMPT_CONCURRENCY, stopOnError: false },
  ).finally(() => heartbeat.stop());
  // Only prompts that someone else held when we came to them can still be on their way: read the
  // week's prompts (a whole-week read) only then.
  const stillSending =
    heldElsewhere.length === 0
      ? new Set<string>()
      : new Set((await ctx.store.listPrompts(definition.id, week)).filter((p) => p.state === 'sending').map((p) => answerKey(p.sectionId, p.owner)));
  const pending = heldElsewhere.filter((k) => stillSending.has(answerKey(k.sectionId, k.owner))).length;
  ctx.logger.info({ report: definition.id, week, ...result, pending, ...(stopped ? { stopped: 'lease lost' } : {}) }, 'prompt fan-out done');
  return { result, pending };
}

/** How far before its reservation a resumed prompt is looked for: clocks of the bot and the platform may disagree. */
const LOOKUP_MARGIN_MS = 10 * 60_000;

/**
 * For a resumed reservation (an earlier send crashed or failed, and may have been delivered), the
 * prompt as found in the owner's DM, or null when it is not there, is a new reservation, or the
 * platform cannot look (it is then sent again: a duplicate is better than an owner never asked).
 */
async function findDelivered(
  ctx: BotContext,
  platform: ChatPlatform,
  reservation: PromptReservation,
  key: PromptKey,
  userId: string,
  sent: { idempotencyKey: string; message: OutgoingMessage },
): Promise<MessageRef | null> {
  if (reservation !== 'resumed' || !platform.findSentDirect) return null;
  const prompts = await ctx.store.listPrompts(key.teamId, key.week);
  const prompt = prompts.find((p) => p.sectionId === key.sectionId && p.owner === key.owner);
  // Another prompt to the same person gives the DM's channel (Feishu cannot look it up by user).
  const channel = prompts.find((p) => p.owner === key.owner && p.platform === platform.name && p.channel)?.channel;
  const since = new Date((prompt?.createdAt ?? ctx.clock.now()).getTime() - LOOKUP_MARGIN_MS);
  try {
    return await platform.findSentDirect(userId, { ...sent, since, ...(channel ? { channel } : {}) });
  } catch (error) {
    ctx.logger.warn({ err: error, ...key, platform: platform.name }, 'could not look for a prompt an earlier run may have sent; sending it');
    return null;
  }
}
