import { BotError } from '../errors.ts';
import type { SectionContent } from '../report/model.ts';
import type { GoalMark } from '../report/goals.ts';

/**
 * The domain operations the handlers need from storage. Two implementations: MongoStore
 * (mongoose, production) and MemoryStore (local runs and demos). One contract suite
 * (test/store/contract.ts) runs against both.
 *
 * Every write is safe under concurrency without transactions: two bot replicas, or a platform
 * retrying an event, can call any of these at the same time.
 */

import type { PlatformName } from '../platforms/platform.ts';
import type { StoreDescription } from './policy.ts';

export type { PlatformName };

/** A message the bot posted, so that it can be updated rather than posted again. */
export interface PostedMessage {
  platform: PlatformName;
  /** Channel or chat id. */
  channel: string;
  /** Slack ts / Feishu message_id / console id. */
  messageId: string;
  /** What the message is: the digest header, the n-th body part, the Markdown file. */
  role: 'header' | 'body' | 'file';
  index: number;
  /** For files: sha-256 of the content, so an unchanged report is not attached again. */
  contentHash?: string;
}

export interface Cycle {
  teamId: string;
  /** ISO week, `2024-W23`. */
  week: string;
  status: 'open' | 'published';
  /** When the week was opened; printed as the report's "Created" time. */
  createdAt: Date;
  publishedAt?: Date;
  /** When the report was first posted: answers after it are late, and the header says so. */
  firstPublishedAt?: Date;
  posts: PostedMessage[];
  /**
   * Opened by `npm run seed` (src/seed/): a sample week, not a team's own. Set only when the seed's
   * openCycle created the cycle; the seed never writes into a week without it.
   */
  seeded?: true;
}

/**
 * The week's report as a document on one platform (a Slack canvas, a Feishu docx): recorded once
 * when it is created, so that every later publication replaces the content of the same document
 * and the digest links to the same URL.
 */
export interface ReportDocumentRecord {
  teamId: string;
  week: string;
  platform: PlatformName;
  /** The platform's id of the document (canvas id, docx document id). */
  id: string;
  /** The link people open. */
  url: string;
  createdAt: Date;
}

/** How openCycle opens a week it creates (a week that exists is returned as it is). */
export interface OpenCycleOptions {
  /** The seed's sample week (Cycle.seeded). */
  seeded?: true;
}

/**
 * One message of an owner's answer. Owners press Enter and send a section as several messages: the
 * answer is all of them, in order (an edit replaces its part, a deletion removes it, a form
 * replaces them all with one part).
 */
export interface AnswerPart {
  /** The chat message it came from; absent for a form, which replaces the whole answer. */
  messageId?: string;
  /** The part as the parser reads it (the platform's markup converted to text). */
  text: string;
  /** Exactly what the owner typed. */
  rawText: string;
}

export interface SubmissionInput {
  teamId: string;
  week: string;
  sectionId: string;
  /** Key of `people` in the team definition. */
  owner: string;
  platform: PlatformName;
  /**
   * Identifies the delivery: the platform's event id (or channel+ts). The same eventId
   * recorded twice stores one revision.
   */
  eventId: string;
  /** The chat message this came from, so an edit of it can be matched; optional. */
  sourceMessageId?: string;
  rawText: string;
  rawPayload?: unknown;
  /** Every message of the answer as of this revision; absent on revisions from before parts (one part: rawText). */
  parts?: AnswerPart[];
  /** The owner said "nothing this week" (skip): the section prints its skip text. */
  skipped?: boolean;
  /**
   * The owner started over (`重写`) and has sent nothing new since: the answer is empty. After the
   * report went out, the posted report keeps the answer as it was posted until they do.
   */
  startedOver?: boolean;
  content: SectionContent;
  receivedAt: Date;
  /**
   * The revision this one was computed from (its parts): the store keeps it only as revision
   * basedOnRevision + 1, and throws RevisionConflict when another revision got there first.
   */
  basedOnRevision?: number;
}

/** Another revision of the same answer was stored meanwhile: read it again and recompute. */
export class RevisionConflict extends BotError {
  override name = 'RevisionConflict';
  constructor(message: string, options?: ErrorOptions) {
    super('revision_conflict', message, options);
  }
}

export interface Submission extends Omit<SubmissionInput, 'basedOnRevision'> {
  /** 1 for the first answer of this owner for this section in this week, +1 per edit. */
  revision: number;
}

/** A submission as the week's overview needs it: everything but the raw platform payload. */
export type LatestSubmission = Omit<Submission, 'rawPayload'>;

export interface RecordSubmissionResult {
  submission: Submission;
  /** True when this eventId had already been recorded: nothing new was stored. */
  duplicate: boolean;
}

export type PromptState = 'sending' | 'sent' | 'answered' | 'reminded';

