import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { MongoStore } from '../../../src/store/mongo/mongo-store.ts';
import { COLLECTIONS, INDEXES } from '../../../src/store/mongo/schemas.ts';
import { SEEN_EVENT_WINDOW_MS } from '../../../src/store/policy.ts';
import { testDatabaseUri } from '../../support/db.ts';
import { PLATFORM_NAMES } from '../../../src/platforms/modules.ts';

/**
 * The indexes MongoStore relies on, read back from the real server, and for every query the
 * store runs to serve a chat event, a command or a scheduled job, the index that serves it.
 * "Serves" is checked mechanically: the query's equality fields are a prefix of the index key,
 * followed by its range or sort fields in index order (or all reversed).
 */

type Collection = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];
type IndexName = (typeof INDEXES)[keyof typeof INDEXES];

interface Query {
  /** The store operation, and what in chat leads to it. */
  query: string;
  collection: Collection;
  equality: string[];
  /** Fields after the equality prefix: a range condition or the sort, in order. */
  then?: Array<[field: string, direction: 1 | -1]>;
  index: IndexName;
}

const QUERIES: Query[] = [
  // A chat message arrives (Slack/Feishu event).
  {
    query: 'markEventSeen: was this event delivered before?',
    collection: COLLECTIONS.seenEvents,
    equality: ['platform', 'eventId'],
    index: INDEXES.seenEventKey,
  },
  {
    query: 'findPromptByMessage: which prompt is this a thread reply to?',
    collection: COLLECTIONS.promptSends,
    equality: ['messageId'],
    index: INDEXES.promptSendMessage,
  },
  {
    query: 'recordSubmission: was this delivery recorded already?',
    collection: COLLECTIONS.submissions,
    equality: ['platform', 'eventId'],
    index: INDEXES.submissionEvent,
  },
  {
    query: 'recordSubmission: highest revision of this owner’s section so far',
    collection: COLLECTIONS.submissions,
    equality: ['teamId', 'week', 'sectionId', 'owner'],
    then: [['revision', -1]],
    index: INDEXES.submissionRevision,
  },
  {
    query: 'markPromptAnswered: the prompt of this owner’s section',
    collection: COLLECTIONS.prompts,
    equality: ['teamId', 'week', 'sectionId', 'owner'],
    index: INDEXES.promptKey,
  },
  // A message is edited.
  {
    query: 'findSubmissionBySourceMessage: the submission an edited message came from',
    collection: COLLECTIONS.submissions,
    equality: ['platform', 'sourceMessageId'],
    then: [['revision', -1]],
    index: INDEXES.submissionSource,
  },
  // Commands: status, preview, history, publish.
  {
    query: 'latestSubmissions: the week’s answers (status, preview, publish)',
    collection: COLLECTIONS.submissions,
    equality: ['teamId', 'week'],
    then: [
      ['sectionId', 1],
      ['owner', 1],
      ['revision', 1],
    ],
    index: INDEXES.submissionRevision,
  },
  {
    query: 'submissionHistory: every revision of one answer',
    collection: COLLECTIONS.submissions,
    equality: ['teamId', 'week', 'sectionId', 'owner'],
    then: [['revision', 1]],
    index: INDEXES.submissionRevision,
  },
  { query: 'listPrompts: who was asked, who answered (status)', collection: COLLECTIONS.prompts, equality: ['teamId', 'week'], index: INDEXES.promptKey },
  { query: 'getCycle / openCycle / markPublished', collection: COLLECTIONS.cycles, equality: ['teamId', 'week'], index: INDEXES.cycleKey },
  {
    query: 'recordReportDocument / listReportDocuments: the week’s documents (publish)',
    collection: COLLECTIONS.reportDocuments,
    equality: ['teamId', 'week'],
    then: [['platform', 1]],
    index: INDEXES.reportDocumentKey,
  },
  {
    query: 'listCycles: recent weeks, newest first (history)',
    collection: COLLECTIONS.cycles,
    equality: ['teamId'],
    then: [['week', -1]],
    index: INDEXES.cycleKey,
  },
  // Scheduled jobs: open, remind, publish.
  {
    query: 'claimJobRun / renewJobRun / finishJobRun / isJobRunDone',
    collection: COLLECTIONS.jobRuns,
    equality: ['teamId', 'week', 'job'],
    index: INDEXES.jobRunKey,
  },
  {
    query: 'claimPublication: the week’s latest publication',
    collection: COLLECTIONS.publications,
    equality: ['teamId', 'week'],
    then: [['sequence', -1]],
    index: INDEXES.publicationKey,
  },
  {
    query: 'finishPublication / releasePublication',
    collection: COLLECTIONS.publications,
    equality: ['teamId', 'week', 'sequence'],
    index: INDEXES.publicationKey,
  },
  // The local chat starts (on a store that keeps its data): its number.
  {
    query: 'claimNumber: the highest number of the series so far',
    collection: COLLECTIONS.claimedNumbers,
    equality: ['series'],
    then: [['number', -1]],
    index: INDEXES.claimedNumberKey,
  },
  {
    query: 'listAbsences: who is away (prompts, reminders, status, digest)',
    collection: COLLECTIONS.absences,
    equality: ['teamId'],
    index: INDEXES.absenceKey,
  },
  {
    query: 'listDelegations: who answers a section this week',
    collection: COLLECTIONS.delegations,
    equality: ['teamId', 'week'],
    index: INDEXES.delegationKey,
  },
  {
    query: 'listAbsences: the absences cancelled or recorded again',
    collection: COLLECTIONS.absenceChanges,
    equality: ['teamId'],
    index: INDEXES.absenceChangeKey,
  },
  {
    query: 'recordAbsence again / cancelAbsence: the changes of one absence',
    collection: COLLECTIONS.absenceChanges,
    equality: ['teamId', 'person', 'from', 'to'],
    then: [['sequence', 1]],
    index: INDEXES.absenceChangeKey,
  },
  {
    query: 'recordAbsence again / cancelAbsence: was it recorded?',
    collection: COLLECTIONS.absences,
    equality: ['teamId', 'person', 'from', 'to'],
    index: INDEXES.absenceKey,
  },
  {
    query: 'listDelegations: the week’s handovers and cancellations',
    collection: COLLECTIONS.delegationChanges,
    equality: ['teamId', 'week'],
    then: [
      ['sectionId', 1],
      ['sequence', 1],
    ],
    index: INDEXES.delegationChangeKey,
  },
  {
    query: 'recordDelegation / cancelDelegation: the changes of one section’s week',
    collection: COLLECTIONS.delegationChanges,
    equality: ['teamId', 'week', 'sectionId'],
    then: [['sequence', 1]],
    index: INDEXES.delegationChangeKey,
  },
  {
    query: 'recordDelegation / cancelDelegation: one section’s week as recorded before changes',
    collection: COLLECTIONS.delegations,
    equality: ['teamId', 'week', 'sectionId'],
    index: INDEXES.delegationKey,
  },
  {
    query: 'reservePrompt / releasePrompt / claimReminder: one prompt',
    collection: COLLECTIONS.prompts,
    equality: ['teamId', 'week', 'sectionId', 'owner'],
    index: INDEXES.promptKey,
  },
  {
    query: 'markPromptSent / claimReminder / reservePrompt’s takeover: where a prompt was sent',
    collection: COLLECTIONS.promptSends,
    equality: ['teamId', 'week', 'sectionId', 'owner'],
    index: INDEXES.promptSendKey,
  },
  {
    query: 'claimReminder: was this prompt reminded?',
    collection: COLLECTIONS.promptReminders,
    equality: ['teamId', 'week', 'sectionId', 'owner'],
    index: INDEXES.reminderKey,
  },
  {
    query: 'reservePrompt: resuming a stale reservation',
    collection: COLLECTIONS.promptTakeovers,
    equality: ['teamId', 'week', 'sectionId', 'owner', 'takeover'],
    index: INDEXES.promptTakeoverKey,
  },
  {
    query: 'pruning seen event ids older than the window',
    collection: COLLECTIONS.seenEvents,
    equality: [],
    then: [['seenAt', 1]],
    index: INDEXES.seenEventExpiry,
  },
  // Goal reviews: a `目标 1 完成` reply or a checklist choice; the prompt, status and the report read them.
  {
    query: 'recordGoalReview: was this delivery recorded already?',
    collection: COLLECTIONS.goalReviews,
    equality: ['platform', 'eventId'],
    index: INDEXES.goalReviewEvent,
  },
  {
    query: 'recordGoalReview: highest revision of the week’s review',
    collection: COLLECTIONS.goalReviews,
    equality: ['teamId', 'week', 'sectionId'],
    then: [['revision', -1]],
    index: INDEXES.goalReviewKey,
  },
  {
    query: 'listGoalReviews: the week’s reviews (prompt, status, report)',
    collection: COLLECTIONS.goalReviews,
    equality: ['teamId', 'week'],
    then: [
      ['sectionId', 1],
      ['revision', 1],
    ],
    index: INDEXES.goalReviewKey,
  },
];

