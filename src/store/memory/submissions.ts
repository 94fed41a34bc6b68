import { compareSubmissionKeys, toSubmission } from '../records.ts';
import { RevisionConflict } from '../store.ts';
import type { LatestSubmission, PlatformName, PromptKey, RecordSubmissionResult, Submission, SubmissionInput, SubmissionStore } from '../store.ts';
import { copy, keyOf, promptKeyOf } from './shared.ts';

/** The owners' answers, every revision, in memory. */
export class MemorySubmissions implements SubmissionStore {
  /** Every revision, keyed by (report, week, section, owner), oldest first. */
  private readonly revisions = new Map<string, Submission[]>();
  private readonly byEvent = new Map<string, Submission>();

  async recordSubmission(input: SubmissionInput): Promise<RecordSubmissionResult> {
    const eventKey = keyOf(input.platform, input.eventId);
    const already = this.byEvent.get(eventKey);
    if (already) return { submission: copy(already), duplicate: true };

    const historyKey = promptKeyOf(input);
    const history = this.revisions.get(historyKey) ?? [];
    if (input.basedOnRevision !== undefined && input.basedOnRevision !== history.length) {
      throw new RevisionConflict(`revision ${input.basedOnRevision + 1} of ${historyKey} exists already`);
    }
    const submission = toSubmission(copy(input), history.length + 1);
    history.push(submission);
    this.revisions.set(historyKey, history);
    this.byEvent.set(eventKey, submission);
    return { submission: copy(submission), duplicate: false };
  }

  async latestSubmissions(teamId: string, week: string): Promise<LatestSubmission[]> {
    const latest: LatestSubmission[] = [];
    for (const history of this.revisions.values()) {
      const last = history.at(-1);
      if (!last || last.teamId !== teamId || last.week !== week) continue;
      latest.push(withoutPayload(last));
    }
    return latest.sort(compareSubmissionKeys);
  }

  async submissionHistory(key: PromptKey): Promise<Submission[]> {
    return (this.revisions.get(promptKeyOf(key)) ?? []).map(copy);
  }

  async latestSubmission(key: PromptKey): Promise<LatestSubmission | null> {
    const last = this.revisions.get(promptKeyOf(key))?.at(-1);
    return last ? withoutPayload(last) : null;
  }

  async findSubmissionBySourceMessage(platform: PlatformName, sourceMessageId: string): Promise<Submission | null> {
    let found: Submission | null = null;
    for (const submission of this.byEvent.values()) {
      if (submission.platform !== platform || submission.sourceMessageId !== sourceMessageId) continue;
      if (!found || submission.revision > found.revision) found = submission;
    }
    return found ? copy(found) : null;
  }
}

function withoutPayload(submission: Submission): LatestSubmission {
  const { rawPayload: _rawPayload, ...rest } = submission;
  return copy(rest);
}
