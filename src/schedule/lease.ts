import type { Clock } from '../bot/context.ts';
import type { Logger } from '../log.ts';
import type { JobRunKey, Store } from '../store/store.ts';
import { intervalTicker, type Ticker } from './heartbeat.ts';

export interface LeaseTiming {
  /** How long the run is ours after each renewal: a crashed holder's run is free this long after its last beat. */
  leaseMs: number;
  /** How often the holder renews; a fraction of leaseMs, so that a missed beat or two does not lose it. */
  heartbeatMs: number;
  /** The heartbeat's timer; tests give one they step by hand. */
  ticker?: Ticker;
}

/**
 * A claimed job run, kept by a heartbeat while it runs. The lease is short, so that a crashed
 * holder's run (a fan-out killed half-way) is taken over within about a minute; the heartbeat
 * renews it while the holder is alive. Whoever runs under it checks `held` before each send: once
 * a renewal finds the run taken over, or the lease ran out without a renewal (the store was
 * unreachable), the holder stops sending and leaves the rest to whoever holds the run now.
 */
export class JobLease {
  private validUntil: number;
  private lost = false;
  private heartbeat: { stop(): void } | null = null;

  private constructor(
    private readonly store: Store,
    readonly key: JobRunKey,
    readonly holder: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timing: LeaseTiming,
    claimedAt: Date,
  ) {
    this.validUntil = claimedAt.getTime() + timing.leaseMs;
  }

  /** Claims the run and starts its heartbeat; null when someone else holds it or it is done. */
  static async claim(store: Store, key: JobRunKey, holder: string, clock: Clock, logger: Logger, timing: LeaseTiming): Promise<JobLease | null> {
    const now = clock.now();
    if (!(await store.claimJobRun(key, holder, now, timing.leaseMs))) return null;
    const lease = new JobLease(store, key, holder, clock, logger, timing, now);
    lease.heartbeat = (timing.ticker ?? intervalTicker)(timing.heartbeatMs, async () => {
      await lease.renew();
    });
    return lease;
  }

  /** Still ours as far as this holder knows: renewed in time and not found taken over. */
  get held(): boolean {
    return !this.lost && this.clock.now().getTime() <= this.validUntil;
  }

  /** One heartbeat; what the ticker calls. Returns `held` afterwards. */
  async renew(): Promise<boolean> {
    if (this.lost) return false;
    const now = this.clock.now();
    try {
      if (await this.store.renewJobRun(this.key, this.holder, now, this.timing.leaseMs)) {
        this.validUntil = now.getTime() + this.timing.leaseMs;
        return true;
      }
      this.lost = true;
      this.stopHeartbeat();
      this.logger.warn(
        { ...this.key, holder: this.holder },
        'job run lease lost (taken over, or it expired before a renewal): stopping; its holder now finishes it',
      );
      return false;
    } catch (error) {
      // The store did not answer: carry on while the lease we have lasts; the next beat tries again.
      this.logger.warn({ err: error, ...this.key, holder: this.holder }, 'could not renew the job run lease');
      return this.held;
    }
  }

  /** The run is done: nobody runs it again. A no-op for a holder that lost it. */
  async finish(): Promise<void> {
    this.stopHeartbeat();
    if (!this.lost) await this.store.finishJobRun(this.key, this.holder, this.clock.now());
  }

  /** The run is unfinished (failed sends): the next sweep, on any replica, claims it at once. */
  async release(): Promise<void> {
    this.stopHeartbeat();
    if (!this.lost) await this.store.releaseJobRun(this.key, this.holder);
  }

  /** Stops the heartbeat without finishing or releasing (the run was lost, or failed): the lease runs out. */
  stopHeartbeat(): void {
    this.heartbeat?.stop();
    this.heartbeat = null;
  }
}