/** The unique indexes correctness rests on (no transactions: these are the arbiters). */
const UNIQUE: Array<[Collection, IndexName, Record<string, 1 | -1>]> = [
  [COLLECTIONS.cycles, INDEXES.cycleKey, { teamId: 1, week: 1 }],
  [COLLECTIONS.submissions, INDEXES.submissionEvent, { platform: 1, eventId: 1 }],
  [COLLECTIONS.submissions, INDEXES.submissionRevision, { teamId: 1, week: 1, sectionId: 1, owner: 1, revision: 1 }],
  [COLLECTIONS.prompts, INDEXES.promptKey, { teamId: 1, week: 1, sectionId: 1, owner: 1 }],
  [COLLECTIONS.promptReminders, INDEXES.reminderKey, { teamId: 1, week: 1, sectionId: 1, owner: 1 }],
  [COLLECTIONS.promptSends, INDEXES.promptSendKey, { teamId: 1, week: 1, sectionId: 1, owner: 1 }],
  [COLLECTIONS.promptTakeovers, INDEXES.promptTakeoverKey, { teamId: 1, week: 1, sectionId: 1, owner: 1, takeover: 1 }],
  [COLLECTIONS.seenEvents, INDEXES.seenEventKey, { platform: 1, eventId: 1 }],
  [COLLECTIONS.jobRuns, INDEXES.jobRunKey, { teamId: 1, week: 1, job: 1 }],
  [COLLECTIONS.publications, INDEXES.publicationKey, { teamId: 1, week: 1, sequence: 1 }],
  [COLLECTIONS.claimedNumbers, INDEXES.claimedNumberKey, { series: 1, number: 1 }],
  [COLLECTIONS.absences, INDEXES.absenceKey, { teamId: 1, person: 1, from: 1, to: 1 }],
  [COLLECTIONS.delegations, INDEXES.delegationKey, { teamId: 1, week: 1, sectionId: 1, person: 1 }],
  [COLLECTIONS.absenceChanges, INDEXES.absenceChangeKey, { teamId: 1, person: 1, from: 1, to: 1, sequence: 1 }],
  [COLLECTIONS.delegationChanges, INDEXES.delegationChangeKey, { teamId: 1, week: 1, sectionId: 1, sequence: 1 }],
  [COLLECTIONS.goalReviews, INDEXES.goalReviewKey, { teamId: 1, week: 1, sectionId: 1, revision: 1 }],
  [COLLECTIONS.goalReviews, INDEXES.goalReviewEvent, { platform: 1, eventId: 1 }],
];

