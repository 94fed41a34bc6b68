import type {
  Absence,
  Delegation,
  Cycle,
  JobRunKey,
  PlatformName,
  PostedMessage,
  Prompt,
  PromptKey,
  PromptReservation,
  PublicationClaim,
  PublicationClaimResult,
  RecordSubmissionResult,
  Store,
  LatestSubmission,
  Submission,
  SubmissionInput,
  GoalReviewInput,
  GoalReviewRecord,
  RecordGoalReviewResult,
  ReleasedClaims,
} from './store.ts';
import { PROMPT_SENDING_STALE_MS, SEEN_EVENT_WINDOW_MS, type StoreDescription, type StoreTiming } from './policy.ts';
import { compareSubmissionKeys, toSubmission } from './records.ts';
import { RevisionConflict } from './store.ts';

/** What main logs when it falls back to MemoryStore. */
export const MEMORY_STORE_WARNING =
  'No MONGODB_URI is set: using the in-memory store. All data (cycles, replies, prompts, job runs) is lost on exit; ' +
  'set MONGODB_URI to keep it.';

interface PromptRecord extends Prompt {
  /** When the current 'sending' reservation was made; the basis of the stale takeover. */
  reservedAt: Date;
  /** The job run holder sending it (releaseHolder). */
  holder?: string;
}

interface JobRunRecord {
  holder: string;
  state: 'running' | 'done';
  leaseUntil: Date;
}

interface PublicationRecord extends JobRunRecord {
  sequence: number;
  contentHash: string;
}

const keyOf = (...parts: string[]): string => JSON.stringify(parts);
const promptKeyOf = (key: PromptKey): string => keyOf(key.teamId, key.week, key.sectionId, key.owner);
const jobKeyOf = (key: JobRunKey): string => keyOf(key.teamId, key.week, key.job);

// Everything goes in and comes out as a deep copy: a caller mutating what it passed or got back
// must not change what is stored, just as with a database.
const copy = <T>(value: T): T => structuredClone(value);

function toPrompt(record: PromptRecord): Prompt {
  const { reservedAt: _reservedAt, holder: _holder, ...prompt } = record;
  return copy(prompt);
}

/**
 * Store kept in process memory, for local runs, demos and tests. Same semantics as MongoStore:
 * every method body runs without awaiting, so each operation is atomic on Node's single thread,
 * the way a single-document operation is atomic on the server.
 */
export class MemoryStore implements Store {
  private readonly cycles = new Map<string, Cycle>();
  /** Every revision, keyed by (report, week, section, owner), oldest first. */
  private readonly revisions = new Map<string, Submission[]>();
  private readonly byEvent = new Map<string, Submission>();
  private readonly prompts = new Map<string, PromptRecord>();
  private readonly jobRuns = new Map<string, JobRunRecord>();
  /** A week's publications, by sequence. */
  private readonly publications = new Map<string, PublicationRecord[]>();
  private readonly seenEvents = new Map<string, Date>();
  private readonly absences = new Map<string, Absence[]>();
  private readonly delegations: Delegation[] = [];
  /** Goal reviews in the order they were stored. */
  private readonly goalReviews: GoalReviewRecord[] = [];
  private readonly promptSendingStaleMs: number;
  private readonly seenEventWindowMs: number;

  constructor(timing: StoreTiming = {}) {
    this.promptSendingStaleMs = timing.promptSendingStaleMs ?? PROMPT_SENDING_STALE_MS;
    this.seenEventWindowMs = timing.seenEventWindowMs ?? SEEN_EVENT_WINDOW_MS;
  }

  describe(): StoreDescription {
    return { kind: 'memory', durable: false, location: 'process memory', warning: MEMORY_STORE_WARNING };
  }

  async openCycle(teamId: string, week: string, createdAt: Date): Promise<Cycle> {
    const key = keyOf(teamId, week);
    let cycle = this.cycles.get(key);
    if (!cycle) {
      cycle = { teamId, week, status: 'open', createdAt: new Date(createdAt), posts: [] };
      this.cycles.set(key, cycle);
    }
    return copy(cycle);
  }

  async getCycle(teamId: string, week: string): Promise<Cycle | null> {
    const cycle = this.cycles.get(keyOf(teamId, week));
    return cycle ? copy(cycle) : null;
  }

  async listCycles(teamId: string, limit: number): Promise<Cycle[]> {
    return [...this.cycles.values()]
      .filter((c) => c.teamId === teamId)
      .sort((a, b) => (a.week < b.week ? 1 : a.week > b.week ? -1 : 0))
      .slice(0, Math.max(0, limit))
      .map(copy);
  }

