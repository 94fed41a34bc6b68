import type { SectionContent } from '../report/model.ts';

/**
 * The domain operations the handlers need from storage. Two implementations: MongoStore
 * (mongoose, production) and MemoryStore (local runs and demos). One contract suite
 * (test/store/contract.ts) runs against both.
 *
 * Every write is safe under concurrency without transactions: two bot replicas, or a platform
 * retrying an event, can call any of these at the same time.
 */

export type PlatformName = 'slack' | 'feishu' | 'console';

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
  reportId: string;
  /** ISO week, `2024-W23`. */
  week: string;
  status: 'open' | 'published';
  /** When the week was opened; printed as the report's "Created" time. */
  createdAt: Date;
  publishedAt?: Date;
  posts: PostedMessage[];
}

export interface SubmissionInput {
  reportId: string;
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
  content: SectionContent;
  receivedAt: Date;
}

export interface Submission extends SubmissionInput {
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
  reportId: string;
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

export interface JobRunKey {
  reportId: string;
  week: string;
  job: 'open' | 'remind' | 'publish';
}

export interface Store {
  /** Opens the week's cycle, or returns it unchanged when it exists. */
  openCycle(reportId: string, week: string, createdAt: Date): Promise<Cycle>;
  getCycle(reportId: string, week: string): Promise<Cycle | null>;
  /** Weeks of a report, newest first. */
  listCycles(reportId: string, limit: number): Promise<Cycle[]>;
  /** Records the messages a cycle was posted as and marks it published (again, on re-publish). */
  markPublished(reportId: string, week: string, posts: PostedMessage[], at: Date): Promise<Cycle>;

  recordSubmission(input: SubmissionInput): Promise<RecordSubmissionResult>;
  /**
   * The latest revision of each (section, owner) of a week, without raw payloads: status,
   * previews and the report never need them, and they are most of a submission's size
   * (submissionHistory has them).
   */
  latestSubmissions(reportId: string, week: string): Promise<LatestSubmission[]>;
  /** Every revision of one owner's section in a week, oldest first. */
  submissionHistory(key: PromptKey): Promise<Submission[]>;
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
  listPrompts(reportId: string, week: string): Promise<Prompt[]>;
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

  /**
   * Remembers a platform event id; returns true the first time, false for a duplicate delivery.
   * Entries expire after SEEN_EVENT_WINDOW_MS (./policy.ts).
   */
  markEventSeen(platform: PlatformName, eventId: string, now: Date): Promise<boolean>;

  close(): Promise<void>;
}