export interface PromptKey {
  teamId: string;
  week: string;
  sectionId: string;
  owner: string;
}

/** What `releaseHolder` gave back. */
export interface ReleasedClaims {
  jobRuns: number;
  publications: number;
  prompts: number;
}

export interface Prompt extends PromptKey {
  platform: PlatformName;
  /** Where the prompt was sent (DM channel or chat) and its message id, once sent. */
  channel?: string;
  messageId?: string;
  state: PromptState;
  createdAt: Date;
  sentAt?: Date;
  remindedAt?: Date;
}

/** A person away for a date range (`/weekly-report away`): not prompted or reminded, listed as away. */
export interface Absence {
  teamId: string;
  /** Key of `people` in the team definition. */
  person: string;
  /** Dates in the team's time zone, inclusive: `2024-06-03`. */
  from: string;
  to: string;
  /** Who said so (a lead's person key), and when. */
  setBy: string;
  at: Date;
}

/** A section handed to someone else for one week (`/weekly-report delegate`); the latest counts. */
export interface Delegation {
  teamId: string;
  week: string;
  sectionId: string;
  /** Key of `people`: who answers the section that week. */
  person: string;
  setBy: string;
  at: Date;
}

/** Cancelling an absence (`/weekly-report away cancel`): which one (person and range), who said so and when. */
export interface AbsenceCancellation {
  teamId: string;
  person: string;
  from: string;
  to: string;
  setBy: string;
  at: Date;
}

/** Cancelling a week's delegation of a section (`/weekly-report delegate cancel`): its usual owners answer it again. */
export interface DelegationCancellation {
  teamId: string;
  week: string;
  sectionId: string;
  setBy: string;
  at: Date;
}

export interface JobRunKey {
  teamId: string;
  week: string;
  job: 'open' | 'remind' | 'publish';
}

/**
 * How a prompt reservation was got: `new` (nobody tried to send it before), or `resumed` from a
 * sender that crashed or failed after trying: the message may have been delivered, so look for it
 * before sending it again.
 */
export type PromptReservation = 'new' | 'resumed';

/** One publication of a week's report (the first, or a republish after a change), in order. */
export interface PublicationClaim {
  teamId: string;
  week: string;
  /** 1 for the first publication, +1 for each republish. */
  sequence: number;
}

export type PublicationClaimResult =
  /** Ours to post: nobody published this content last, and nobody is publishing now. */
  | { status: 'claimed'; claim: PublicationClaim }
  /** The last publication was of exactly this content: there is nothing to do. */
  | { status: 'unchanged' }
  /** Another replica is publishing right now (its lease is live). */
  | { status: 'busy' };

/** One review of last week's goals, as typed (`目标 1 完成`) or chosen in a checklist. */
export interface GoalReviewInput {
  teamId: string;
  /** The week whose prompt reviews them. */
  week: string;
  /** The goals section reviewed. */
  sectionId: string;
  /** The week the goals were set in (the stored week before `week`). */
  goalsWeek: string;
  /** Key of `people`: who reviewed. */
  owner: string;
  platform: PlatformName;
  /** The delivery; the same one again is stored once. */
  eventId: string;
  marks: GoalMark[];
  /** Exactly what was typed (for an action, what it stands for, e.g. `goal 2 done`). */
  rawText: string;
  receivedAt: Date;
}

export interface GoalReviewRecord extends GoalReviewInput {
  /** 1, 2, 3… per (team, week, goals section), in the order they were stored. */
  revision: number;
}

export interface RecordGoalReviewResult {
  review: GoalReviewRecord;
  /** This delivery was stored before: nothing new was. */
  duplicate: boolean;
}

/**
 * How a read may be answered. Without options, every store reads what is stored now: anything
 * decided on a read (a refusal, a report, a publication) reads that way. A read that may be a
 * little old asks for `cached`: a caching store (CachingStore, ./caching-store.ts) then answers
 * from memory what it read or wrote itself recently enough; other stores ignore it.
 */
export interface ReadOptions {
  /** `true`: within the cache's time to live for that kind of read; `{ maxAgeMs }`: read or written at most that long ago. */
  cached?: true | { maxAgeMs: number };
}

/** A read that a caching store may answer from memory, within its time to live (ReadOptions). */
export const CACHED: Readonly<ReadOptions> = Object.freeze({ cached: true });

// ---- The store's roles ----
// Store is cut by role: each role is one family of collections with the operations on it, and has
// a Mongo implementation (./mongo/<role>.ts) and a memory one (./memory/<role>.ts). MongoStore and
// MemoryStore are each one implementation per role (./composite.ts); CachingStore wraps any Store.

