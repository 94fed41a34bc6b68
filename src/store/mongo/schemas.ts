import { Schema, type Connection, type Model } from 'mongoose';
import type { Cycle, PlatformName, PostedMessage, PromptState } from '../store.ts';
import type { RawPayloadEncoding } from './raw-payload.ts';

/**
 * The collections behind MongoStore. Each index is named so that test/store/indexes.test.ts can
 * check it on the real server; each says which queries it serves.
 *
 * Concurrency rests on unique indexes only. FerretDB, which the tests run against, applies an
 * update as read-modify-write without isolation (measured on 1.24: of ten concurrent conditional
 * updates of one document, several "win"; concurrent $inc and $push lose writes). An insert that
 * a unique index refuses is the one arbiter both servers get right, so every "exactly one caller"
 * decision in MongoStore is an insert.
 */

export const PLATFORMS = ['slack', 'feishu', 'console'] as const satisfies readonly PlatformName[];
export const PROMPT_STATES = ['sending', 'sent', 'answered', 'reminded'] as const satisfies readonly PromptState[];
export const JOBS = ['open', 'remind', 'publish'] as const;
export const SECTION_KINDS = ['list', 'text', 'entries'] as const;

export const COLLECTIONS = {
  cycles: 'cycles',
  submissions: 'submissions',
  prompts: 'prompts',
  promptReminders: 'prompt_reminders',
  seenEvents: 'seen_events',
  jobRuns: 'job_runs',
} as const;

export const INDEXES = {
  /** Unique week of a report. Serves getCycle, openCycle, markPublished, listCycles (reverse scan). */
  cycleKey: 'cycle_key',
  /** Unique delivery. Serves the duplicate check of recordSubmission. */
  submissionEvent: 'submission_event',
  /**
   * Unique revision of one owner's section. Serves the max-revision read of recordSubmission,
   * submissionHistory, and latestSubmissions (prefix reportId+week).
   */
  submissionRevision: 'submission_revision',
  /** Serves findSubmissionBySourceMessage (a message edit), newest revision first. */
  submissionSource: 'submission_source_message',
  /** Unique prompt of a week. Serves reservePrompt and every per-prompt update, listPrompts (prefix). */
  promptKey: 'prompt_key',
  /** Serves findPromptByMessage (a thread reply to a prompt). */
  promptMessage: 'prompt_message',
  /** Unique reminder of a prompt: claimReminder. */
  reminderKey: 'reminder_key',
  /** Unique event id: markEventSeen. */
  seenEventKey: 'seen_event_key',
  /** Expires seen events (MongoDB); on servers without TTL indexes, serves the pruning delete. */
  seenEventExpiry: 'seen_event_expiry',
  /** Unique scheduled run: claimJobRun, finishJobRun, isJobRunDone. */
  jobRunKey: 'job_run_key',
} as const;

const platform = { type: String, enum: PLATFORMS, required: true } as const;
const requiredString = { type: String, required: true } as const;
const requiredDate = { type: Date, required: true } as const;
const schemaOptions = { versionKey: false, minimize: false, strict: 'throw', id: false } as const;

/** A cycle is stored as it is: no field of it is derived or encoded. */
export type CycleDoc = Cycle;

const postedMessageSchema = new Schema<PostedMessage>(
  {
    platform,
    channel: requiredString,
    messageId: requiredString,
    role: { type: String, enum: ['header', 'body', 'file'], required: true },
    index: { type: Number, required: true, min: 0 },
    contentHash: { type: String, match: /^[0-9a-f]{64}$/ },
  },
  { _id: false, versionKey: false, strict: 'throw' },
);

export const cycleSchema = new Schema<CycleDoc>(
  {
    reportId: requiredString,
    week: requiredString,
    status: { type: String, enum: ['open', 'published'], required: true },
    createdAt: requiredDate,
    publishedAt: Date,
    posts: { type: [postedMessageSchema], default: [] },
  },
  { ...schemaOptions, collection: COLLECTIONS.cycles },
);
cycleSchema.index({ reportId: 1, week: 1 }, { unique: true, name: INDEXES.cycleKey });

export interface SubmissionDoc {
  reportId: string;
  week: string;
  sectionId: string;
  owner: string;
  revision: number;
  platform: PlatformName;
  eventId: string;
  sourceMessageId?: string;
  /** Exactly what the owner typed. */
  rawText: string;
  /** The platform's event or message as received; see raw-payload.ts. */
  rawPayload?: unknown;
  rawPayloadEncoding?: RawPayloadEncoding;
  content: unknown;
  receivedAt: Date;
}

