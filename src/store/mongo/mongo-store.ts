import { setTimeout as delay } from 'node:timers/promises';
import { STATES, type Connection } from 'mongoose';
import type { Logger } from '../../log.ts';
import { PROMPT_SENDING_STALE_MS, SEEN_EVENT_WINDOW_MS, type StoreDescription, type StoreTiming } from '../policy.ts';
import { CoalescedReads } from './coalesced-reads.ts';
import { compareSubmissionKeys, toSubmission } from '../records.ts';
import { RevisionConflict } from '../store.ts';
import type {
  Absence,
  Delegation,
  Cycle,
  JobRunKey,
  PlatformName,
  PostedMessage,
  Prompt,
  PromptKey,
  PromptReservation,
  PublicationClaim,
  PublicationClaimResult,
  RecordSubmissionResult,
  Store,
  LatestSubmission,
  Submission,
  SubmissionInput,
  GoalReviewInput,
  GoalReviewRecord,
  RecordGoalReviewResult,
  ReleasedClaims,
} from '../store.ts';
import { describeMongoUri, openConnection, safeErrorText, watchConnection, type ConnectOptions } from './connect.ts';
import { decodeRawPayload, encodeRawPayload } from './raw-payload.ts';
import {
  allowPlatforms,
  createModels,
  INDEXES,
  type CycleDoc,
  type PromptDoc,
  type PromptSendDoc,
  type PublicationDoc,
  type StoreModels,
  type SubmissionDoc,
  type GoalReviewDoc,
} from './schemas.ts';

export interface MongoStoreOptions extends ConnectOptions, StoreTiming {
  /** The names of the platform modules whose records this store keeps (src/platforms/modules.ts). */
  platforms: readonly PlatformName[];
}

/**
 * Store on MongoDB 6+ (and FerretDB, which the tests use). No transactions: every decision that
 * must have exactly one winner is an insert guarded by a unique index (see schemas.ts for why not
 * conditional updates), and a state that may be taken over (a stale lease or reservation) is
 * deleted and inserted again, so that the unique index picks the one contender that gets it.
 */
export class MongoStore implements Store {
  private readonly promptSendingStaleMs: number;
  private readonly seenEventWindowMs: number;
  /** Set when the server refused a TTL index: seen events are then pruned by MongoStore itself. */
  private pruneSeenEventsAfter: number | null = null;
  private lastSeenEventPrune = 0;

  /** Teams asking for the same week's answers together (their weeks open at the same time) are read in one query. */
  private readonly weekAnswers = new CoalescedReads<string, LatestSubmission[]>(async (week, teamIds) => {
    // FerretDB has no $group $first; a week holds a few dozen revisions per team, so pick in memory.
    const docs = await this.models.submissions
      .find({ week, teamId: { $in: teamIds } })
      .select({ rawPayload: 0, rawPayloadEncoding: 0 })
      .lean<SubmissionDoc[]>();
    const latest = new Map<string, SubmissionDoc>();
    for (const doc of docs) {
      const id = JSON.stringify([doc.teamId, doc.sectionId, doc.owner]);
      const seen = latest.get(id);
      if (!seen || doc.revision > seen.revision) latest.set(id, doc);
    }
    const byTeam = new Map<string, LatestSubmission[]>(teamIds.map((teamId) => [teamId, []]));
    for (const doc of latest.values()) byTeam.get(doc.teamId)?.push(toStoredSubmission(doc));
    for (const answers of byTeam.values()) answers.sort(compareSubmissionKeys);
    return byTeam;
  });

  private constructor(
    /** The store's own connection; exposed for tests and health checks. */
    readonly connection: Connection,
    private readonly models: StoreModels,
    private readonly uri: string,
    private readonly logger: Logger,
    private readonly unwatch: () => void,
    timing: StoreTiming,
  ) {
    this.promptSendingStaleMs = timing.promptSendingStaleMs ?? PROMPT_SENDING_STALE_MS;
    this.seenEventWindowMs = timing.seenEventWindowMs ?? SEEN_EVENT_WINDOW_MS;
  }

