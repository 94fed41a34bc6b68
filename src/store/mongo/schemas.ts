import { Schema, type Connection, type Model } from 'mongoose';
import type { Absence, AnswerPart, Cycle, Delegation, PlatformName, PostedMessage, PromptKey, PromptState, ReportDocumentRecord } from '../store.ts';
import type { AbsenceChange, DelegationChange } from '../plan-records.ts';
import type { RawPayloadEncoding } from './raw-payload.ts';
import { GOAL_STATUSES, type GoalMark } from '../../report/goals.ts';
import type { GoalReviewRecord } from '../store.ts';

/**
 * The collections behind MongoStore. Each index is named so that test/mongo-only/store/indexes.test.ts can
 * check it on the real server; each says which queries it serves.
 *
 * Concurrency rests on unique indexes only. FerretDB, which the tests run against, applies an
 * update as read-modify-write without isolation (measured on 1.24: of ten concurrent conditional
 * updates of one document, several "win"; concurrent $inc and $push lose writes). An insert that
 * a unique index refuses is the one arbiter both servers get right, so every "exactly one caller"
 * decision in MongoStore is an insert.
 */

/**
 * The platforms a stored record may name: the names of the platform modules the composition root
 * runs with (src/platforms/modules.ts), given to MongoStore.connect. The list lives in the modules,
 * not here, so that adding a platform touches no store code.
 */
const knownPlatforms = new Set<PlatformName>();

export function allowPlatforms(names: readonly PlatformName[]): void {
  for (const name of names) knownPlatforms.add(name);
}
export const PROMPT_STATES = ['sending', 'sent', 'answered', 'reminded'] as const satisfies readonly PromptState[];
export const JOBS = ['open', 'remind', 'publish'] as const;
export const SECTION_KINDS = ['list', 'text', 'entries'] as const;

export const COLLECTIONS = {
  cycles: 'cycles',
  reportDocuments: 'report_documents',
  submissions: 'submissions',
  prompts: 'prompts',
  promptReminders: 'prompt_reminders',
  promptSends: 'prompt_sends',
  promptTakeovers: 'prompt_takeovers',
  seenEvents: 'seen_events',
  absences: 'absences',
  delegations: 'delegations',
  absenceChanges: 'absence_changes',
  delegationChanges: 'delegation_changes',
  goalReviews: 'goal_reviews',
  jobRuns: 'job_runs',
  publications: 'publications',
  claimedNumbers: 'claimed_numbers',
} as const;

export const INDEXES = {
  /** Unique week of a report. Serves getCycle, openCycle, markPublished, listCycles (reverse scan). */
  cycleKey: 'cycle_key',
  /** Unique document of a week on a platform: recordReportDocument (the insert), listReportDocuments (prefix teamId+week). */
  reportDocumentKey: 'report_document_key',
  /** Unique delivery. Serves the duplicate check of recordSubmission. */
  submissionEvent: 'submission_event',
  /**
   * Unique revision of one owner's section. Serves the max-revision read of recordSubmission,
   * submissionHistory, and latestSubmissions (prefix teamId+week).
   */
  submissionRevision: 'submission_revision',
  /** Serves findSubmissionBySourceMessage (a message edit), newest revision first. */
  submissionSource: 'submission_source_message',
  /** Unique prompt of a week. Serves reservePrompt and every per-prompt update, listPrompts (prefix). */
  promptKey: 'prompt_key',
  /** Unique reminder of a prompt: claimReminder. */
  reminderKey: 'reminder_key',
  /** Unique record of where a prompt was sent: markPromptSent (the insert), listPrompts (prefix), the takeover check. */
  promptSendKey: 'prompt_send_key',
  /** Serves findPromptByMessage (a thread reply to a prompt). */
  promptSendMessage: 'prompt_send_message',
  /** Unique takeover of a prompt's n-th stale reservation: reservePrompt resuming it. */
  promptTakeoverKey: 'prompt_takeover_key',
  /** Unique event id: markEventSeen. */
  seenEventKey: 'seen_event_key',
  /** Expires seen events (MongoDB); on servers without TTL indexes, serves the pruning delete. */
  seenEventExpiry: 'seen_event_expiry',
  /** Unique scheduled run: claimJobRun, renewJobRun, finishJobRun, isJobRunDone. */
  jobRunKey: 'job_run_key',
  /** Unique publication of a week: claimPublication (the insert is the claim; latest first), finish, release. */
  publicationKey: 'publication_key',
  /** Unique number of a series: claimNumber (the insert is the claim; the highest read first). */
  claimedNumberKey: 'claimed_number_key',
  /** One absence per person and range: recordAbsence (a repeated command), listAbsences (by team). */
  absenceKey: 'absence_key',
  /** One delegation per week, section and person, as recorded before delegations had changes: listDelegations (by team and week). */
  delegationKey: 'delegation_key',
  /** Unique n-th change of an absence (cancelled, recorded again): recordAbsence, cancelAbsence (by absence), listAbsences (prefix teamId). */
  absenceChangeKey: 'absence_change_key',
  /** Unique n-th change of a section's delegation in a week (handed over, cancelled): recordDelegation, cancelDelegation, listDelegations (prefix teamId+week). */
  delegationChangeKey: 'delegation_change_key',
  /** Unique revision of a week's review of a goals section: recordGoalReview (max revision), listGoalReviews (prefix teamId+week). */
  goalReviewKey: 'goal_review_key',
  /** Unique delivery: recordGoalReview's duplicate check. */
  goalReviewEvent: 'goal_review_event',
} as const;

