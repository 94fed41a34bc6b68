import { RoleStore } from './composite.ts';
import { compareSubmissionKeys } from './records.ts';
import type { StoreDescription } from './policy.ts';
import type {
  Absence,
  AbsenceCancellation,
  Cycle,
  Delegation,
  DelegationCancellation,
  GoalReviewInput,
  LatestSubmission,
  OpenCycleOptions,
  PostedMessage,
  PromptKey,
  ReadOptions,
  RecordGoalReviewResult,
  RecordSubmissionResult,
  Store,
  SubmissionInput,
} from './store.ts';

/**
 * A Store in front of another (MongoStore, MemoryStore) that keeps what a reply or `status` would
 * otherwise read from the store every time, although it hardly changes within a week. Reads are
 * of the store unless the caller asks for `{ cached }` (ReadOptions); what it reads and writes
 * through it, it keeps:
 * - a week's cycle once it exists: a cycle is never removed, and its one change (open → published)
 *   is final, so a cached `published` is always right; a cached `open` is only good to know that
 *   the week exists (whoever needs the status reads again while it is open). markPublished and
 *   openCycle keep what they return;
 * - a team's cycles (newest first), delegations and absences, for PLANS_TTL_MS: a change made
 *   through this store (openCycle of a new week, markPublished, recordDelegation, recordAbsence,
 *   cancelDelegation, cancelAbsence) drops them at once; a change made through another replica shows after PLANS_TTL_MS at most;
 * - the prompts marked answered through it: marking again is a write that changes nothing;
 * - each week's latest answer of every owner and section: read once per team and week (one query
 *   for the whole week, instead of one per reply), kept up to date with every revision stored or
 *   read through it, and read again after ANSWERS_TTL_MS for what other replicas stored. A reply
 *   builds its revision on the cached answer; if another replica stored one meanwhile, the store
 *   refuses the revision (RevisionConflict, the unique revision index) and the reply reads the
 *   store again (latestSubmission without `cached`), which brings the cache up to date too;
 * - each week's version (weekVersion), raised by every write through it that changes what the
 *   week's status shows (an answer, a goal review, a delegation, an absence, or their cancellation) and by a newer answer
 *   read one at a time: something computed from the week at one version is out of date at another.
 *
 * Nothing here decides exactly-once: every write goes to the wrapped store, whose unique indexes
 * decide, and a refusal never rests on the cache (it reads without `cached`). A new week is a new
 * key, so nothing needs clearing when the week turns; old weeks age out (MAX_ENTRIES).
 */

/** How long cycles listed, delegations and absences read from the store are used before reading them again. */
export const PLANS_TTL_MS = 15_000;
/** How long a week's answers read from the store are used (with what was stored here since) before reading them again. */
export const ANSWERS_TTL_MS = 15_000;
/** Weeks (per team), plans and answered prompts kept; the oldest go first. */
const MAX_ENTRIES = 20_000;

/** Where the cache's time comes from (the bot's clock; a manual one in tests). */
export interface CacheClock {
  now(): Date;
}

/** A store that can say when something a week's status shows changed (CachingStore). */
export interface WeekVersions {
  /** The week's version now: it changes whenever something its status shows is stored or learnt. */
  weekVersion(teamId: string, week: string): number;
}

/** The week's version when `store` keeps one (a CachingStore, or a proxy of one); null for a store without a cache. */
export function weekVersionOf(store: Store, teamId: string, week: string): number | null {
  const versions = store as Store & Partial<WeekVersions>;
  return typeof versions.weekVersion === 'function' ? versions.weekVersion(teamId, week) : null;
}

const weekKey = (teamId: string, week: string) => `${teamId}\u0000${week}`;
const ofTeam = (teamId: string) => (key: string) => key === teamId || key.startsWith(`${teamId}\u0000`);
const answerId = (sectionId: string, owner: string) => `${sectionId}\u0000${owner}`;
const promptId = (key: PromptKey) => [key.teamId, key.week, key.sectionId, key.owner].join('\u0000');

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as K);
}

