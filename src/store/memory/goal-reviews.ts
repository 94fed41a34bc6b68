import type { GoalReviewInput, GoalReviewRecord, GoalReviewStore, RecordGoalReviewResult } from '../store.ts';
import { copy } from './shared.ts';

/** Reviews of last week's goals, in memory. */
export class MemoryGoalReviews implements GoalReviewStore {
  /** Goal reviews in the order they were stored. */
  private readonly goalReviews: GoalReviewRecord[] = [];

  async recordGoalReview(input: GoalReviewInput): Promise<RecordGoalReviewResult> {
    const already = this.goalReviews.find((r) => r.platform === input.platform && r.eventId === input.eventId);
    if (already) return { review: copy(already), duplicate: true };
    const revision = this.goalReviews.filter((r) => r.teamId === input.teamId && r.week === input.week && r.sectionId === input.sectionId).length + 1;
    const review: GoalReviewRecord = { ...copy(input), revision };
    this.goalReviews.push(review);
    return { review: copy(review), duplicate: false };
  }

  async listGoalReviews(teamId: string, week: string): Promise<GoalReviewRecord[]> {
    return this.goalReviews
      .filter((r) => r.teamId === teamId && r.week === week)
      .sort((a, b) => a.sectionId.localeCompare(b.sectionId) || a.revision - b.revision)
      .map(copy);
  }
}
