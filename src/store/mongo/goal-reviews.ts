import type { GoalReviewInput, GoalReviewRecord, GoalReviewStore, RecordGoalReviewResult } from '../store.ts';
import type { GoalReviewDoc, StoreModels } from './schemas.ts';
import { backOff, insertUnlessExists, MAX_RECORD_ATTEMPTS } from './shared.ts';

/** Reviews of last week's goals: one document per revision of a week's review of a goals section. */
export class MongoGoalReviews implements GoalReviewStore {
  constructor(private readonly models: Pick<StoreModels, 'goalReviews'>) {}

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
      await backOff(attempt);
    }
    throw new Error(`could not record goal review ${input.platform}/${input.eventId} after ${MAX_RECORD_ATTEMPTS} attempts`);
  }

  async listGoalReviews(teamId: string, week: string): Promise<GoalReviewRecord[]> {
    const docs = await this.models.goalReviews.find({ teamId, week }).sort({ sectionId: 1, revision: 1 }).lean<GoalReviewDoc[]>();
    return docs.map(toGoalReview);
  }
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
