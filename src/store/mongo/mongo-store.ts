import { setTimeout as delay } from 'node:timers/promises';
import { STATES, type Connection } from 'mongoose';
import type { Logger } from '../../log.ts';
import { PROMPT_SENDING_STALE_MS, SEEN_EVENT_WINDOW_MS, type StoreDescription, type StoreTiming } from '../policy.ts';
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
  RecordSubmissionResult,
  Store,
  LatestSubmission,
  Submission,
  SubmissionInput,
} from '../store.ts';
import { describeMongoUri, openConnection, safeErrorText, watchConnection, type ConnectOptions } from './connect.ts';
import { decodeRawPayload, encodeRawPayload } from './raw-payload.ts';
import {
  allowPlatforms,
  createModels,
  INDEXES,
  type CycleDoc,
  type PromptDoc,
  type StoreModels,
  type SubmissionDoc,
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
      const recorded = await submissions.findOne({ platform: input.platform, eventId: input.eventId }).lean<SubmissionDoc>();
      if (recorded) return { submission: toStoredSubmission(recorded), duplicate: true };

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
    // FerretDB has no $group $first; a week holds a few dozen revisions, so pick in memory.
    const docs = await this.models.submissions
      .find({ teamId, week })
      .select({ rawPayload: 0, rawPayloadEncoding: 0 })
      .sort({ sectionId: 1, owner: 1, revision: 1 })
      .lean<SubmissionDoc[]>();
    const latest = new Map<string, SubmissionDoc>();
    for (const doc of docs) {
      const id = JSON.stringify([doc.sectionId, doc.owner]);
      const seen = latest.get(id);
      if (!seen || doc.revision > seen.revision) latest.set(id, doc);
    }
    return [...latest.values()].map(toStoredSubmission).sort(compareSubmissionKeys);
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

  async reservePrompt(key: PromptKey, platform: PlatformName, at: Date): Promise<boolean> {
    const { prompts } = this.models;
    const filter = promptFilter(key);
    const reservation = { ...filter, platform, state: 'sending' as const, createdAt: at, reservedAt: at };
    if (await insertUnlessExists(() => prompts.create(reservation))) return true;

    // Someone holds it. A 'sending' reservation older than the stale time belongs to a sender that
    // crashed before recording the send: delete exactly that reservation, then insert a new one.
    // The insert, not the delete, decides: of any number of contenders (and fresh reservers),
    // the unique index lets one in. The delete matches the stale document by _id and reservedAt,
    // so it can never remove a reservation another contender just made.
    const stale = await prompts
      .findOne({ ...filter, state: 'sending', reservedAt: { $lt: new Date(at.getTime() - this.promptSendingStaleMs) } })
      .lean<PromptDoc & { _id: unknown }>();
    if (!stale) return false;
    await prompts.deleteOne({ _id: stale._id, state: 'sending', reservedAt: stale.reservedAt });
    const taken = await insertUnlessExists(() => prompts.create({ ...reservation, createdAt: stale.createdAt }));
    if (taken) {
      this.logger.warn(
        { ...key, reservedAt: stale.reservedAt },
        'took over a prompt left in "sending" (its sender probably crashed); sending it again',
      );
    }
    return taken;
  }

  async markPromptSent(key: PromptKey, ref: { channel: string; messageId: string }, at: Date): Promise<void> {
    const filter = promptFilter(key);
    const sent = { channel: ref.channel, messageId: ref.messageId, sentAt: at };
    const result = await this.models.prompts.updateOne({ ...filter, state: 'sending' }, { $set: { ...sent, state: 'sent' } });
    // Already answered (a fast reply) or taken over: keep the state, still record where it went.
    if (result.matchedCount === 0) await this.models.prompts.updateOne(filter, { $set: sent });
  }

  async releasePrompt(key: PromptKey): Promise<void> {
    await this.models.prompts.deleteOne({ ...promptFilter(key), state: 'sending' });
  }

  async markPromptAnswered(key: PromptKey): Promise<void> {
    await this.models.prompts.updateOne({ ...promptFilter(key), state: { $ne: 'answered' } }, { $set: { state: 'answered' } });
  }

  async claimReminder(key: PromptKey, at: Date): Promise<boolean> {
    const filter = promptFilter(key);
    const prompt = await this.models.prompts.findOne(filter, { state: 1 }).lean<Pick<PromptDoc, 'state'>>();
    if (prompt?.state !== 'sent') return false;
    // The reminder record is the claim: its unique index lets exactly one caller through.
    if (!(await insertUnlessExists(() => this.models.promptReminders.create({ ...filter, remindedAt: at })))) return false;
    await this.models.prompts.updateOne({ ...filter, state: 'sent' }, { $set: { state: 'reminded', remindedAt: at } });
    return true;
  }

  async listPrompts(teamId: string, week: string): Promise<Prompt[]> {
    const docs = await this.models.prompts.find({ teamId, week }).lean<PromptDoc[]>();
    return docs.map(toPrompt).sort(compareSubmissionKeys);
  }

  async findPromptByMessage(platform: PlatformName, messageId: string): Promise<Prompt | null> {
    const doc = await this.models.prompts.findOne({ platform, messageId }).lean<PromptDoc>();
    return doc ? toPrompt(doc) : null;
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

function toPrompt(doc: PromptDoc): Prompt {
  const prompt: Prompt = {
    teamId: doc.teamId,
    week: doc.week,
    sectionId: doc.sectionId,
    owner: doc.owner,
    platform: doc.platform,
    state: doc.state,
    createdAt: doc.createdAt,
  };
  if (doc.channel != null) prompt.channel = doc.channel;
  if (doc.messageId != null) prompt.messageId = doc.messageId;
  if (doc.sentAt != null) prompt.sentAt = doc.sentAt;
  if (doc.remindedAt != null) prompt.remindedAt = doc.remindedAt;
  return prompt;
}
