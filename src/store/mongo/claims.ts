import type { Logger } from '../../log.ts';
import type { ClaimStore, JobRunKey, PublicationClaim, PublicationClaimResult, ReleasedClaims } from '../store.ts';
import type { MongoPrompts } from './prompts.ts';
import type { ClaimedNumberDoc, PublicationDoc, StoreModels } from './schemas.ts';
import { backOff, insertUnlessExists, MAX_RECORD_ATTEMPTS } from './shared.ts';

/**
 * Scheduled job runs, publications and numbers handed out once. A claim is an insert that the unique key admits once; a
 * claim whose holder's lease expired is deleted by exactly its old lease and contended for again.
 */
export class MongoClaims implements ClaimStore {
  constructor(
    private readonly models: Pick<StoreModels, 'jobRuns' | 'publications' | 'claimedNumbers'>,
    /** The prompts a released holder was sending are the prompts' own to give back. */
    private readonly prompts: Pick<MongoPrompts, 'releaseHolder'>,
    private readonly logger: Logger,
  ) {}

  async claimJobRun(key: JobRunKey, holder: string, now: Date, leaseMs: number): Promise<boolean> {
    const { jobRuns } = this.models;
    const filter = jobFilter(key);
    const run = { ...filter, holder, state: 'running' as const, leaseUntil: new Date(now.getTime() + leaseMs), startedAt: now };
    if (await insertUnlessExists(() => jobRuns.create({ ...run, takeovers: 0 }))) return true;

    // Same takeover as reservePrompt: delete exactly the expired lease, then let the unique index
    // pick one contender. A finished run is never matched.
    const expired = await jobRuns
      .findOne({ ...filter, state: 'running', leaseUntil: { $lt: now } })
      .lean<{ _id: unknown; holder: string; leaseUntil: Date; takeovers: number }>();
    if (!expired) return false;
    await jobRuns.deleteOne({ _id: expired._id, state: 'running', holder: expired.holder, leaseUntil: expired.leaseUntil });
    const taken = await insertUnlessExists(() => jobRuns.create({ ...run, takeovers: expired.takeovers + 1 }));
    if (taken) {
      this.logger.warn(
        { ...key, holder, previousHolder: expired.holder, leaseUntil: expired.leaseUntil },
        'took over a job run whose lease expired unfinished',
      );
    }
    return taken;
  }

  async releaseHolder(holder: string): Promise<ReleasedClaims> {
    // The holder is dead (a restarted replica's previous life), so nothing races these writes.
    const runs = await this.models.jobRuns.deleteMany({ holder, state: 'running' });
    const publications = await this.models.publications.deleteMany({ holder, state: 'running' });
    const prompts = await this.prompts.releaseHolder(holder);
    return { jobRuns: runs.deletedCount, publications: publications.deletedCount, prompts };
  }

  async renewJobRun(key: JobRunKey, holder: string, now: Date, leaseMs: number): Promise<boolean> {
    const { jobRuns } = this.models;
    const filter = jobFilter(key);
    // An expired lease is not renewed: a contender may be taking it over (claimJobRun deletes it by
    // its old leaseUntil, which this update would otherwise race).
    const result = await jobRuns.updateOne(
      { ...filter, holder, state: 'running', leaseUntil: { $gte: now } },
      { $set: { leaseUntil: new Date(now.getTime() + leaseMs) } },
    );
    if (result.matchedCount === 0) return false;
    // FerretDB applies an update as an unisolated read-modify-write, so read back that the run is
    // still ours: a takeover deletes the document and inserts its own.
    const current = await jobRuns.findOne(filter, { holder: 1, state: 1 }).lean<{ holder: string; state: string }>();
    return current?.holder === holder && current.state === 'running';
  }

  async finishJobRun(key: JobRunKey, holder: string, now: Date): Promise<void> {
    const result = await this.models.jobRuns.updateOne({ ...jobFilter(key), holder, state: 'running' }, { $set: { state: 'done', finishedAt: now } });
    if (result.matchedCount === 0 && !(await this.models.jobRuns.exists({ ...jobFilter(key), holder, state: 'done' }))) {
      this.logger.warn({ ...key, holder }, 'finished a job run this holder no longer held (its lease was taken over)');
    }
  }

  async releaseJobRun(key: JobRunKey, holder: string): Promise<void> {
    // Deleting the running claim lets the unique index admit the next claimant.
    await this.models.jobRuns.deleteOne({ ...jobFilter(key), holder, state: 'running' });
  }

  async isJobRunDone(key: JobRunKey): Promise<boolean> {
    return (await this.models.jobRuns.exists({ ...jobFilter(key), state: 'done' })) !== null;
  }

  async claimPublication(teamId: string, week: string, contentHash: string, holder: string, now: Date, leaseMs: number): Promise<PublicationClaimResult> {
    const { publications } = this.models;
    // The insert of a sequence is the claim: of contenders for the same one, the unique index
    // admits one; the others read again and find it running.
    for (let attempt = 0; attempt < 5; attempt++) {
      const last = await publications.findOne({ teamId, week }).sort({ sequence: -1 }).lean<PublicationDoc & { _id: unknown }>();
      let sequence: number;
      if (last?.state === 'running') {
        if (last.leaseUntil >= now) return { status: 'busy' };
        // Its holder crashed: delete exactly that claim, then contend for the same sequence.
        await publications.deleteOne({ _id: last._id, state: 'running', holder: last.holder, leaseUntil: last.leaseUntil });
        sequence = last.sequence;
      } else {
        if (last?.contentHash === contentHash) return { status: 'unchanged' };
        sequence = (last?.sequence ?? 0) + 1;
      }
      const claim = { teamId, week, sequence };
      const doc: PublicationDoc = { ...claim, contentHash, holder, state: 'running', leaseUntil: new Date(now.getTime() + leaseMs), startedAt: now };
      if (await insertUnlessExists(() => publications.create(doc))) {
        if (last?.state === 'running')
          this.logger.warn({ ...claim, holder, previousHolder: last.holder }, 'took over a publication whose lease expired unfinished');
        return { status: 'claimed', claim };
      }
    }
    return { status: 'busy' };
  }

  async finishPublication(claim: PublicationClaim, holder: string, now: Date): Promise<void> {
    await this.models.publications.updateOne({ ...publicationFilter(claim), holder, state: 'running' }, { $set: { state: 'done', finishedAt: now } });
  }

  async releasePublication(claim: PublicationClaim, holder: string): Promise<void> {
    await this.models.publications.deleteOne({ ...publicationFilter(claim), holder, state: 'running' });
  }

  async claimNumber(series: string, at: Date): Promise<number> {
    const { claimedNumbers } = this.models;
    // The insert of a number is the claim: of contenders for the same one, the unique index admits
    // one; the others read the highest again and try the one after it.
    for (let attempt = 0; attempt < MAX_RECORD_ATTEMPTS; attempt++) {
      const last = await claimedNumbers.findOne({ series }).sort({ number: -1 }).lean<ClaimedNumberDoc>();
      const number = (last?.number ?? 0) + 1;
      if (await insertUnlessExists(() => claimedNumbers.create({ series, number, claimedAt: at }))) return number;
      await backOff(attempt);
    }
    throw new Error(`could not claim a number of ${series}: every attempt was taken by another caller`);
  }
}

const jobFilter = (key: JobRunKey): JobRunKey => ({ teamId: key.teamId, week: key.week, job: key.job });

const publicationFilter = (claim: PublicationClaim): PublicationClaim => ({ teamId: claim.teamId, week: claim.week, sequence: claim.sequence });