  /**
   * Connects (retrying while the server is unreachable, see ConnectOptions.retry) and makes sure
   * the indexes exist. The logger never sees the URI's credentials.
   */
  static async connect(uri: string, options: MongoStoreOptions): Promise<MongoStore> {
    allowPlatforms(options.platforms);
    const connection = await openConnection(uri, options);
    const unwatch = watchConnection(connection, uri, options.logger);
    const store = new MongoStore(connection, createModels(connection), uri, options.logger, unwatch, options);
    try {
      await store.ensureIndexes();
    } catch (error) {
      await store.close().catch(() => {});
      throw new Error(`MongoDB at ${describeMongoUri(uri)}: could not create indexes: ${safeErrorText(error, uri)}`);
    }
    return store;
  }

  describe(): StoreDescription {
    return { kind: 'mongo', durable: true, location: describeMongoUri(this.uri) };
  }

  /** Creates the indexes the queries rely on; a no-op for those that exist. */
  async ensureIndexes(): Promise<void> {
    for (const model of Object.values(this.models)) await model.createIndexes();
    await this.ensureSeenEventExpiry();
  }

  private async ensureSeenEventExpiry(): Promise<void> {
    const collection = this.models.seenEvents.collection;
    try {
      await collection.createIndex(
        { seenAt: 1 },
        { name: INDEXES.seenEventExpiry, expireAfterSeconds: Math.ceil(this.seenEventWindowMs / 1000) },
      );
      this.pruneSeenEventsAfter = null;
    } catch (error) {
      if (!isNotImplemented(error)) throw error;
      // FerretDB 1.x: "Index option expireAfterSeconds is not implemented yet". markEventSeen
      // ignores old entries anyway; this plain index keeps the periodic prune cheap.
      await collection.createIndex({ seenAt: 1 }, { name: INDEXES.seenEventExpiry });
      this.pruneSeenEventsAfter = 60 * 60 * 1000;
      this.logger.info('MongoDB server does not support TTL indexes; seen event ids are pruned by the bot instead');
    }
  }

  // ---- cycles ----

  async openCycle(teamId: string, week: string, createdAt: Date): Promise<Cycle> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await this.models.cycles.findOne({ teamId, week }).lean<CycleDoc>();
      if (existing) return toCycle(existing);
      try {
        await this.models.cycles.create({ teamId, week, status: 'open', createdAt, posts: [] });
      } catch (error) {
        // Another replica opened it first: read theirs.
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new Error(`could not open cycle ${teamId} ${week}`);
  }

  async getCycle(teamId: string, week: string): Promise<Cycle | null> {
    const doc = await this.models.cycles.findOne({ teamId, week }).lean<CycleDoc>();
    return doc ? toCycle(doc) : null;
  }

  async listCycles(teamId: string, limit: number): Promise<Cycle[]> {
    if (limit <= 0) return [];
    const docs = await this.models.cycles.find({ teamId }).sort({ week: -1 }).limit(limit).lean<CycleDoc[]>();
    return docs.map(toCycle);
  }

  async markPublished(teamId: string, week: string, posts: PostedMessage[], at: Date): Promise<Cycle> {
    // Publishing runs under a job claim, so there is one writer; a cycle published without
    // having been opened is opened first (with the publish time as its creation time).
    const opened = await this.openCycle(teamId, week, at);
    const doc = await this.models.cycles
      .findOneAndUpdate(
        { teamId, week },
        { $set: { status: 'published', publishedAt: at, firstPublishedAt: opened.firstPublishedAt ?? at, posts } },
        { returnDocument: 'after', runValidators: true },
      )
      .lean<CycleDoc>();
    if (!doc) throw new Error(`cycle ${teamId} ${week} vanished while being published`);
    return toCycle(doc);
  }