/** The weeks of a report (cycles) and their publication. */
export interface CycleStore {
  /** Opens the week's cycle, or returns it unchanged when it exists. */
  openCycle(teamId: string, week: string, createdAt: Date, options?: OpenCycleOptions): Promise<Cycle>;
  /**
   * The week's cycle, or null. Cached (`options.cached`): a cycle once known, at any age (a cycle is
   * never removed), whose status may be out of date unless it is `published` (which is final).
   */
  getCycle(teamId: string, week: string, options?: ReadOptions): Promise<Cycle | null>;
  /** Weeks of a report, newest first. */
  listCycles(teamId: string, limit: number, options?: ReadOptions): Promise<Cycle[]>;
  /** Records the messages a cycle was posted as and marks it published (again, on re-publish). */
  markPublished(teamId: string, week: string, posts: PostedMessage[], at: Date): Promise<Cycle>;
  /**
   * Records the week's document on a platform (an insert under a unique index: one per team, week
   * and platform). The first record stands: recording another returns the one recorded first.
   */
  recordReportDocument(record: ReportDocumentRecord): Promise<ReportDocumentRecord>;
  /** The week's documents, one per platform, by platform name. */
  listReportDocuments(teamId: string, week: string): Promise<ReportDocumentRecord[]>;
}

/** The owners' answers: every revision of each owner's section of a week. */
export interface SubmissionStore {
  recordSubmission(input: SubmissionInput): Promise<RecordSubmissionResult>;
  /**
   * The latest revision of each (section, owner) of a week, without raw payloads: status,
   * previews and the report never need them, and they are most of a submission's size
   * (submissionHistory has them).
   */
  latestSubmissions(teamId: string, week: string, options?: ReadOptions): Promise<LatestSubmission[]>;
  /** Every revision of one owner's section in a week, oldest first. */
  submissionHistory(key: PromptKey): Promise<Submission[]>;
  /** The latest revision of one owner's section in a week, without its raw payload, or null. */
  latestSubmission(key: PromptKey, options?: ReadOptions): Promise<LatestSubmission | null>;
  /** The submission that came from a chat message, for edits of that message. */
  findSubmissionBySourceMessage(platform: PlatformName, sourceMessageId: string): Promise<Submission | null>;
}

/** The prompts sent to owners: reserved once, sent, answered or reminded. */
export interface PromptStore {
  /**
   * Reserves the prompt for (week, section, owner) before it is sent. Returns null when it was
   * already reserved (by this or another replica): the caller must not send it.
   * A reservation left in 'sending' and not renewed for PROMPT_SENDING_STALE_MS (./policy.ts), or
   * released after a failed send, belongs to a sender that crashed or failed mid-send: one caller
   * may then take it over (gets `resumed`), look for the message, and send it only if it is not there.
   * `holder` names the job run's holder sending it, so that `releaseHolder` can give it back after a restart.
   */
  reservePrompt(key: PromptKey, platform: PlatformName, at: Date, holder?: string): Promise<PromptReservation | null>;
  /**
   * Keeps a reservation that is being sent from going stale (the sender calls it while a send
   * waits on the platform, e.g. out a rate limit). A no-op once the reservation went stale or was sent.
   */
  renewPromptReservation(key: PromptKey, at: Date): Promise<void>;
  /** Records where a reserved prompt was sent. */
  markPromptSent(key: PromptKey, ref: { channel: string; messageId: string }, at: Date): Promise<void>;
  /**
   * Gives a reservation back after a failed send: the next caller of reservePrompt gets it at once,
   * as `resumed`, because the failed call may still have delivered the message.
   */
  releasePrompt(key: PromptKey): Promise<void>;
  markPromptAnswered(key: PromptKey): Promise<void>;
  /** Marks a reminder; returns false when this prompt was already reminded or answered. */
  claimReminder(key: PromptKey, at: Date): Promise<boolean>;
  listPrompts(teamId: string, week: string): Promise<Prompt[]>;
  findPromptByMessage(platform: PlatformName, messageId: string): Promise<Prompt | null>;
}

