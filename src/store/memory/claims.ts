import type { ClaimStore, JobRunKey, PublicationClaim, PublicationClaimResult, ReleasedClaims } from '../store.ts';
import type { MemoryPrompts } from './prompts.ts';
import { keyOf } from './shared.ts';

interface JobRunRecord {
  holder: string;
  state: 'running' | 'done';
  leaseUntil: Date;
}

interface PublicationRecord extends JobRunRecord {
  sequence: number;
  contentHash: string;
}

const jobKeyOf = (key: JobRunKey): string => keyOf(key.teamId, key.week, key.job);

/** Scheduled job runs and publications, in memory; a released holder's prompts are the prompts' own. */
export class MemoryClaims implements ClaimStore {
  private readonly jobRuns = new Map<string, JobRunRecord>();
  /** A week's publications, by sequence. */
  private readonly publications = new Map<string, PublicationRecord[]>();
  /** The last number handed out, by series. */
  private readonly numbers = new Map<string, number>();

  constructor(private readonly prompts: Pick<MemoryPrompts, 'releaseHolder'>) {}

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
    return { jobRuns, publications, prompts: this.prompts.releaseHolder(holder) };
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
    const record = this.publications.get(keyOf(claim.teamId, claim.week))?.find((p) => p.sequence === claim.sequence);
    if (record?.state === 'running' && record.holder === holder) record.state = 'done';
  }

  async releasePublication(claim: PublicationClaim, holder: string): Promise<void> {
    const list = this.publications.get(keyOf(claim.teamId, claim.week)) ?? [];
    const at = list.findIndex((p) => p.sequence === claim.sequence && p.state === 'running' && p.holder === holder);
    if (at >= 0) list.splice(at, 1);
  }

  async claimNumber(series: string, _at: Date): Promise<number> {
    const next = (this.numbers.get(series) ?? 0) + 1;
    this.numbers.set(series, next);
    return next;
  }
}