  async markPublished(teamId: string, week: string, posts: PostedMessage[], at: Date): Promise<Cycle> {
    const key = keyOf(teamId, week);
    const existing = this.cycles.get(key);
    const cycle: Cycle = {
      teamId,
      week,
      createdAt: existing ? existing.createdAt : new Date(at),
      status: 'published',
      publishedAt: new Date(at),
      firstPublishedAt: new Date(existing?.firstPublishedAt ?? at),
      posts: copy(posts),
    };
    this.cycles.set(key, cycle);
    return copy(cycle);
  }

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
      const { rawPayload: _rawPayload, ...withoutPayload } = last;
      latest.push(copy(withoutPayload));
    }
    return latest.sort(compareSubmissionKeys);
  }

  async submissionHistory(key: PromptKey): Promise<Submission[]> {
    return (this.revisions.get(promptKeyOf(key)) ?? []).map(copy);
  }

  async latestSubmission(key: PromptKey): Promise<LatestSubmission | null> {
    const last = this.revisions.get(promptKeyOf(key))?.at(-1);
    if (!last) return null;
    const { rawPayload: _rawPayload, ...withoutPayload } = last;
    return copy(withoutPayload);
  }

  async findSubmissionBySourceMessage(platform: PlatformName, sourceMessageId: string): Promise<Submission | null> {
    let found: Submission | null = null;
    for (const submission of this.byEvent.values()) {
      if (submission.platform !== platform || submission.sourceMessageId !== sourceMessageId) continue;
      if (!found || submission.revision > found.revision) found = submission;
    }
    return found ? copy(found) : null;
  }

  async recordAbsence(absence: Absence): Promise<void> {
    const list = this.absences.get(absence.teamId) ?? [];
    if (list.some((a) => a.person === absence.person && a.from === absence.from && a.to === absence.to)) return;
    list.push(copy(absence));
    this.absences.set(absence.teamId, list);
  }

  async listAbsences(teamId: string): Promise<Absence[]> {
    return (this.absences.get(teamId) ?? []).map(copy);
  }

  async recordDelegation(delegation: Delegation): Promise<void> {
    const d = delegation;
    if (this.delegations.some((x) => x.teamId === d.teamId && x.week === d.week && x.sectionId === d.sectionId && x.person === d.person)) return;
    this.delegations.push(copy(d));
  }

  async listDelegations(teamId: string, week: string): Promise<Delegation[]> {
    return this.delegations.filter((d) => d.teamId === teamId && d.week === week).map(copy);
  }

  async reservePrompt(key: PromptKey, platform: PlatformName, at: Date, holder?: string): Promise<PromptReservation | null> {
    const id = promptKeyOf(key);
    const existing = this.prompts.get(id);
    if (!existing) {
      this.prompts.set(id, {
        teamId: key.teamId,
        week: key.week,
        sectionId: key.sectionId,
        owner: key.owner,
        platform,
        state: 'sending',
        createdAt: new Date(at),
        reservedAt: new Date(at),
        ...(holder ? { holder } : {}),
      });
      return 'new';
    }
    if (existing.state === 'sending' && existing.reservedAt.getTime() < at.getTime() - this.promptSendingStaleMs) {
      existing.platform = platform;
      existing.reservedAt = new Date(at);
      if (holder) existing.holder = holder;
      else delete existing.holder;
      return 'resumed';
    }
    return null;
  }

  async renewPromptReservation(key: PromptKey, at: Date): Promise<void> {
    const prompt = this.prompts.get(promptKeyOf(key));
    if (prompt?.state === 'sending' && prompt.reservedAt.getTime() >= at.getTime() - this.promptSendingStaleMs) prompt.reservedAt = new Date(at);
  }

  async markPromptSent(key: PromptKey, ref: { channel: string; messageId: string }, at: Date): Promise<void> {
    const prompt = this.prompts.get(promptKeyOf(key));
    // As MongoStore: the first record of where a prompt went stands.
    if (!prompt || prompt.messageId !== undefined) return;
    if (prompt.state === 'sending') prompt.state = 'sent';
    prompt.channel = ref.channel;
    prompt.messageId = ref.messageId;
    prompt.sentAt = new Date(at);
  }

  async releasePrompt(key: PromptKey): Promise<void> {
    const prompt = this.prompts.get(promptKeyOf(key));
    // Stale at once: the next reservePrompt resumes it (and looks for the message first).
    if (prompt?.state === 'sending') prompt.reservedAt = new Date(0);
  }

  async markPromptAnswered(key: PromptKey): Promise<void> {
    const prompt = this.prompts.get(promptKeyOf(key));
    if (prompt) prompt.state = 'answered';
  }

  async claimReminder(key: PromptKey, at: Date): Promise<boolean> {
    const prompt = this.prompts.get(promptKeyOf(key));
    if (prompt?.state !== 'sent') return false;
    prompt.state = 'reminded';
    prompt.remindedAt = new Date(at);
    return true;
  }

  async listPrompts(teamId: string, week: string): Promise<Prompt[]> {
    return [...this.prompts.values()]
      .filter((p) => p.teamId === teamId && p.week === week)
      .sort(compareSubmissionKeys)
      .map(toPrompt);
  }

  async findPromptByMessage(platform: PlatformName, messageId: string): Promise<Prompt | null> {
    for (const prompt of this.prompts.values()) {
      if (prompt.platform === platform && prompt.messageId === messageId) return toPrompt(prompt);
    }
    return null;
  }

  async claimJobRun(key: JobRunKey, holder: string, now: Date, leaseMs: number): Promise<boolean> {
    const id = jobKeyOf(key);
    const run = this.jobRuns.get(id);
    if (!run || (run.state === 'running' && run.leaseUntil.getTime() < now.getTime())) {
      this.jobRuns.set(id, { holder, state: 'running', leaseUntil: new Date(now.getTime() + leaseMs) });
      return true;
    }
    return false;
  }

  async releaseHolder(holder: string): Promise<ReleasedClaims> {
    let jobRuns = 0;
    for (const [id, run] of this.jobRuns) {
      if (run.state === 'running' && run.holder === holder) {
        this.jobRuns.delete(id);
        jobRuns += 1;
      }
    }
    let publications = 0;
    for (const [id, records] of this.publications) {
      const kept = records.filter((r) => !(r.state === 'running' && r.holder === holder));
      publications += records.length - kept.length;
      this.publications.set(id, kept);
    }
    let prompts = 0;
    for (const prompt of this.prompts.values()) {
      if (prompt.state === 'sending' && prompt.holder === holder) {
        prompt.reservedAt = new Date(0);
        prompts += 1;
      }
    }
    return { jobRuns, publications, prompts };
  }

  async renewJobRun(key: JobRunKey, holder: string, now: Date, leaseMs: number): Promise<boolean> {
    const run = this.jobRuns.get(jobKeyOf(key));
    if (run?.state !== 'running' || run.holder !== holder || run.leaseUntil.getTime() < now.getTime()) return false;
    run.leaseUntil = new Date(now.getTime() + leaseMs);
    return true;
  }

  async finishJobRun(key: JobRunKey, holder: string, _now: Date): Promise<void> {
    const run = this.jobRuns.get(jobKeyOf(key));
    // A holder whose lease was taken over no longer owns the run; the new holder finishes it.
    if (run?.state === 'running' && run.holder === holder) run.state = 'done';
  }

  async releaseJobRun(key: JobRunKey, holder: string): Promise<void> {
    const run = this.jobRuns.get(jobKeyOf(key));
    if (run?.state === 'running' && run.holder === holder) this.jobRuns.delete(jobKeyOf(key));
  }

  async isJobRunDone(key: JobRunKey): Promise<boolean> {
    return this.jobRuns.get(jobKeyOf(key))?.state === 'done';
  }

  async claimPublication(teamId: string, week: string, contentHash: string, holder: string, now: Date, leaseMs: number): Promise<PublicationClaimResult> {
    const id = keyOf(teamId, week);
    const list = this.publications.get(id) ?? [];
    const last = list.at(-1);
    const leaseUntil = new Date(now.getTime() + leaseMs);
    if (last?.state === 'running') {
      if (last.leaseUntil.getTime() >= now.getTime()) return { status: 'busy' };
      // Its holder crashed: the publication is ours to redo, under the same sequence.
      Object.assign(last, { holder, contentHash, leaseUntil });
      return { status: 'claimed', claim: { teamId, week, sequence: last.sequence } };
    }
    if (last?.contentHash === contentHash) return { status: 'unchanged' };
    const sequence = (last?.sequence ?? 0) + 1;
    list.push({ sequence, contentHash, holder, state: 'running', leaseUntil });
    this.publications.set(id, list);
    return { status: 'claimed', claim: { teamId, week, sequence } };
  }

  async finishPublication(claim: PublicationClaim, holder: string, _now: Date): Promise<void> {
    const record = this.publicationOf(claim);
    if (record?.state === 'running' && record.holder === holder) record.state = 'done';
  }

  async releasePublication(claim: PublicationClaim, holder: string): Promise<void> {
    const list = this.publications.get(keyOf(claim.teamId, claim.week)) ?? [];
    const at = list.findIndex((p) => p.sequence === claim.sequence && p.state === 'running' && p.holder === holder);
    if (at >= 0) list.splice(at, 1);
  }

  private publicationOf(claim: PublicationClaim): PublicationRecord | undefined {
    return this.publications.get(keyOf(claim.teamId, claim.week))?.find((p) => p.sequence === claim.sequence);
  }

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

  async markEventSeen(platform: PlatformName, eventId: string, now: Date): Promise<boolean> {
    const id = keyOf(platform, eventId);
    const seenAt = this.seenEvents.get(id);
    if (seenAt && seenAt.getTime() >= now.getTime() - this.seenEventWindowMs) return false;
    this.seenEvents.set(id, new Date(now));
    this.pruneSeenEvents(now);
    return true;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}

  private lastPrune = 0;

  private pruneSeenEvents(now: Date): void {
    // Keeps a long-running demo from growing without bound; at most once an hour.
    if (now.getTime() - this.lastPrune < 60 * 60 * 1000) return;
    this.lastPrune = now.getTime();
    const cutoff = now.getTime() - this.seenEventWindowMs;
    for (const [id, seenAt] of this.seenEvents) if (seenAt.getTime() < cutoff) this.seenEvents.delete(id);
  }
}