/** Who does a scheduled job or a publication: claims with a lease, taken over when their holder died. */
export interface ClaimStore {
  /**
   * Claims a scheduled job run. Exactly one caller gets true for a key, unless the holder's
   * lease expired without finishing (a crash mid fan-out), in which case one caller may take it over.
   */
  claimJobRun(key: JobRunKey, holder: string, now: Date, leaseMs: number): Promise<boolean>;
  /**
   * A restarted replica gives back what its previous life (`holder`, known to be dead) held: its
   * running job runs and publications are released and its 'sending' prompts made resumable at
   * once, so that the restart resumes now instead of after the leases and the stale time run out.
   */
  releaseHolder(holder: string): Promise<ReleasedClaims>;
  /**
   * The holder's heartbeat: extends its lease to now + leaseMs. Returns false, and extends nothing,
   * when the run is no longer this holder's (taken over, finished, released) or its lease already
   * expired: the holder must then stop.
   */
  renewJobRun(key: JobRunKey, holder: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Marks the run done; a no-op for a holder whose expired lease was taken over. */
  finishJobRun(key: JobRunKey, holder: string, now: Date): Promise<void>;
  /**
   * Gives an unfinished run back (e.g. some sends failed) so that the next sweep, on any replica,
   * can claim it at once instead of waiting for the lease to expire. Only the holder can release.
   */
  releaseJobRun(key: JobRunKey, holder: string): Promise<void>;
  isJobRunDone(key: JobRunKey): Promise<boolean>;

  /**
   * Claims the next publication of a week whose report now reads as `contentHash`, so that two
   * replicas (or a replayed command) post and upload it once. `unchanged` when the last finished
   * publication had this content; `busy` while another holder's live lease covers one. A holder
   * whose lease expired unfinished (a crash) is taken over by one caller.
   */
  claimPublication(teamId: string, week: string, contentHash: string, holder: string, now: Date, leaseMs: number): Promise<PublicationClaimResult>;
  /** Marks the publication done: publishing the same content again is then `unchanged`. */
  finishPublication(claim: PublicationClaim, holder: string, now: Date): Promise<void>;
  /** Gives an unfinished publication back (a platform failed), so that the next publish does it again. */
  releasePublication(claim: PublicationClaim, holder: string): Promise<void>;

  /**
   * The next number of a series (1, 2, 3 …), handed out once for good: however many callers ask
   * at once, on however many replicas, no two ever get the same one. The local chat numbers each
   * of its starts with it, so that its message ids never repeat on the same store.
   */
  claimNumber(series: string, at: Date): Promise<number>;
}

/**
 * A lead's plans: who is away, and who answers a section in a given week. A cancellation is a
 * record of its own (each change to one absence, or to one section's week, is the next in a
 * sequence under a unique index), so that two replicas, or a command run twice, change it once.
 */
export interface PlanStore {
  /** Records an absence; the same person and range again is kept once (recorded again after a cancellation, it is in force again). */
  recordAbsence(absence: Absence): Promise<void>;
  /** A team's absences in force (not cancelled), in the order they were recorded. */
  listAbsences(teamId: string, options?: ReadOptions): Promise<Absence[]>;
  /** Cancels an absence in force: true for the one call that did; false when it is not recorded, or cancelled already. */
  cancelAbsence(cancellation: AbsenceCancellation): Promise<boolean>;
  /** Records a delegation; naming the person it is handed to already is kept once, anyone else (again) is the latest. */
  recordDelegation(delegation: Delegation): Promise<void>;
  /** A week's delegations since each section's last cancellation, oldest first (a later one for the same section wins). */
  listDelegations(teamId: string, week: string, options?: ReadOptions): Promise<Delegation[]>;
  /** Cancels a section's delegation in the week: the one in force, for the one call that did; null when there is none. */
  cancelDelegation(cancellation: DelegationCancellation): Promise<Delegation | null>;
}

/** Reviews of last week's goals. */
export interface GoalReviewStore {
  /**
   * Stores one review of last week's goals (a message, or a checklist action) as the next revision
   * of the week's review of that goals section. The same delivery (platform + eventId) again stores
   * nothing and returns the revision it stored.
   */
  recordGoalReview(input: GoalReviewInput): Promise<RecordGoalReviewResult>;
  /** A week's goal reviews, every goals section, oldest revision first (later marks win). */
  listGoalReviews(teamId: string, week: string): Promise<GoalReviewRecord[]>;
}

/** Platform deliveries already handled. */
export interface EventStore {
  /**
   * Remembers a platform event id; returns true the first time, false for a duplicate delivery.
   * Entries expire after SEEN_EVENT_WINDOW_MS (./policy.ts).
   */
  markEventSeen(platform: PlatformName, eventId: string, now: Date): Promise<boolean>;
}

/** The store as a whole: whether it answers, where its data lives, closing it. */
export interface StoreLifecycle {
  /** True when the store answers (the health endpoint); false, never an error, when it does not. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** Where the data lives, for the start-up log line and the health endpoint. */
  describe(): StoreDescription;
}

/** One implementation of each data role, as a Store is made of (./composite.ts). */
export interface StoreRoles {
  cycles: CycleStore;
  submissions: SubmissionStore;
  prompts: PromptStore;
  claims: ClaimStore;
  plans: PlanStore;
  goalReviews: GoalReviewStore;
  events: EventStore;
}

/** Everything the handlers need from storage: every role. */
export interface Store extends CycleStore, SubmissionStore, PromptStore, ClaimStore, PlanStore, GoalReviewStore, EventStore, StoreLifecycle {}
