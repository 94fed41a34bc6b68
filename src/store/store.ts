import type { SectionContent } from '../report/model.ts';

/**
 * The domain operations the handlers need from storage. Two implementations: MongoStore
 * (mongoose, production) and MemoryStore (local runs and demos). One contract suite
 * (test/store/contract.ts) runs against both.
 *
 * Every write is safe under concurrency without transactions: two bot replicas, or a platform
 * retrying an event, can call any of these at the same time.
 */

import type { PlatformName } from '../platforms/platform.ts';

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
  content: SectionContent;
  receivedAt: Date;
  /**
   * The revision this one was computed from (its parts): the store keeps it only as revision
   * basedOnRevision + 1, and throws RevisionConflict when another revision got there first.
   */
  basedOnRevision?: number;
}

/** Another revision of the same answer was stored meanwhile: read it again and recompute. */
export class RevisionConflict extends Error {
  override name = 'RevisionConflict';
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

export interface JobRunKey {
  teamId: string;
  week: string;
  job: 'open' | 'remind' | 'publish';
}

export interface Store {
  /** Opens the week's cycle, or returns it unchanged when it exists. */
  openCycle(teamId: string, week: string, createdAt: Date): Promise<Cycle>;
  getCycle(teamId: string, week: string): Promise<Cycle | null>;
  /** Weeks of a report, newest first. */
  listCycles(teamId: string, limit: number): Promise<Cycle[]>;
  /** Records the messages a cycle was posted as and marks it published (again, on re-publish). */
  markPublished(teamId: string, week: string, posts: PostedMessage[], at: Date): Promise<Cycle>;

  recordSubmission(input: SubmissionInput): Promise<RecordSubmissionResult>;
  /**
   * The latest revision of each (section, owner) of a week, without raw payloads: status,
   * previews and the report never need them, and they are most of a submission's size
   * (submissionHistory has them).
   */
  latestSubmissions(teamId: string, week: string): Promise<LatestSubmission[]>;
  /** Every revision of one owner's section in a week, oldest first. */
  submissionHistory(key: PromptKey): Promise<Submission[]>;
  /** The latest revision of one owner's section in a week, without its raw payload, or null. */
  latestSubmission(key: PromptKey): Promise<LatestSubmission | null>;
  /** The submission that came from a chat message, for edits of that message. */
  findSubmissionBySourceMessage(platform: PlatformName, sourceMessageId: string): Promise<Submission | null>;

  /**
   * Reserves the prompt for (week, section, owner) before it is sent. Returns false when it was
   * already reserved (by this or another replica): the caller must not send it.
   * A reservation still in 'sending' after PROMPT_SENDING_STALE_MS (./policy.ts) belongs to a
   * sender that crashed mid-send: one caller may then take it over (gets true) and send again.
   */
  reservePrompt(key: PromptKey, platform: PlatformName, at: Date): Promise<boolean>;
  /** Records where a reserved prompt was sent. */
  markPromptSent(key: PromptKey, ref: { channel: string; messageId: string }, at: Date): Promise<void>;
  /** Gives a reservation back after a failed send, so a later run sends it. */
  releasePrompt(key: PromptKey): Promise<void>;
  markPromptAnswered(key: PromptKey): Promise<void>;
  /** Marks a reminder; returns false when this prompt was already reminded or answered. */
  claimReminder(key: PromptKey, at: Date): Promise<boolean>;
  listPrompts(teamId: string, week: string): Promise<Prompt[]>;
  findPromptByMessage(platform: PlatformName, messageId: string): Promise<Prompt | null>;

  /**
   * Claims a scheduled job run. Exactly one caller gets true for a key, unless the holder's
   * lease expired without finishing (a crash mid fan-out), in which case one caller may take it over.
   */
  claimJobRun(key: JobRunKey, holder: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Marks the run done; a no-op for a holder whose expired lease was taken over. */
  finishJobRun(key: JobRunKey, holder: string, now: Date): Promise<void>;
  /**
   * Gives an unfinished run back (e.g. some sends failed) so that the next sweep, on any replica,
   * can claim it at once instead of waiting for the lease to expire. Only the holder can release.
   */
  releaseJobRun(key: JobRunKey, holder: string): Promise<void>;
  isJobRunDone(key: JobRunKey): Promise<boolean>;

  /** Records an absence; the same person and range again is kept once. */
  recordAbsence(absence: Absence): Promise<void>;
  /** A team's absences, in the order they were recorded. */
  listAbsences(teamId: string): Promise<Absence[]>;
  /** Records a delegation; the same section, week and person again is kept once. */
  recordDelegation(delegation: Delegation): Promise<void>;
  /** A week's delegations, oldest first (a later one for the same section wins). */
  listDelegations(teamId: string, week: string): Promise<Delegation[]>;

  /**
   * Remembers a platform event id; returns true the first time, false for a duplicate delivery.
   * Entries expire after SEEN_EVENT_WINDOW_MS (./policy.ts).
   */
  markEventSeen(platform: PlatformName, eventId: string, now: Date): Promise<boolean>;

  /** True when the store answers (the health endpoint); false, never an error, when it does not. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