  // ---- submissions ----

  async recordSubmission(input: SubmissionInput): Promise<RecordSubmissionResult> {
    const { submissions } = this.models;
    const key = { teamId: input.teamId, week: input.week, sectionId: input.sectionId, owner: input.owner };
    // Each pass either stores revision max+1 or learns that someone else stored something first
    // (this delivery, or another revision of this owner's section) and looks again. Both unique
    // indexes together make the revisions 1, 2, 3… with neither gap nor repeat.
    for (let attempt = 0; attempt < MAX_RECORD_ATTEMPTS; attempt++) {
      // With basedOnRevision, a redelivery is found by the insert itself (the unique event-id index
      // refuses it, and the event is looked up then): one read less per reply, a full scan on FerretDB.
      if (input.basedOnRevision === undefined) {
        const recorded = await submissions.findOne({ platform: input.platform, eventId: input.eventId }).lean<SubmissionDoc>();
        if (recorded) return { submission: toStoredSubmission(recorded), duplicate: true };
      }

      const revision =
        input.basedOnRevision !== undefined
          ? input.basedOnRevision + 1
          : ((await submissions.findOne(key, { revision: 1 }).sort({ revision: -1 }).lean<Pick<SubmissionDoc, 'revision'>>())?.revision ?? 0) + 1;
      const doc: SubmissionDoc = { ...key, revision, platform: input.platform, eventId: input.eventId, rawText: input.rawText, content: input.content, receivedAt: input.receivedAt };
      if (input.sourceMessageId !== undefined) doc.sourceMessageId = input.sourceMessageId;
      if (input.rawPayload !== undefined) Object.assign(doc, encodeRawPayload(input.rawPayload));
      if (input.parts !== undefined) doc.parts = input.parts;
      if (input.skipped) doc.skipped = true;
      try {
        await submissions.create(doc);
        return { submission: toSubmission(input, revision), duplicate: false };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // A revision computed from an older one: the caller reads again, unless this was a redelivery.
        if (input.basedOnRevision !== undefined) {
          const redelivered = await submissions.findOne({ platform: input.platform, eventId: input.eventId }).lean<SubmissionDoc>();
          if (redelivered) return { submission: toStoredSubmission(redelivered), duplicate: true };
          throw new RevisionConflict(`revision ${revision} of ${JSON.stringify(key)} exists already`);
        }
        // Spread contenders out a little so that a burst settles in a few passes.
        await delay(Math.floor(Math.random() * Math.min(20, 2 + attempt * 2)));
      }
    }
    throw new Error(
      `could not record submission ${input.platform}/${input.eventId} after ${MAX_RECORD_ATTEMPTS} attempts: ` +
        'too many concurrent writers for one section',
    );
  }

  async latestSubmissions(teamId: string, week: string): Promise<LatestSubmission[]> {
    return (await this.weekAnswers.read(week, teamId)) ?? [];
  }

  async submissionHistory(key: PromptKey): Promise<Submission[]> {
    const docs = await this.models.submissions.find(promptFilter(key)).sort({ revision: 1 }).lean<SubmissionDoc[]>();
    return docs.map(toStoredSubmission);
  }

  async latestSubmission(key: PromptKey): Promise<LatestSubmission | null> {
    const doc = await this.models.submissions
      .findOne(promptFilter(key))
      .select({ rawPayload: 0, rawPayloadEncoding: 0 })
      .sort({ revision: -1 })
      .lean<SubmissionDoc>();
    return doc ? toStoredSubmission(doc) : null;
  }

  async findSubmissionBySourceMessage(platform: PlatformName, sourceMessageId: string): Promise<Submission | null> {
    const doc = await this.models.submissions
      .findOne({ platform, sourceMessageId })
      .sort({ revision: -1 })
      .lean<SubmissionDoc>();
    return doc ? toStoredSubmission(doc) : null;
  }