const platform = {
  type: String,
  required: true,
  validate: { validator: (name: string) => knownPlatforms.has(name), message: 'platform "{VALUE}" is not one of the platform modules' },
} as const;
const requiredString = { type: String, required: true } as const;
const requiredDate = { type: Date, required: true } as const;
const schemaOptions = { versionKey: false, minimize: false, strict: 'throw', id: false } as const;
/** The fields of a PromptKey, for the prompt and for each one-per-prompt record (reminder, send, takeover). */
const promptKeyFields = { teamId: requiredString, week: requiredString, sectionId: requiredString, owner: requiredString } as const;
/** An index on a PromptKey, in its fields' order. */
const PROMPT_KEY_INDEX = { teamId: 1, week: 1, sectionId: 1, owner: 1 } as const;

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
    teamId: requiredString,
    week: requiredString,
    status: { type: String, enum: ['open', 'published'], required: true },
    createdAt: requiredDate,
    publishedAt: Date,
    firstPublishedAt: Date,
    posts: { type: [postedMessageSchema], default: [] },
    seeded: Boolean,
  },
  { ...schemaOptions, collection: COLLECTIONS.cycles },
);
cycleSchema.index({ teamId: 1, week: 1 }, { unique: true, name: INDEXES.cycleKey });

/**
 * The week's document on a platform, apart from the cycle: the cycle's updates are read-modify-write
 * on FerretDB, so a field of it written by one replica can be lost under another's markPublished;
 * an insert of its own cannot.
 */
export type ReportDocumentDoc = ReportDocumentRecord;