/** How old a cached value may be for `options`; null when the caller wants the store read. */
function maxAgeOf(options: ReadOptions | undefined, ttlMs: number): number | null {
  const cached = options?.cached;
  if (!cached) return null;
  return cached === true ? ttlMs : cached.maxAgeMs;
}

/** Read `ageMs` ago, and not longer ago than `maxAgeMs` (a clock that went back counts as old). */
const youngerThan = (ageMs: number, maxAgeMs: number) => ageMs >= 0 && ageMs < maxAgeMs;

/** Values read from the store, by key, with when they were read; dropped by a write through the cache. */
class TimedReads<T> {
  private readonly entries = new Map<string, { value: T; readAt: number }>();
  /** Raised by every drop: a read that started before one does not keep what it read. */
  private generation = 0;

  constructor(
    private readonly clock: CacheClock,
    private readonly ttlMs: number,
  ) {}

  async read(key: string, options: ReadOptions | undefined, read: () => Promise<T>): Promise<T> {
    const now = this.clock.now().getTime();
    const maxAge = maxAgeOf(options, this.ttlMs);
    const known = this.entries.get(key);
    if (known && maxAge !== null && youngerThan(now - known.readAt, maxAge)) return known.value;
    const generation = this.generation;
    const value = await read();
    if (generation === this.generation) remember(this.entries, key, { value: structuredClone(value), readAt: now });
    return value;
  }

  forget(matches: (key: string) => boolean): void {
    this.generation += 1;
    for (const key of [...this.entries.keys()]) if (matches(key)) this.entries.delete(key);
  }
}

/** A week's latest answers, by section and owner, and when they were read from the store. */
interface WeekAnswers {
  readAt: number;
  latest: Map<string, LatestSubmission>;
  /** The read in progress, shared by the callers that need it meanwhile. */
  reading?: Promise<void> | undefined;
}

export class CachingStore extends RoleStore implements WeekVersions {
  private readonly cycles = new Map<string, Cycle>();
  private readonly cycleLists: TimedReads<Cycle[]>;
  private readonly delegations: TimedReads<Delegation[]>;
  private readonly absences: TimedReads<Absence[]>;
  private readonly answers = new Map<string, WeekAnswers>();
  private readonly answered = new Set<string>();
  private readonly versions = new Map<string, number>();
  private lastVersion = 0;

  constructor(
    /** The store written to and read from. */
    readonly inner: Store,
    private readonly clock: CacheClock,
  ) {
    super({ cycles: inner, submissions: inner, prompts: inner, claims: inner, plans: inner, goalReviews: inner, events: inner });
    this.cycleLists = new TimedReads(clock, PLANS_TTL_MS);
    this.delegations = new TimedReads(clock, PLANS_TTL_MS);
    this.absences = new TimedReads(clock, PLANS_TTL_MS);
  }

  // ---- cycles ----

  override async openCycle(teamId: string, week: string, createdAt: Date, options?: OpenCycleOptions): Promise<Cycle> {
    const known = this.cycles.has(weekKey(teamId, week));
    try {
      const cycle = await this.inner.openCycle(teamId, week, createdAt, options);
      this.rememberCycle(cycle);
      return cycle;
    } finally {
      // A week opened now is in the team's list of cycles.
      if (!known) this.cycleLists.forget(ofTeam(teamId));
    }
  }

  /** Cached: the cycle once known, whatever its age (its status is only sure once `published`). */
  override async getCycle(teamId: string, week: string, options?: ReadOptions): Promise<Cycle | null> {
    const known = options?.cached ? this.cycles.get(weekKey(teamId, week)) : undefined;
    if (known) return known;
    const cycle = await this.inner.getCycle(teamId, week);
    // A week not open yet may be opened any moment (by another replica too): only an existing one is kept.
    if (cycle) this.rememberCycle(cycle);
    return cycle;
  }

  override listCycles(teamId: string, limit: number, options?: ReadOptions): Promise<Cycle[]> {
    return this.cycleLists.read(`${teamId}\u0000${limit}`, options, () => this.inner.listCycles(teamId, limit));
  }