export const submissionSchema = new Schema<SubmissionDoc>(
  {
    reportId: requiredString,
    week: requiredString,
    sectionId: requiredString,
    owner: requiredString,
    revision: { type: Number, required: true, min: 1, validate: Number.isInteger },
    platform,
    eventId: requiredString,
    sourceMessageId: String,
    // Not `required`: mongoose's required rejects '', and an empty message is still what was typed.
    rawText: { type: String, default: '' },
    rawPayload: Schema.Types.Mixed,
    rawPayloadEncoding: { type: String, enum: ['document', 'json'] },
    content: {
      type: Schema.Types.Mixed,
      required: true,
      validate: {
        validator: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          (SECTION_KINDS as readonly unknown[]).includes((value as { kind?: unknown }).kind),
        message: `content.kind must be one of ${SECTION_KINDS.join(', ')}`,
      },
    },
    receivedAt: requiredDate,
  },
  { ...schemaOptions, collection: COLLECTIONS.submissions },
);
submissionSchema.index({ platform: 1, eventId: 1 }, { unique: true, name: INDEXES.submissionEvent });
submissionSchema.index(
  { reportId: 1, week: 1, sectionId: 1, owner: 1, revision: 1 },
  { unique: true, name: INDEXES.submissionRevision },
);
submissionSchema.index({ platform: 1, sourceMessageId: 1, revision: -1 }, { name: INDEXES.submissionSource });

export interface PromptDoc {
  reportId: string;
  week: string;
  sectionId: string;
  owner: string;
  platform: PlatformName;
  channel?: string;
  messageId?: string;
  state: PromptState;
  createdAt: Date;
  /** When the current 'sending' reservation was made; a stale one may be taken over. */
  reservedAt: Date;
  sentAt?: Date;
  remindedAt?: Date;
}

export const promptSchema = new Schema<PromptDoc>(
  {
    reportId: requiredString,
    week: requiredString,
    sectionId: requiredString,
    owner: requiredString,
    platform,
    channel: String,
    messageId: String,
    state: { type: String, enum: PROMPT_STATES, required: true },
    createdAt: requiredDate,
    reservedAt: requiredDate,
    sentAt: Date,
    remindedAt: Date,
  },
  { ...schemaOptions, collection: COLLECTIONS.prompts },
);
promptSchema.index({ reportId: 1, week: 1, sectionId: 1, owner: 1 }, { unique: true, name: INDEXES.promptKey });
promptSchema.index({ platform: 1, messageId: 1 }, { name: INDEXES.promptMessage });

/** One per prompt that was reminded: the insert is the claim (see claimReminder). */
export interface PromptReminderDoc {
  reportId: string;
  week: string;
  sectionId: string;
  owner: string;
  remindedAt: Date;
}

export const promptReminderSchema = new Schema<PromptReminderDoc>(
  {
    reportId: requiredString,
    week: requiredString,
    sectionId: requiredString,
    owner: requiredString,
    remindedAt: requiredDate,
  },
  { ...schemaOptions, collection: COLLECTIONS.promptReminders },
);
promptReminderSchema.index({ reportId: 1, week: 1, sectionId: 1, owner: 1 }, { unique: true, name: INDEXES.reminderKey });

export interface SeenEventDoc {
  platform: PlatformName;
  eventId: string;
  seenAt: Date;
}

export const seenEventSchema = new Schema<SeenEventDoc>(
  { platform, eventId: requiredString, seenAt: requiredDate },
  { ...schemaOptions, collection: COLLECTIONS.seenEvents },
);
seenEventSchema.index({ platform: 1, eventId: 1 }, { unique: true, name: INDEXES.seenEventKey });
// The TTL index on seenAt is created by MongoStore, not here: FerretDB refuses TTL indexes, and
// MongoStore falls back to a plain index there (see ensureSeenEventExpiry).

export interface JobRunDoc {
  reportId: string;
  week: string;
  job: (typeof JOBS)[number];
  holder: string;
  state: 'running' | 'done';
  leaseUntil: Date;
  startedAt: Date;
  finishedAt?: Date;
  /** How many times an expired lease was taken over before this holder. */
  takeovers: number;
}

export const jobRunSchema = new Schema<JobRunDoc>(
  {
    reportId: requiredString,
    week: requiredString,
    job: { type: String, enum: JOBS, required: true },
    holder: requiredString,
    state: { type: String, enum: ['running', 'done'], required: true },
    leaseUntil: requiredDate,
    startedAt: requiredDate,
    finishedAt: Date,
    takeovers: { type: Number, required: true, min: 0, default: 0 },
  },
  { ...schemaOptions, collection: COLLECTIONS.jobRuns },
);
jobRunSchema.index({ reportId: 1, week: 1, job: 1 }, { unique: true, name: INDEXES.jobRunKey });

export interface StoreModels {
  cycles: Model<CycleDoc>;
  submissions: Model<SubmissionDoc>;
  prompts: Model<PromptDoc>;
  promptReminders: Model<PromptReminderDoc>;
  seenEvents: Model<SeenEventDoc>;
  jobRuns: Model<JobRunDoc>;
}

export function createModels(connection: Connection): StoreModels {
  return {
    cycles: connection.model<CycleDoc>('Cycle', cycleSchema),
    submissions: connection.model<SubmissionDoc>('Submission', submissionSchema),
    prompts: connection.model<PromptDoc>('Prompt', promptSchema),
    promptReminders: connection.model<PromptReminderDoc>('PromptReminder', promptReminderSchema),
    seenEvents: connection.model<SeenEventDoc>('SeenEvent', seenEventSchema),
    jobRuns: connection.model<JobRunDoc>('JobRun', jobRunSchema),
  };
}