export const reportDocumentSchema = new Schema<ReportDocumentDoc>(
  {
    teamId: requiredString,
    week: requiredString,
    platform,
    id: requiredString,
    url: { type: String, required: true, match: /^https?:\/\// },
    createdAt: requiredDate,
  },
  { ...schemaOptions, collection: COLLECTIONS.reportDocuments },
);
reportDocumentSchema.index({ teamId: 1, week: 1, platform: 1 }, { unique: true, name: INDEXES.reportDocumentKey });

export interface SubmissionDoc {
  teamId: string;
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
  parts?: AnswerPart[];
  skipped?: boolean;
  startedOver?: boolean;
  content: unknown;
  receivedAt: Date;
}

const answerPartSchema = new Schema<AnswerPart>(
  { messageId: String, text: { type: String, default: '' }, rawText: { type: String, default: '' } },
  { _id: false, versionKey: false, strict: 'throw' },
);

export const submissionSchema = new Schema<SubmissionDoc>(
  {
    teamId: requiredString,
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
    parts: { type: [answerPartSchema], default: undefined },
    skipped: Boolean,
    startedOver: Boolean,
    content: {
      type: Schema.Types.Mixed,
      required: true,
      validate: {
        validator: (value: unknown) =>
          typeof value === 'object' && value !== null && (SECTION_KINDS as readonly unknown[]).includes((value as { kind?: unknown }).kind),
        message: `content.kind must be one of ${SECTION_KINDS.join(', ')}`,
      },
    },
    receivedAt: requiredDate,
  },
  { ...schemaOptions, collection: COLLECTIONS.submissions },
);
submissionSchema.index({ platform: 1, eventId: 1 }, { unique: true, name: INDEXES.submissionEvent });
submissionSchema.index({ teamId: 1, week: 1, sectionId: 1, owner: 1, revision: 1 }, { unique: true, name: INDEXES.submissionRevision });
submissionSchema.index({ platform: 1, sourceMessageId: 1, revision: -1 }, { name: INDEXES.submissionSource });

export interface PromptDoc extends PromptKey {
  platform: PlatformName;
  /** 'sending' until answered or reminded: once sent, a PromptSendDoc says where (it is then read as 'sent'). */
  state: PromptState;
  createdAt: Date;
  /** When the current 'sending' reservation was made or last renewed; a stale one may be taken over. */
  reservedAt: Date;
  /** How many times a stale reservation was taken over (absent: never). */
  takeovers?: number;
  /** The job run holder that reserved it (releaseHolder gives it back after that holder's restart). */
  holder?: string;
  remindedAt?: Date;
}

export const promptSchema = new Schema<PromptDoc>(
  {
    ...promptKeyFields,
    platform,
    state: { type: String, enum: PROMPT_STATES, required: true },
    createdAt: requiredDate,
    reservedAt: requiredDate,
    takeovers: { type: Number, min: 0 },
    holder: String,
    remindedAt: Date,
  },
  { ...schemaOptions, collection: COLLECTIONS.prompts },
);
promptSchema.index(PROMPT_KEY_INDEX, { unique: true, name: INDEXES.promptKey });

/** One per prompt that was reminded: the insert is the claim (see claimReminder). */
export interface PromptReminderDoc extends PromptKey {
  remindedAt: Date;
}

export const promptReminderSchema = new Schema<PromptReminderDoc>(
  {
    ...promptKeyFields,
    remindedAt: requiredDate,
  },
  { ...schemaOptions, collection: COLLECTIONS.promptReminders },
);
promptReminderSchema.index(PROMPT_KEY_INDEX, { unique: true, name: INDEXES.reminderKey });

/**
 * Where a prompt was sent, one per prompt: the insert is the "sent" mark. It is not an update of the
 * prompt because FerretDB answers every update with a scan of the whole collection (a few dozen
 * updates a second at most), while an insert costs a millisecond: at a fan-out's rate, the mark was
 * what held prompts back. A prompt still 'sending' with a record here was sent.
 */
export interface PromptSendDoc extends PromptKey {
  /** The platform's message id; which platform is the prompt's (findPromptByMessage checks it). */
  channel: string;
  messageId: string;
  sentAt: Date;
}

export const promptSendSchema = new Schema<PromptSendDoc>(
  {
    ...promptKeyFields,
    channel: requiredString,
    messageId: requiredString,
    sentAt: requiredDate,
  },
  { ...schemaOptions, collection: COLLECTIONS.promptSends },
);
promptSendSchema.index(PROMPT_KEY_INDEX, { unique: true, name: INDEXES.promptSendKey });
promptSendSchema.index({ messageId: 1 }, { name: INDEXES.promptSendMessage });

/**
 * One per takeover of a stale prompt reservation: the insert is the takeover, so that of several
 * contenders exactly one resumes it, without the reservation ever being deleted (a contender that
 * found no document would take the prompt for one never sent).
 */
export interface PromptTakeoverDoc extends PromptKey {
  /** The prompt's `takeovers` count that this takeover ends. */
  takeover: number;
  at: Date;
}

export const promptTakeoverSchema = new Schema<PromptTakeoverDoc>(
  {
    ...promptKeyFields,
    takeover: { type: Number, required: true, min: 0 },
    at: requiredDate,
  },
  { ...schemaOptions, collection: COLLECTIONS.promptTakeovers },
);
promptTakeoverSchema.index({ ...PROMPT_KEY_INDEX, takeover: 1 }, { unique: true, name: INDEXES.promptTakeoverKey });

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
  teamId: string;
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
    teamId: requiredString,
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
jobRunSchema.index({ teamId: 1, week: 1, job: 1 }, { unique: true, name: INDEXES.jobRunKey });

/** One publication of a week's report; the insert of the next sequence is the claim (see claimPublication). */
export interface PublicationDoc {
  teamId: string;
  week: string;
  sequence: number;
  /** sha-256 of what was posted (header and report), so that publishing it again is a no-op. */
  contentHash: string;
  holder: string;
  state: 'running' | 'done';
  leaseUntil: Date;
  startedAt: Date;
  finishedAt?: Date;
}

export const publicationSchema = new Schema<PublicationDoc>(
  {
    teamId: requiredString,
    week: requiredString,
    sequence: { type: Number, required: true, min: 1, validate: Number.isInteger },
    contentHash: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    holder: requiredString,
    state: { type: String, enum: ['running', 'done'], required: true },
    leaseUntil: requiredDate,
    startedAt: requiredDate,
    finishedAt: Date,
  },
  { ...schemaOptions, collection: COLLECTIONS.publications },
);
publicationSchema.index({ teamId: 1, week: 1, sequence: 1 }, { unique: true, name: INDEXES.publicationKey });

/** A number of a series, handed out once (claimNumber): the local chat's numbers, say. */
export interface ClaimedNumberDoc {
  series: string;
  number: number;
  claimedAt: Date;
}

export const claimedNumberSchema = new Schema<ClaimedNumberDoc>(
  {
    series: requiredString,
    number: { type: Number, required: true, min: 1, validate: Number.isInteger },
    claimedAt: requiredDate,
  },
  { ...schemaOptions, collection: COLLECTIONS.claimedNumbers },
);
claimedNumberSchema.index({ series: 1, number: 1 }, { unique: true, name: INDEXES.claimedNumberKey });

export type AbsenceDoc = Absence;

export const absenceSchema = new Schema<AbsenceDoc>(
  { teamId: requiredString, person: requiredString, from: requiredString, to: requiredString, setBy: requiredString, at: requiredDate },
  { ...schemaOptions, collection: COLLECTIONS.absences },
);
absenceSchema.index({ teamId: 1, person: 1, from: 1, to: 1 }, { unique: true, name: INDEXES.absenceKey });

export type DelegationDoc = Delegation;

export const delegationSchema = new Schema<DelegationDoc>(
  { teamId: requiredString, week: requiredString, sectionId: requiredString, person: requiredString, setBy: requiredString, at: requiredDate },
  { ...schemaOptions, collection: COLLECTIONS.delegations },
);
delegationSchema.index({ teamId: 1, week: 1, sectionId: 1, person: 1 }, { unique: true, name: INDEXES.delegationKey });

const sequence = { type: Number, required: true, min: 1, validate: Number.isInteger } as const;

export type AbsenceChangeDoc = AbsenceChange;

export const absenceChangeSchema = new Schema<AbsenceChangeDoc>(
  {
    teamId: requiredString,
    person: requiredString,
    from: requiredString,
    to: requiredString,
    sequence,
    cancelled: { type: Boolean, required: true },
    setBy: requiredString,
    at: requiredDate,
  },
  { ...schemaOptions, collection: COLLECTIONS.absenceChanges },
);
absenceChangeSchema.index({ teamId: 1, person: 1, from: 1, to: 1, sequence: 1 }, { unique: true, name: INDEXES.absenceChangeKey });

export type DelegationChangeDoc = DelegationChange;

export const delegationChangeSchema = new Schema<DelegationChangeDoc>(
  { teamId: requiredString, week: requiredString, sectionId: requiredString, sequence, person: String, setBy: requiredString, at: requiredDate },
  { ...schemaOptions, collection: COLLECTIONS.delegationChanges },
);
delegationChangeSchema.index({ teamId: 1, week: 1, sectionId: 1, sequence: 1 }, { unique: true, name: INDEXES.delegationChangeKey });

export type GoalReviewDoc = GoalReviewRecord;

const goalMarkSchema = new Schema<GoalMark>(
  {
    goal: { type: Number, required: true, min: 1, validate: Number.isInteger },
    status: { type: String, enum: GOAL_STATUSES, required: true },
    // Absent keeps the earlier note, '' clears it: not `required`, which would reject ''.
    note: String,
  },
  { _id: false, versionKey: false, strict: 'throw' },
);

export const goalReviewSchema = new Schema<GoalReviewDoc>(
  {
    teamId: requiredString,
    week: requiredString,
    sectionId: requiredString,
    goalsWeek: requiredString,
    owner: requiredString,
    revision: { type: Number, required: true, min: 1, validate: Number.isInteger },
    platform,
    eventId: requiredString,
    marks: { type: [goalMarkSchema], required: true },
    rawText: { type: String, default: '' },
    receivedAt: requiredDate,
  },
  { ...schemaOptions, collection: COLLECTIONS.goalReviews },
);
goalReviewSchema.index({ teamId: 1, week: 1, sectionId: 1, revision: 1 }, { unique: true, name: INDEXES.goalReviewKey });
goalReviewSchema.index({ platform: 1, eventId: 1 }, { unique: true, name: INDEXES.goalReviewEvent });

export interface StoreModels {
  cycles: Model<CycleDoc>;
  reportDocuments: Model<ReportDocumentDoc>;
  submissions: Model<SubmissionDoc>;
  prompts: Model<PromptDoc>;
  promptReminders: Model<PromptReminderDoc>;
  promptSends: Model<PromptSendDoc>;
  promptTakeovers: Model<PromptTakeoverDoc>;
  seenEvents: Model<SeenEventDoc>;
  jobRuns: Model<JobRunDoc>;
  publications: Model<PublicationDoc>;
  claimedNumbers: Model<ClaimedNumberDoc>;
  absences: Model<AbsenceDoc>;
  delegations: Model<DelegationDoc>;
  absenceChanges: Model<AbsenceChangeDoc>;
  delegationChanges: Model<DelegationChangeDoc>;
  goalReviews: Model<GoalReviewDoc>;
}

export function createModels(connection: Connection): StoreModels {
  return {
    cycles: connection.model<CycleDoc>('Cycle', cycleSchema),
    reportDocuments: connection.model<ReportDocumentDoc>('ReportDocument', reportDocumentSchema),
    submissions: connection.model<SubmissionDoc>('Submission', submissionSchema),
    prompts: connection.model<PromptDoc>('Prompt', promptSchema),
    promptReminders: connection.model<PromptReminderDoc>('PromptReminder', promptReminderSchema),
    promptSends: connection.model<PromptSendDoc>('PromptSend', promptSendSchema),
    promptTakeovers: connection.model<PromptTakeoverDoc>('PromptTakeover', promptTakeoverSchema),
    seenEvents: connection.model<SeenEventDoc>('SeenEvent', seenEventSchema),
    jobRuns: connection.model<JobRunDoc>('JobRun', jobRunSchema),
    publications: connection.model<PublicationDoc>('Publication', publicationSchema),
    claimedNumbers: connection.model<ClaimedNumberDoc>('ClaimedNumber', claimedNumberSchema),
    absences: connection.model<AbsenceDoc>('Absence', absenceSchema),
    delegations: connection.model<DelegationDoc>('Delegation', delegationSchema),
    absenceChanges: connection.model<AbsenceChangeDoc>('AbsenceChange', absenceChangeSchema),
    delegationChanges: connection.model<DelegationChangeDoc>('DelegationChange', delegationChangeSchema),
    goalReviews: connection.model<GoalReviewDoc>('GoalReview', goalReviewSchema),
  };
}