  override async markPublished(teamId: string, week: string, posts: PostedMessage[], at: Date): Promise<Cycle> {
    try {
      const cycle = await this.inner.markPublished(teamId, week, posts, at);
      this.rememberCycle(cycle);
      return cycle;
    } finally {
      this.cycleLists.forget(ofTeam(teamId));
    }
  }

  private rememberCycle(cycle: Cycle): void {
    const key = weekKey(cycle.teamId, cycle.week);
    const known = this.cycles.get(key);
    // Published is final: an `open` read before the publication landed does not replace it, nor an earlier publication a later one.
    if (known?.status === 'published' && (cycle.status !== 'published' || (cycle.publishedAt?.getTime() ?? 0) < (known.publishedAt?.getTime() ?? 0))) return;
    remember(this.cycles, key, structuredClone(cycle));
  }

  // ---- answers ----

  override async recordSubmission(input: SubmissionInput): Promise<RecordSubmissionResult> {
    try {
      const result = await this.inner.recordSubmission(input);
      this.rememberAnswer(result.submission);
      return result;
    } finally {
      // Stored, refused as out of date (another revision is there), or failed midway: the status may differ.
      this.raise(input.teamId, input.week);
    }
  }

  /** Cached: every owner's latest answer of the week, read again when older than ANSWERS_TTL_MS (or `maxAgeMs`). */
  override async latestSubmissions(teamId: string, week: string, options?: ReadOptions): Promise<LatestSubmission[]> {
    const maxAge = maxAgeOf(options, ANSWERS_TTL_MS);
    if (maxAge !== null) return [...(await this.weekAnswers(teamId, week, maxAge)).latest.values()].sort(compareSubmissionKeys);
    const startedAt = this.clock.now().getTime();
    const read = await this.inner.latestSubmissions(teamId, week);
    const entry = this.answers.get(weekKey(teamId, week));
    if (entry) {
      // What the caller got is theirs: the cache keeps copies.
      for (const answer of read) keepLatest(entry.latest, answer, structuredClone);
      entry.readAt = Math.max(entry.readAt, startedAt);
    }
    return read;
  }

  /**
   * Cached: the owner's answer from the week's answers (read once for the whole week, and again
   * after ANSWERS_TTL_MS): good enough to build a revision on (the store refuses one built on an
   * out-of-date answer) and to route a message. Uncached, what is stored, kept here too.
   */
  override async latestSubmission(key: PromptKey, options?: ReadOptions): Promise<LatestSubmission | null> {
    const maxAge = maxAgeOf(options, ANSWERS_TTL_MS);
    if (maxAge !== null) return (await this.weekAnswers(key.teamId, key.week, maxAge)).latest.get(answerId(key.sectionId, key.owner)) ?? null;
    const answer = await this.inner.latestSubmission(key);
    // Another replica's revision, found after the store refused one built on the cached answer.
    if (answer && this.rememberAnswer(answer)) this.raise(key.teamId, key.week);
    return answer;
  }

  /** A revision stored or read here: the week's answers keep it if it is newer. True when they changed. */
  private rememberAnswer(answer: LatestSubmission & { rawPayload?: unknown }): boolean {
    const week = this.answers.get(weekKey(answer.teamId, answer.week));
    if (!week) return false;
    const { rawPayload: _rawPayload, ...latest } = answer;
    return keepLatest(week.latest, latest, structuredClone);
  }

  private async weekAnswers(teamId: string, week: string, maxAgeMs: number): Promise<WeekAnswers> {
    const key = weekKey(teamId, week);
    let entry = this.answers.get(key);
    if (!entry) {
      entry = { readAt: Number.NEGATIVE_INFINITY, latest: new Map() };
      remember(this.answers, key, entry);
    }
    const now = this.clock.now().getTime();
    if (!youngerThan(now - entry.readAt, maxAgeMs) && !entry.reading) {
      const target = entry;
      target.reading = this.inner
        .latestSubmissions(teamId, week)
        .then((read) => {
          // Revisions stored here while the read ran may be newer than what it found: keep the later.
          for (const answer of read) keepLatest(target.latest, answer);
          target.readAt = Math.max(target.readAt, now);
        })
        .finally(() => {
          target.reading = undefined;
        });
    }
    // A read under way (a first one, or a refresh) is waited for: a refresh may bring another replica's answers.
    if (entry.reading) await entry.reading;
    return entry;
  }

