import type { BotContext } from '../src/bot/context.ts';
import { compareSubmissionKeys } from '../src/store/records.ts';
import type { Absence, Cycle, Delegation, LatestSubmission, PromptKey, Store } from '../src/store/store.ts';

/**
 * What a reply or `status` would otherwise read from the store every time, although it hardly
 * changes within a week. Kept per store (a test's fresh store starts with an empty cache):
 * - a week's cycle once it exists: a cycle is never removed, and its one change (open → published)
 *   is final, so a cached `published` is always right; a cached `open` is only used to know that
 *   the week exists (`publishedCycle` reads again for anything that depends on the status);
 * - a team's delegations and absences: changed only by a lead's `delegate` / `away`, which drop
 *   them here (`forgetTeamPlans`); a change made through another replica shows after
 *   `PLANS_TTL_MS` at most, and a refusal never rests on them (see people.ts, ownedSection);
 * - the prompts this process marked answered: marking again is a write that changes nothing;
 * - each week's latest answer of every owner and section: read once per team and week (one query
 *   for the whole week, instead of one per reply), kept up to date with every revision this process
 *   stores, and read again after `ANSWERS_TTL_MS` for what other replicas stored. A reply builds
 *   its revision on the cached answer; if another replica stored one meanwhile, the store refuses
 *   the revision (RevisionConflict, the unique revision index) and the reply reads the store again.
 *
 * Nothing here decides exactly-once: every write still goes to the store, whose unique indexes
 * decide. A new week is a new key, so nothing needs clearing when the week turns; old weeks age out.
 */

/** How long delegations and absences read from the store are used before reading them again. */
export const PLANS_TTL_MS = 15_000;
/** How long a week's answers read from the store are used (with this process's own revisions) before reading them again. */
export const ANSWERS_TTL_MS = 15_000;
/**
 * `status` uses them for at most this long: what this process stores shows at once, what other
 * replicas stored within a couple of seconds. A lead asking over and over in a burst costs one
 * read every two seconds instead of one per command.
 */
export const STATUS_ANSWERS_MAX_AGE_MS = 2_000;
/**
 * A `status` answer computed this recently, and not changed since, is sent with the command's
 * acknowledgement instead of being computed again (see command.ts, answerInMemory). With the
 * two-second answers above, another replica's answer shows within three seconds.
 */
export const STATUS_AT_ONCE_MAX_AGE_MS = 1_000;
/** Weeks (per team) and answered prompts kept; the oldest go first. */
const MAX_ENTRIES = 20_000;

interface Timed<T> {
  value: T;
  readAt: number;
}

interface WeekCache {
  cycles: Map<string, Cycle>;
  delegations: Map<string, Timed<Delegation[]>>;
  absences: Map<string, Timed<Absence[]>>;
  answered: Set<string>;
  answers: Map<string, WeekAnswers>;
  goalsWeeks: Map<string, Timed<string | null>>;
  /** The last `status` answer of each team's week, with the week's version it was computed at. */
  statuses: Map<string, Timed<string> & { version: number }>;
  /** Each week's version: raised by everything that changes its status (an answer, a review, a lead's plans). */
  statusVersions: Map<string, number>;
}

/** A week's latest answers, by section and owner, and when they were read from the store. */
interface WeekAnswers {
  readAt: number;
  latest: Map<string, LatestSubmission>;
  /** The read in progress, shared by the replies that need it meanwhile. */
  reading?: Promise<void>;
}

const caches = new WeakMap<Store, WeekCache>();

function cacheOf(ctx: BotContext): WeekCache {
  let cache = caches.get(ctx.store);
  if (!cache) {
    cache = { cycles: new Map(), delegations: new Map(), absences: new Map(), answered: new Set(), answers: new Map(), goalsWeeks: new Map(), statuses: new Map(), statusVersions: new Map() };
    caches.set(ctx.store, cache);
  }
  return cache;
}

const weekKey = (teamId: string, week: string) => `${teamId}\u0000${week}`;

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as K);
}