  // ---- prompts ----

  async recordAbsence(absence: Absence): Promise<void> {
    try {
      await this.models.absences.create(absence);
    } catch (error) {
      // The same person and range again (a repeated command): kept once.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async listAbsences(teamId: string): Promise<Absence[]> {
    const docs = await this.models.absences.find({ teamId }).sort({ at: 1 }).lean<Absence[]>();
    return docs.map((d) => ({ teamId: d.teamId, person: d.person, from: d.from, to: d.to, setBy: d.setBy, at: d.at }));
  }

  async recordDelegation(delegation: Delegation): Promise<void> {
    try {
      await this.models.delegations.create(delegation);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async listDelegations(teamId: string, week: string): Promise<Delegation[]> {
    const docs = await this.models.delegations.find({ teamId, week }).sort({ at: 1 }).lean<Delegation[]>();
    return docs.map((d) => ({ teamId: d.teamId, week: d.week, sectionId: d.sectionId, person: d.person, setBy: d.setBy, at: d.at }));
  }

  async reservePrompt(key: PromptKey, platform: PlatformName, at: Date, holder?: string): Promise<PromptReservation | null> {
    const { prompts } = this.models;
    const filter = promptFilter(key);
    const reservation = { ...filter, platform, state: 'sending' as const, createdAt: at, reservedAt: at, ...(holder ? { holder } : {}) };
    if (await insertUnlessExists(() => prompts.create(reservation))) return 'new';

    // Someone holds it. A 'sending' reservation not renewed for the stale time belongs to a sender
    // that crashed or failed: the insert of its takeover record decides which contender resumes
    // it. The reservation itself is never deleted, so a contender can never find it missing and
    // take a prompt that may have been delivered for a new one.
    const stale = await prompts
      .findOne({ ...filter, state: 'sending', reservedAt: { $lt: new Date(at.getTime() - this.promptSendingStaleMs) } })
      .lean<PromptDoc>();
    if (!stale) return null;
    // Sent and recorded: a prompt stays 'sending' once its send is recorded (PromptSendDoc).
    if (await this.models.promptSends.exists(filter)) return null;
    const takeover = stale.takeovers ?? 0;
    if (!(await insertUnlessExists(() => this.models.promptTakeovers.create({ ...filter, takeover, at })))) return null;
    const resumed = await prompts.updateOne(
      { ...filter, state: 'sending' },
      holder ? { $set: { platform, reservedAt: at, takeovers: takeover + 1, holder } } : { $set: { platform, reservedAt: at, takeovers: takeover + 1 }, $unset: { holder: 1 } },
    );
    // Sent after all, by a sender that was only slow.
    if (resumed.matchedCount === 0) return null;
    this.logger.warn(
      { ...key, reservedAt: stale.reservedAt },
      'took over a prompt left in "sending" (its sender crashed or failed); looking for it before sending it again',
    );
    return 'resumed';
  }

  async renewPromptReservation(key: PromptKey, at: Date): Promise<void> {
    // Only a reservation that is not stale yet: a stale one may be being taken over right now.
    const fresh = { $gte: new Date(at.getTime() - this.promptSendingStaleMs) };
    await this.models.prompts.updateOne({ ...promptFilter(key), state: 'sending', reservedAt: fresh }, { $set: { reservedAt: at } });
  }

  async markPromptSent(key: PromptKey, ref: { channel: string; messageId: string }, at: Date): Promise<void> {
    // An insert, not an update of the prompt (see PromptSendDoc): the first record of a prompt stands.
    await insertUnlessExists(() => this.models.promptSends.create({ ...promptFilter(key), channel: ref.channel, messageId: ref.messageId, sentAt: at }));
  }

  async releasePrompt(key: PromptKey): Promise<void> {
    // Not deleted: stale at once, so that whoever reserves it next resumes it and looks for the
    // message first (the failed call may have delivered it).
    await this.models.prompts.updateOne({ ...promptFilter(key), state: 'sending' }, { $set: { reservedAt: new Date(0) } });
  }

  async markPromptAnswered(key: PromptKey): Promise<void> {
    await this.models.prompts.updateOne({ ...promptFilter(key), state: { $ne: 'answered' } }, { $set: { state: 'answered' } });
  }

  async claimReminder(key: PromptKey, at: Date): Promise<boolean> {
    const filter = promptFilter(key);
    const prompt = await this.models.prompts.findOne(filter, { state: 1 }).lean<Pick<PromptDoc, 'state'>>();
    if (prompt?.state !== 'sending' || !(await this.models.promptSends.exists(filter))) return false;
    // The reminder record is the claim: its unique index lets exactly one caller through.
    if (!(await insertUnlessExists(() => this.models.promptReminders.create({ ...filter, remindedAt: at })))) return false;
    await this.models.prompts.updateOne({ ...filter, state: 'sending' }, { $set: { state: 'reminded', remindedAt: at } });
    return true;
  }

  async listPrompts(teamId: string, week: string): Promise<Prompt[]> {
    const [docs, sends] = await Promise.all([
      this.models.prompts.find({ teamId, week }).lean<PromptDoc[]>(),
      this.models.promptSends.find({ teamId, week }).lean<PromptSendDoc[]>(),
    ]);
    const sendOf = new Map(sends.map((send) => [promptId(send), send]));
    return docs.map((doc) => toPrompt(doc, sendOf.get(promptId(doc)))).sort(compareSubmissionKeys);
  }

  async findPromptByMessage(platform: PlatformName, messageId: string): Promise<Prompt | null> {
    // Message ids are the platform's; the prompt says which platform it went to.
    for (const send of await this.models.promptSends.find({ messageId }).lean<PromptSendDoc[]>()) {
      const doc = await this.models.prompts.findOne(promptFilter(send)).lean<PromptDoc>();
      if (doc?.platform === platform) return toPrompt(doc, send);
    }
    return null;
  }

  // ---- job runs ----

  async claimJobRun(key: JobRunKey, holder: string, now: Date, leaseMs: number): Promise<boolean> {
    const { jobRuns } = this.models;
    const filter = jobFilter(key);
    const run = { ...filter, holder, state: 'running' as const, leaseUntil: new Date(now.getTime() + leaseMs), startedAt: now };
    if (await insertUnlessExists(() => jobRuns.create({ ...run, takeovers: 0 }))) return true;

    // Same takeover as reservePrompt: delete exactly the expired lease, then let the unique index
    // pick one contender. A finished run is never matched.
    const expired = await jobRuns
      .findOne({ ...filter, state: 'running', leaseUntil: { $lt: now } })
      .lean<{ _id: unknown; holder: string; leaseUntil: Date; takeovers: number }>();
    if (!expired) return false;
    await jobRuns.deleteOne({ _id: expired._id, state: 'running', holder: expired.holder, leaseUntil: expired.leaseUntil });
    const taken = await insertUnlessExists(() => jobRuns.create({ ...run, takeovers: expired.takeovers + 1 }));
    if (taken) {
      this.logger.warn(
        { ...key, holder, previousHolder: expired.holder, leaseUntil: expired.leaseUntil },
        'took over a job run whose lease expired unfinished',
      );
    }
    return taken;
  }

  async releaseHolder(holder: string): Promise<ReleasedClaims> {
    // The holder is dead (a restarted replica's previous life), so nothing races these writes.
    const runs = await this.models.jobRuns.deleteMany({ holder, state: 'running' });
    const publications = await this.models.publications.deleteMany({ holder, state: 'running' });
    // Stale at once, as releasePrompt does: the next reservation resumes it and looks for the message first.
    const prompts = await this.models.prompts.updateMany({ holder, state: 'sending' }, { $set: { reservedAt: new Date(0) } });
    return { jobRuns: runs.deletedCount, publications: publications.deletedCount, prompts: prompts.modifiedCount };
  }

  async renewJobRun(key: JobRunKey, holder: string, now: Date, leaseMs: number): Promise<boolean> {
    const { jobRuns } = this.models;
    const filter = jobFilter(key);
    // An expired lease is not renewed: a contender may be taking it over (claimJobRun deletes it by
    // its old leaseUntil, which this update would otherwise race).
    const result = await jobRuns.updateOne(
      { ...filter, holder, state: 'running', leaseUntil: { $gte: now } },
      { $set: { leaseUntil: new Date(now.getTime() + leaseMs) } },
    );
    if (result.matchedCount === 0) return false;
    // FerretDB applies an update as an unisolated read-modify-write, so read back that the run is
    // still ours: a takeover deletes the document and inserts its own.
    const current = await jobRuns.findOne(filter, { holder: 1, state: 1 }).lean<{ holder: string; state: string }>();
    return current?.holder === holder && current.state === 'running';
  }

  async finishJobRun(key: JobRunKey, holder: string, now: Date): Promise<void> {
    const result = await this.models.jobRuns.updateOne(
      { ...jobFilter(key), holder, state: 'running' },
      { $set: { state: 'done', finishedAt: now } },
    );
    if (result.matchedCount === 0 && !(await this.models.jobRuns.exists({ ...jobFilter(key), holder, state: 'done' }))) {
      this.logger.warn({ ...key, holder }, 'finished a job run this holder no longer held (its lease was taken over)');
    }
  }

  async releaseJobRun(key: JobRunKey, holder: string): Promise<void> {
    // Deleting the running claim lets the unique index admit the next claimant.
    await this.models.jobRuns.deleteOne({ ...jobFilter(key), holder, state: 'running' });
  }

  async isJobRunDone(key: JobRunKey): Promise<boolean> {
    return (await this.models.jobRuns.exists({ ...jobFilter(key), state: 'done' })) !== null;
  }

  // ---- publications ----

  async claimPublication(teamId: string, week: string, contentHash: string, holder: string, now: Date, leaseMs: number): Promise<PublicationClaimResult> {
    const { publications } = this.models;
    // The insert of a sequence is the claim: of contenders for the same one, the unique index
    // admits one; the others read again and find it running.
    for (let attempt = 0; attempt < 5; attempt++) {
      const last = await publications.findOne({ teamId, week }).sort({ sequence: -1 }).lean<PublicationDoc & { _id: unknown }>();
      let sequence: number;
      if (last?.state === 'running') {
        if (last.leaseUntil >= now) return { status: 'busy' };
        // Its holder crashed: delete exactly that claim, then contend for the same sequence.
        await publications.deleteOne({ _id: last._id, state: 'running', holder: last.holder, leaseUntil: last.leaseUntil });
        sequence = last.sequence;
      } else {
        if (last?.contentHash === contentHash) return { status: 'unchanged' };
        sequence = (last?.sequence ?? 0) + 1;
      }
      const claim = { teamId, week, sequence };
      const doc: PublicationDoc = { ...claim, contentHash, holder, state: 'running', leaseUntil: new Date(now.getTime() + leaseMs), startedAt: now };
      if (await insertUnlessExists(() => publications.create(doc))) {
        if (last?.state === 'running') this.logger.warn({ ...claim, holder, previousHolder: last.holder }, 'took over a publication whose lease expired unfinished');
        return { status: 'claimed', claim };
      }
    }
    return { status: 'busy' };
  }

  async finishPublication(claim: PublicationClaim, holder: string, now: Date): Promise<void> {
    await this.models.publications.updateOne({ ...publicationFilter(claim), holder, state: 'running' }, { $set: { state: 'done', finishedAt: now } });
  }

  async releasePublication(claim: PublicationClaim, holder: string): Promise<void> {
    await this.models.publications.deleteOne({ ...publicationFilter(claim), holder, state: 'running' });
  }

  // ---- goal reviews ----

  async recordGoalReview(input: GoalReviewInput): Promise<RecordGoalReviewResult> {
    const { goalReviews } = this.models;
    const key = { teamId: input.teamId, week: input.week, sectionId: input.sectionId };
    // As recordSubmission: the insert of revision max+1 is the decision; a contender that lost it
    // learns whether it was this very delivery (a duplicate) or another review, and tries again.
    for (let attempt = 0; attempt < MAX_RECORD_ATTEMPTS; attempt++) {
      const recorded = await goalReviews.findOne({ platform: input.platform, eventId: input.eventId }).lean<GoalReviewDoc>();
      if (recorded) return { review: toGoalReview(recorded), duplicate: true };
      const last = await goalReviews.findOne(key, { revision: 1 }).sort({ revision: -1 }).lean<Pick<GoalReviewDoc, 'revision'>>();
      const review: GoalReviewRecord = { ...input, revision: (last?.revision ?? 0) + 1 };
      if (await insertUnlessExists(() => goalReviews.create(review))) return { review: toGoalReview(review), duplicate: false };
      await delay(Math.floor(Math.random() * Math.min(20, 2 + attempt * 2)));
    }
    throw new Error(`could not record goal review ${input.platform}/${input.eventId} after ${MAX_RECORD_ATTEMPTS} attempts`);
  }

  async listGoalReviews(teamId: string, week: string): Promise<GoalReviewRecord[]> {
    const docs = await this.models.goalReviews.find({ teamId, week }).sort({ sectionId: 1, revision: 1 }).lean<GoalReviewDoc[]>();
    return docs.map(toGoalReview);
  }

  // ---- seen events ----

  async markEventSeen(platform: PlatformName, eventId: string, now: Date): Promise<boolean> {
    const { seenEvents } = this.models;
    const create = (): Promise<unknown> => seenEvents.create({ platform, eventId, seenAt: now });
    if (await insertUnlessExists(create)) {
      this.pruneSeenEvents(now);
      return true;
    }
    // Seen before the window: as good as expired, whether or not the server has removed it yet.
    const cutoff = new Date(now.getTime() - this.seenEventWindowMs);
    const old = await seenEvents.findOne({ platform, eventId, seenAt: { $lt: cutoff } }).lean<{ _id: unknown; seenAt: Date }>();
    if (!old) return false;
    await seenEvents.deleteOne({ _id: old._id, seenAt: old.seenAt });
    return insertUnlessExists(create);
  }

  private pruneSeenEvents(now: Date): void {
    if (this.pruneSeenEventsAfter === null || now.getTime() - this.lastSeenEventPrune < this.pruneSeenEventsAfter) return;
    this.lastSeenEventPrune = now.getTime();
    const cutoff = new Date(now.getTime() - this.seenEventWindowMs);
    // Housekeeping, off the event's path; a failure only postpones it.
    this.models.seenEvents.deleteMany({ seenAt: { $lt: cutoff } }).catch((error: unknown) => {
      this.logger.warn({ reason: safeErrorText(error, this.uri) }, 'could not prune old seen event ids');
    });
  }

  async ping(): Promise<boolean> {
    // Not while disconnected: the command would wait for a server for serverSelectionTimeoutMS.
    if (this.connection.readyState !== STATES.connected || !this.connection.db) return false;
    try {
      await this.connection.db.command({ ping: 1 });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.unwatch();
    await this.connection.destroy();
  }
}

const MAX_RECORD_ATTEMPTS = 100;

function isDuplicateKey(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 11000 || code === 11001;
}

function isNotImplemented(error: unknown): boolean {
  const e = error as { code?: unknown; codeName?: unknown; message?: unknown } | null;
  // 238 NotImplemented (FerretDB), 115 CommandNotSupported, 67 CannotCreateIndex.
  return e?.code === 238 || e?.code === 115 || e?.code === 67 || e?.codeName === 'NotImplemented';
}

/** Runs an insert; false when a unique index refused it because the document exists. */
async function insertUnlessExists(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

const promptFilter = (key: PromptKey): PromptKey => ({
  teamId: key.teamId,
  week: key.week,
  sectionId: key.sectionId,
  owner: key.owner,
});

const jobFilter = (key: JobRunKey): JobRunKey => ({ teamId: key.teamId, week: key.week, job: key.job });

const publicationFilter = (claim: PublicationClaim): PublicationClaim => ({ teamId: claim.teamId, week: claim.week, sequence: claim.sequence });

function toCycle(doc: CycleDoc): Cycle {
  const cycle: Cycle = {
    teamId: doc.teamId,
    week: doc.week,
    status: doc.status,
    createdAt: doc.createdAt,
    posts: (doc.posts ?? []).map((p) => ({
      platform: p.platform,
      channel: p.channel,
      messageId: p.messageId,
      role: p.role,
      index: p.index,
      ...(p.contentHash ? { contentHash: p.contentHash } : {}),
    })),
  };
  if (doc.publishedAt) cycle.publishedAt = doc.publishedAt;
  if (doc.firstPublishedAt) cycle.firstPublishedAt = doc.firstPublishedAt;
  return cycle;
}

function toStoredSubmission(doc: SubmissionDoc): Submission {
  const input: SubmissionInput = {
    teamId: doc.teamId,
    week: doc.week,
    sectionId: doc.sectionId,
    owner: doc.owner,
    platform: doc.platform,
    eventId: doc.eventId,
    rawText: doc.rawText,
    content: doc.content as SubmissionInput['content'],
    receivedAt: doc.receivedAt,
  };
  if (doc.sourceMessageId !== undefined && doc.sourceMessageId !== null) input.sourceMessageId = doc.sourceMessageId;
  if (doc.rawPayload !== undefined) input.rawPayload = decodeRawPayload(doc.rawPayload, doc.rawPayloadEncoding);
  if (doc.parts) input.parts = doc.parts.map((p) => ({ ...(p.messageId ? { messageId: p.messageId } : {}), text: p.text, rawText: p.rawText }));
  if (doc.skipped) input.skipped = true;
  return toSubmission(input, doc.revision);
}

function toGoalReview(doc: GoalReviewDoc): GoalReviewRecord {
  return {
    teamId: doc.teamId,
    week: doc.week,
    sectionId: doc.sectionId,
    goalsWeek: doc.goalsWeek,
    owner: doc.owner,
    platform: doc.platform,
    eventId: doc.eventId,
    marks: doc.marks.map((m) => ({ goal: m.goal, status: m.status, ...(m.note !== undefined && m.note !== null ? { note: m.note } : {}) })),
    rawText: doc.rawText,
    receivedAt: doc.receivedAt,
    revision: doc.revision,
  };
}

/** A prompt as stored, with where it was sent when that is recorded: 'sending' with a record is 'sent'. */
function toPrompt(doc: PromptDoc, send?: PromptSendDoc): Prompt {
  const prompt: Prompt = {
    teamId: doc.teamId,
    week: doc.week,
    sectionId: doc.sectionId,
    owner: doc.owner,
    platform: doc.platform,
    state: doc.state === 'sending' && send ? 'sent' : doc.state,
    createdAt: doc.createdAt,
  };
  if (send) Object.assign(prompt, { channel: send.channel, messageId: send.messageId, sentAt: send.sentAt });
  if (doc.remindedAt != null) prompt.remindedAt = doc.remindedAt;
  return prompt;
}

const promptId = (key: PromptKey) => [key.teamId, key.week, key.sectionId, key.owner].join('\u0000');