  // ---- prompts ----

  /** Marks the prompt answered in the store, unless it was marked through here already (the mark is final). */
  override async markPromptAnswered(key: PromptKey): Promise<void> {
    const id = promptId(key);
    if (this.answered.has(id)) return;
    await this.inner.markPromptAnswered(key);
    this.answered.add(id);
    if (this.answered.size > MAX_ENTRIES) this.answered.delete(this.answered.values().next().value as string);
  }

  // ---- plans ----

  override async recordAbsence(absence: Absence): Promise<void> {
    try {
      await this.inner.recordAbsence(absence);
    } finally {
      this.forgetAbsences(absence.teamId);
    }
  }

  override listAbsences(teamId: string, options?: ReadOptions): Promise<Absence[]> {
    return this.absences.read(teamId, options, () => this.inner.listAbsences(teamId));
  }

  override async cancelAbsence(cancellation: AbsenceCancellation): Promise<boolean> {
    try {
      return await this.inner.cancelAbsence(cancellation);
    } finally {
      this.forgetAbsences(cancellation.teamId);
    }
  }

  private forgetAbsences(teamId: string): void {
    this.absences.forget((key) => key === teamId);
    // An absence may fall in any week.
    for (const key of this.versions.keys()) if (ofTeam(teamId)(key)) this.raiseKey(key);
  }

  override async recordDelegation(delegation: Delegation): Promise<void> {
    try {
      await this.inner.recordDelegation(delegation);
    } finally {
      this.forgetDelegations(delegation.teamId, delegation.week);
    }
  }

  override async cancelDelegation(cancellation: DelegationCancellation): Promise<Delegation | null> {
    try {
      return await this.inner.cancelDelegation(cancellation);
    } finally {
      this.forgetDelegations(cancellation.teamId, cancellation.week);
    }
  }

  private forgetDelegations(teamId: string, week: string): void {
    this.delegations.forget((key) => key === weekKey(teamId, week));
    this.raise(teamId, week);
  }

  override listDelegations(teamId: string, week: string, options?: ReadOptions): Promise<Delegation[]> {
    return this.delegations.read(weekKey(teamId, week), options, () => this.inner.listDelegations(teamId, week));
  }

  // ---- goal reviews ----

  override async recordGoalReview(input: GoalReviewInput): Promise<RecordGoalReviewResult> {
    try {
      return await this.inner.recordGoalReview(input);
    } finally {
      this.raise(input.teamId, input.week);
    }
  }

  // ---- the week's version ----

  weekVersion(teamId: string, week: string): number {
    const key = weekKey(teamId, week);
    let version = this.versions.get(key);
    if (version === undefined) {
      version = ++this.lastVersion;
      remember(this.versions, key, version);
    }
    return version;
  }

  private raise(teamId: string, week: string): void {
    this.raiseKey(weekKey(teamId, week));
  }

  /** Only a version somebody asked for is raised: nobody holds one of the others. Always to a new number, never an old one. */
  private raiseKey(key: string): void {
    if (this.versions.has(key)) this.versions.set(key, ++this.lastVersion);
  }

  // ---- lifecycle: the wrapped store's ----

  ping(): Promise<boolean> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  describe(): StoreDescription {
    return this.inner.describe();
  }
}

/**
 * Keeps the later of what is cached and `answer` (revisions only grow: an answer is never removed),
 * as `keep` makes it (a copy, when the caller has the answer too). True when it kept `answer`.
 */
function keepLatest(latest: Map<string, LatestSubmission>, answer: LatestSubmission, keep: (answer: LatestSubmission) => LatestSubmission = (a) => a): boolean {
  const id = answerId(answer.sectionId, answer.owner);
  const known = latest.get(id);
  if (known && known.revision >= answer.revision) return false;
  latest.set(id, keep(answer));
  return true;
}