interface IndexInfo {
  name?: string;
  key: Record<string, number>;
  unique?: boolean;
  expireAfterSeconds?: number;
}

function serves(indexKey: Record<string, number>, query: Query): boolean {
  const fields = Object.entries(indexKey);
  const prefix = fields.slice(0, query.equality.length).map(([field]) => field);
  if ([...prefix].sort().join() !== [...query.equality].sort().join()) return false;
  const rest = fields.slice(query.equality.length);
  const then = query.then ?? [];
  if (rest.length < then.length) return false;
  const same = then.every(([field, dir], i) => rest[i]![0] === field && rest[i]![1] === dir);
  const reversed = then.every(([field, dir], i) => rest[i]![0] === field && rest[i]![1] === -dir);
  return same || reversed;
}

describe('MongoStore indexes on the real server', () => {
  let store: MongoStore;
  const indexes = new Map<string, IndexInfo[]>();

  beforeAll(async () => {
    store = await MongoStore.connect(testDatabaseUri('indexes'), {
      logger: createLogger('indexes-test'),
      retry: { maxAttempts: 1 },
      platforms: PLATFORM_NAMES,
    });
    for (const name of Object.values(COLLECTIONS)) {
      indexes.set(name, (await store.connection.collection(name).indexes()) as IndexInfo[]);
    }
  });

  afterAll(async () => {
    await store.connection.dropDatabase();
    await store.close();
  });

  const find = (collection: string, name: string): IndexInfo | undefined => indexes.get(collection)?.find((index) => index.name === name);

  it.each(UNIQUE)('%s has the unique index %s', (collection, name, key) => {
    const index = find(collection, name);
    expect(index, `${collection}.${name} missing; found ${JSON.stringify(indexes.get(collection))}`).toBeDefined();
    expect(index!.key).toEqual(key);
    expect(index!.unique).toBe(true);
  });

  it('looks up prompts by message and submissions by source message without unique indexes', () => {
    // Not unique: message ids are the platforms', and edits share a source message.
    expect(find(COLLECTIONS.promptSends, INDEXES.promptSendMessage)).toMatchObject({ key: { messageId: 1 } });
    expect(find(COLLECTIONS.promptSends, INDEXES.promptSendMessage)!.unique).toBeFalsy();
    expect(find(COLLECTIONS.submissions, INDEXES.submissionSource)).toMatchObject({
      key: { platform: 1, sourceMessageId: 1, revision: -1 },
    });
    expect(find(COLLECTIONS.submissions, INDEXES.submissionSource)!.unique).toBeFalsy();
  });

  it('expires seen events with a TTL index where the server has them, and indexes seenAt regardless', () => {
    const index = find(COLLECTIONS.seenEvents, INDEXES.seenEventExpiry);
    expect(index).toMatchObject({ key: { seenAt: 1 } });
    // MongoDB: a TTL of the window. FerretDB 1.24 refuses TTL indexes ("not implemented yet"):
    // a plain index, and markEventSeen ignores entries older than the window.
    expect([undefined, SEEN_EVENT_WINDOW_MS / 1000]).toContain(index!.expireAfterSeconds);
  });

  it.each(QUERIES.map((q) => [q.query, q] as const))('%s', (_label, query) => {
    const index = find(query.collection, query.index);
    expect(index, `${query.collection}.${query.index} missing`).toBeDefined();
    expect(serves(index!.key, query), `${query.index} ${JSON.stringify(index!.key)} does not serve this query`).toBe(true);
  });
});
