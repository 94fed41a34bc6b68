import { compareSubmissionKeys, toSubmission } from '../records.ts';
import { RevisionConflict } from '../store.ts';
import type { LatestSubmission, PlatformName, PromptKey, RecordSubmissionResult, Submission, SubmissionInput, SubmissionStore } from '../store.ts';
import { CoalescedReads } from './coalesced-reads.ts';
import { decodeRawPayload, encodeRawPayload } from './raw-payload.ts';
import type { StoreModels, SubmissionDoc } from './schemas.ts';
import { backOff, isDuplicateKey, MAX_RECORD_ATTEMPTS, promptFilter } from './shared.ts';

/**
 * The owners' answers: one document per revision. The unique delivery index and the unique
 * revision index together make the revisions of an answer 1, 2, 3… with neither gap nor repeat.
 */
export class MongoSubmissions implements SubmissionStore {
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

  constructor(private readonly models: Pick<StoreModels, 'submissions'>) {}

  async recordSubmission(input: SubmissionInput): Promise<RecordSubmissionResult> {
    const { submissions } = this.models;
    const key = promptFilter(input);
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
      const doc: SubmissionDoc = {
        ...key,
        revision,
        platform: input.platform,
        eventId: input.eventId,
        rawText: input.rawText,
        content: input.content,
        receivedAt: input.receivedAt,
      };
      if (input.sourceMessageId !== undefined) doc.sourceMessageId = input.sourceMessageId;
      if (input.rawPayload !== undefined) Object.assign(doc, encodeRawPayload(input.rawPayload));
      if (input.parts !== undefined) doc.parts = input.parts;
      if (input.skipped) doc.skipped = true;
      if (input.startedOver) doc.startedOver = true;
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
        await backOff(attempt);
      }
    }
    throw new Error(
      `could not record submission ${input.platform}/${input.eventId} after ${MAX_RECORD_ATTEMPTS} attempts: ` + 'too many concurrent writers for one section',
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
    const doc = await this.models.submissions.findOne({ platform, sourceMessageId }).sort({ revision: -1 }).lean<SubmissionDoc>();
    return doc ? toStoredSubmission(doc) : null;
  }
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
  if (doc.startedOver) input.startedOver = true;
  return toSubmission(input, doc.revision);
}
