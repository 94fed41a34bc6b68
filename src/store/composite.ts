import type { StoreDescription } from './policy.ts';
import type { ClaimStore, CycleStore, EventStore, GoalReviewStore, PlanStore, PromptStore, Store, StoreRoles, SubmissionStore } from './store.ts';

/**
 * A Store made of one implementation per role (StoreRoles): every data operation is its role's,
 * as it is. MongoStore and MemoryStore are this with their role implementations; CachingStore is
 * this with caching implementations of the roles it caches and the wrapped store for the others.
 * The lifecycle (ping, close, describe) is the composition's own.
 */
export abstract class RoleStore implements Store {
  constructor(private readonly roles: StoreRoles) {}

  abstract ping(): Promise<boolean>;
  abstract close(): Promise<void>;
  abstract describe(): StoreDescription;

  // ---- cycles ----
  openCycle(...args: Parameters<CycleStore['openCycle']>) {
    return this.roles.cycles.openCycle(...args);
  }
  getCycle(...args: Parameters<CycleStore['getCycle']>) {
    return this.roles.cycles.getCycle(...args);
  }
  listCycles(...args: Parameters<CycleStore['listCycles']>) {
    return this.roles.cycles.listCycles(...args);
  }
  markPublished(...args: Parameters<CycleStore['markPublished']>) {
    return this.roles.cycles.markPublished(...args);
  }
  recordReportDocument(...args: Parameters<CycleStore['recordReportDocument']>) {
    return this.roles.cycles.recordReportDocument(...args);
  }
  listReportDocuments(...args: Parameters<CycleStore['listReportDocuments']>) {
    return this.roles.cycles.listReportDocuments(...args);
  }

  // ---- submissions ----
  recordSubmission(...args: Parameters<SubmissionStore['recordSubmission']>) {
    return this.roles.submissions.recordSubmission(...args);
  }
  latestSubmissions(...args: Parameters<SubmissionStore['latestSubmissions']>) {
    return this.roles.submissions.latestSubmissions(...args);
  }
  submissionHistory(...args: Parameters<SubmissionStore['submissionHistory']>) {
    return this.roles.submissions.submissionHistory(...args);
  }
  latestSubmission(...args: Parameters<SubmissionStore['latestSubmission']>) {
    return this.roles.submissions.latestSubmission(...args);
  }
  findSubmissionBySourceMessage(...args: Parameters<SubmissionStore['findSubmissionBySourceMessage']>) {
    return this.roles.submissions.findSubmissionBySourceMessage(...args);
  }

  // ---- prompts ----
  reservePrompt(...args: Parameters<PromptStore['reservePrompt']>) {
    return this.roles.prompts.reservePrompt(...args);
  }
  renewPromptReservation(...args: Parameters<PromptStore['renewPromptReservation']>) {
    return this.roles.prompts.renewPromptReservation(...args);
  }
  markPromptSent(...args: Parameters<PromptStore['markPromptSent']>) {
    return this.roles.prompts.markPromptSent(...args);
  }
  releasePrompt(...args: Parameters<PromptStore['releasePrompt']>) {
    return this.roles.prompts.releasePrompt(...args);
  }
  markPromptAnswered(...args: Parameters<PromptStore['markPromptAnswered']>) {
    return this.roles.prompts.markPromptAnswered(...args);
  }
  claimReminder(...args: Parameters<PromptStore['claimReminder']>) {
    return this.roles.prompts.claimReminder(...args);
  }
  listPrompts(...args: Parameters<PromptStore['listPrompts']>) {
    return this.roles.prompts.listPrompts(...args);
  }
  findPromptByMessage(...args: Parameters<PromptStore['findPromptByMessage']>) {
    return this.roles.prompts.findPromptByMessage(...args);
  }

  // ---- job runs and publications ----
  claimJobRun(...args: Parameters<ClaimStore['claimJobRun']>) {
    return this.roles.claims.claimJobRun(...args);
  }
  releaseHolder(...args: Parameters<ClaimStore['releaseHolder']>) {
    return this.roles.claims.releaseHolder(...args);
  }
  renewJobRun(...args: Parameters<ClaimStore['renewJobRun']>) {
    return this.roles.claims.renewJobRun(...args);
  }
  finishJobRun(...args: Parameters<ClaimStore['finishJobRun']>) {
    return this.roles.claims.finishJobRun(...args);
  }
  releaseJobRun(...args: Parameters<ClaimStore['releaseJobRun']>) {
    return this.roles.claims.releaseJobRun(...args);
  }
  isJobRunDone(...args: Parameters<ClaimStore['isJobRunDone']>) {
    return this.roles.claims.isJobRunDone(...args);
  }
  claimPublication(...args: Parameters<ClaimStore['claimPublication']>) {
    return this.roles.claims.claimPublication(...args);
  }
  finishPublication(...args: Parameters<ClaimStore['finishPublication']>) {
    return this.roles.claims.finishPublication(...args);
  }
  releasePublication(...args: Parameters<ClaimStore['releasePublication']>) {
    return this.roles.claims.releasePublication(...args);
  }
  claimNumber(...args: Parameters<ClaimStore['claimNumber']>) {
    return this.roles.claims.claimNumber(...args);
  }

  // ---- plans ----
  recordAbsence(...args: Parameters<PlanStore['recordAbsence']>) {
    return this.roles.plans.recordAbsence(...args);
  }
  listAbsences(...args: Parameters<PlanStore['listAbsences']>) {
    return this.roles.plans.listAbsences(...args);
  }
  recordDelegation(...args: Parameters<PlanStore['recordDelegation']>) {
    return this.roles.plans.recordDelegation(...args);
  }
  listDelegations(...args: Parameters<PlanStore['listDelegations']>) {
    return this.roles.plans.listDelegations(...args);
  }
  cancelAbsence(...args: Parameters<PlanStore['cancelAbsence']>) {
    return this.roles.plans.cancelAbsence(...args);
  }
  cancelDelegation(...args: Parameters<PlanStore['cancelDelegation']>) {
    return this.roles.plans.cancelDelegation(...args);
  }

  // ---- goal reviews ----
  recordGoalReview(...args: Parameters<GoalReviewStore['recordGoalReview']>) {
    return this.roles.goalReviews.recordGoalReview(...args);
  }
  listGoalReviews(...args: Parameters<GoalReviewStore['listGoalReviews']>) {
    return this.roles.goalReviews.listGoalReviews(...args);
  }

  // ---- seen events ----
  markEventSeen(...args: Parameters<EventStore['markEventSeen']>) {
    return this.roles.events.markEventSeen(...args);
  }
}