/** The week's cycle if it exists; read once, then from memory. Its status may be out of date: see publishedCycle. */
export async function knownCycle(ctx: BotContext, teamId: string, week: string): Promise<Cycle | null> {
  const { cycles } = cacheOf(ctx);
  const key = weekKey(teamId, week);
  const known = cycles.get(key);
  if (known) return known;
  const cycle = await ctx.store.getCycle(teamId, week);
  // A week not open yet may be opened any moment (by another replica too): only an existing one is kept.
  if (cycle) remember(cycles, key, cycle);
  return cycle;
}

/** The week's cycle with its current status: from memory once published (final), read from the store before. */
export async function publishedCycle(ctx: BotContext, teamId: string, week: string): Promise<Cycle | null> {
  const { cycles } = cacheOf(ctx);
  const key = weekKey(teamId, week);
  const known = cycles.get(key);
  if (known?.status === 'published') return known;
  const cycle = await ctx.store.getCycle(teamId, week);
  if (cycle) remember(cycles, key, cycle);
  return cycle;
}

async function timed<T>(ctx: BotContext, map: Map<string, Timed<T>>, key: string, read: () => Promise<T>): Promise<T> {
  const now = ctx.clock.now().getTime();
  const known = map.get(key);
  if (known && now - known.readAt >= 0 && now - known.readAt < PLANS_TTL_MS) return known.value;
  const value = await read();
  remember(map, key, { value, readAt: now });
  return value;
}

/** The week's delegations (oldest first), as `Store.listDelegations`. */
export function weekDelegations(ctx: BotContext, teamId: string, week: string): Promise<Delegation[]> {
  return timed(ctx, cacheOf(ctx).delegations, weekKey(teamId, week), () => ctx.store.listDelegations(teamId, week));
}

/** The team's absences, as `Store.listAbsences`. */
export function teamAbsences(ctx: BotContext, teamId: string): Promise<Absence[]> {
  return timed(ctx, cacheOf(ctx).absences, teamId, () => ctx.store.listAbsences(teamId));
}

/**
 * The collected week whose goals `week` reviews (`read` finds it), kept for PLANS_TTL_MS: `status`
 * asks on every command, and a week before the current one is only added by seeding history.
 */
export function goalsWeekOf(ctx: BotContext, teamId: string, week: string, read: () => Promise<string | null>): Promise<string | null> {
  return timed(ctx, cacheOf(ctx).goalsWeeks, weekKey(teamId, week), read);
}

/** A lead changed who answers or who is away: read them again next time. */
export function forgetTeamPlans(ctx: BotContext, teamId: string): void {
  const cache = cacheOf(ctx);
  cache.absences.delete(teamId);
  for (const key of cache.delegations.keys()) if (key.startsWith(`${teamId}\u0000`)) cache.delegations.delete(key);
  for (const key of cache.statusVersions.keys()) if (key.startsWith(`${teamId}\u0000`)) statusChanged(cache, key);
}

/** The week's status version now: pass it to rememberStatus with the status computed from here on. */
export function statusVersion(ctx: BotContext, teamId: string, week: string): number {
  const { statusVersions } = cacheOf(ctx);
  const key = weekKey(teamId, week);
  const version = statusVersions.get(key);
  if (version !== undefined) return version;
  remember(statusVersions, key, 0);
  return 0;
}

/**
 * Keeps a `status` answer computed from the week as it was at `version`; one computed while
 * something changed (an answer stored meanwhile) is not kept, so it is never sent again.
 */
export function rememberStatus(ctx: BotContext, teamId: string, week: string, version: number, text: string): void {
  const cache = cacheOf(ctx);
  const key = weekKey(teamId, week);
  if (cache.statusVersions.get(key) !== version) return;
  remember(cache.statuses, key, { value: text, readAt: ctx.clock.now().getTime(), version });
}

/** The week's `status` answer if it was computed less than `maxAgeMs` ago and nothing changed since; read from memory only. */
export function knownStatus(ctx: BotContext, teamId: string, week: string, maxAgeMs: number): string | null {
  const known = cacheOf(ctx).statuses.get(weekKey(teamId, week));
  const age = ctx.clock.now().getTime() - (known?.readAt ?? Number.NEGATIVE_INFINITY);
  return known && age >= 0 && age < maxAgeMs ? known.value : null;
}

/** Something the week's status shows changed here (a goal review stored): its last answer is not sent again. */
export function forgetStatus(ctx: BotContext, teamId: string, week: string): void {
  statusChanged(cacheOf(ctx), weekKey(teamId, week));
}

