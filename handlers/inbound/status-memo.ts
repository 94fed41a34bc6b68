import type { BotContext } from '../../src/bot/context.ts';
import { weekVersionOf } from '../../src/store/caching-store.ts';
import type { Store } from '../../src/store/store.ts';

/**
 * What the handlers keep for themselves on top of the store's cache (CachingStore,
 * src/store/caching-store.ts, which keeps the week's cycle, plans and answers, and raises the
 * week's version on every write that changes its status): the last `status` answer of each team's
 * week, with the week's version it was computed at, so that a `status` asked again at once is
 * answered in the command's acknowledgement (see command.ts, answerInMemory). A store without a
 * cache has no versions: nothing is kept then.
 */

/**
 * `status` uses the week's answers for at most this long: what this process stores shows at once,
 * what other replicas stored within a couple of seconds. A lead asking over and over in a burst
 * costs one read every two seconds instead of one per command.
 */
export const STATUS_ANSWERS_MAX_AGE_MS = 2_000;
/**
 * A `status` answer computed this recently, and not changed since, is sent with the command's
 * acknowledgement instead of being computed again (see command.ts, answerInMemory). With the
 * two-second answers above, another replica's answer shows within three seconds.
 */
export const STATUS_AT_ONCE_MAX_AGE_MS = 1_000;
/** Weeks (per team) kept; the oldest go first. */
const MAX_ENTRIES = 20_000;

interface KnownStatus {
  text: string;
  computedAt: number;
  /** The week's version it was computed at. */
  version: number;
}

/** Per store (a test's fresh store starts with none), by team and week. */
const statuses = new WeakMap<Store, Map<string, KnownStatus>>();

function statusesOf(ctx: BotContext): Map<string, KnownStatus> {
  let known = statuses.get(ctx.store);
  if (!known) statuses.set(ctx.store, (known = new Map()));
  return known;
}

const weekKey = (teamId: string, week: string) => `${teamId}\u0000${week}`;

/** The week's version now: pass it to rememberStatus with the status computed from here on. Null when the store keeps none. */
export function statusVersion(ctx: BotContext, teamId: string, week: string): number | null {
  return weekVersionOf(ctx.store, teamId, week);
}

/**
 * Keeps a `status` answer computed from the week as it was at `version`; one computed while
 * something changed (an answer stored meanwhile) is not kept, so it is never sent again.
 */
export function rememberStatus(ctx: BotContext, teamId: string, week: string, version: number | null, text: string): void {
  if (version === null || weekVersionOf(ctx.store, teamId, week) !== version) return;
  const known = statusesOf(ctx);
  const key = weekKey(teamId, week);
  known.delete(key);
  known.set(key, { text, computedAt: ctx.clock.now().getTime(), version });
  if (known.size > MAX_ENTRIES) known.delete(known.keys().next().value as string);
}

/** The week's `status` answer if it was computed less than `maxAgeMs` ago and nothing changed since; read from memory only. */
export function knownStatus(ctx: BotContext, teamId: string, week: string, maxAgeMs: number): string | null {
  const known = statusesOf(ctx).get(weekKey(teamId, week));
  if (!known) return null;
  const age = ctx.clock.now().getTime() - known.computedAt;
  if (age < 0 || age >= maxAgeMs) return null;
  return weekVersionOf(ctx.store, teamId, week) === known.version ? known.text : null;
}

/** Drops the week's kept `status` answer: it is no longer the week being collected (a lead opened the next one early). */
export function forgetStatus(ctx: BotContext, teamId: string, week: string): void {
  statusesOf(ctx).delete(weekKey(teamId, week));
}