function statusChanged(cache: WeekCache, key: string): void {
  cache.statuses.delete(key);
  const version = cache.statusVersions.get(key);
  if (version !== undefined) cache.statusVersions.set(key, version + 1);
}

/** Marks the prompt answered in the store, unless this process did so already (the mark is final). */
export async function markAnswered(ctx: BotContext, key: PromptKey): Promise<void> {
  const { answered } = cacheOf(ctx);
  const id = [key.teamId, key.week, key.sectionId, key.owner].join('\u0000');
  if (answered.has(id)) return;
  await ctx.store.markPromptAnswered(key);
  answered.add(id);
  if (answered.size > MAX_ENTRIES) answered.delete(answered.values().next().value as string);
}

const answerId = (sectionId: string, owner: string) => `${sectionId}\u0000${owner}`;

/** Keeps the later of what is cached and `answer` (revisions only grow: an answer is never removed). */
function keepLatest(latest: Map<string, LatestSubmission>, answer: LatestSubmission): void {
  const id = answerId(answer.sectionId, answer.owner);
  const known = latest.get(id);
  if (!known || known.revision < answer.revision) latest.set(id, answer);
}

/**
 * The owner's latest answer to the section this week, or null: from the week's answers, read once
 * for the whole week and again after ANSWERS_TTL_MS. Good enough to build a revision on (the store
 * refuses one built on an out-of-date answer) and to route a message; a refusal and the published
 * report read the store.
 */
export async function latestAnswer(ctx: BotContext, key: PromptKey): Promise<LatestSubmission | null> {
  const week = await weekAnswers(ctx, key.teamId, key.week);
  return week.latest.get(answerId(key.sectionId, key.owner)) ?? null;
}

/** Every owner's latest answer of the week, as `Store.latestSubmissions`, read again when older than `maxAgeMs`. */
export async function weekLatestAnswers(ctx: BotContext, teamId: string, week: string, maxAgeMs = ANSWERS_TTL_MS): Promise<LatestSubmission[]> {
  // In the store's order: by section, then owner.
  return [...(await weekAnswers(ctx, teamId, week, maxAgeMs)).latest.values()].sort(compareSubmissionKeys);
}

/** A revision this process stored, or read from the store after a conflict: the cache keeps it. */
export function rememberAnswer(ctx: BotContext, answer: LatestSubmission): void {
  const cache = cacheOf(ctx);
  const key = weekKey(answer.teamId, answer.week);
  statusChanged(cache, key);
  const week = cache.answers.get(key);
  if (week) keepLatest(week.latest, answer);
}

async function weekAnswers(ctx: BotContext, teamId: string, week: string, maxAgeMs = ANSWERS_TTL_MS): Promise<WeekAnswers> {
  const { answers } = cacheOf(ctx);
  const key = weekKey(teamId, week);
  let entry = answers.get(key);
  if (!entry) {
    entry = { readAt: Number.NEGATIVE_INFINITY, latest: new Map() };
    remember(answers, key, entry);
  }
  const now = ctx.clock.now().getTime();
  const fresh = now - entry.readAt >= 0 && now - entry.readAt < maxAgeMs;
  if (!fresh && !entry.reading) {
    const target = entry;
    target.reading = ctx.store
      .latestSubmissions(teamId, week)
      .then((read) => {
        // Revisions stored here while the read ran may be newer than what it found: keep the later.
        for (const answer of read) keepLatest(target.latest, answer);
        target.readAt = now;
      })
      .finally(() => {
        target.reading = undefined;
      });
  }
  // A read under way (a first one, or a refresh) is waited for: a refresh may bring another replica's answers.
  if (entry.reading) await entry.reading;
  return entry;
}

/**
 * The context with delegations and absences read through this cache, for use cases that read
 * them on every request (`status`, a form's owner check) through teamInWeek and awayInWeek.
 * Everything else goes to the store as it is.
 */
export function withCachedPlans(ctx: BotContext): BotContext {
  const store = new Proxy(ctx.store, {
    get(target, property) {
      if (property === 'listDelegations') return (teamId: string, week: string) => weekDelegations(ctx, teamId, week);
      if (property === 'listAbsences') return (teamId: string) => teamAbsences(ctx, teamId);
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...ctx, store };
}
