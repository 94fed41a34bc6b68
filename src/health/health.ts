import type { Logger } from '../log.ts';
import type { PlatformName } from '../platforms/platform.ts';
import type { PlatformRuntime } from '../platforms/runtime.ts';

/** What /healthz asks of the store: a ping, and what kind of store it is. */
export interface HealthStore {
  ping(): Promise<boolean>;
  describe(): { kind: string };
}

export interface HealthReport {
  /** 'ok' when the store and every platform answer; 'degraded' otherwise. */
  status: 'ok' | 'degraded';
  /** Whether start-up is done (what /readyz answers). */
  ready: boolean;
  /** `kind` is 'none' until the store is opened. */
  store: { ok: boolean; kind: string };
  platforms: Partial<Record<PlatformName, { ok: boolean }>>;
}

export interface HealthOptions {
  logger: Logger;
  /**
   * How long an answer is reused, in ms (default 5 s): a probe every second, or anyone who can
   * reach the port, then costs Slack or Feishu one call per platform every few seconds at most.
   */
  cacheMs?: number;
  /** How long a check may take before it counts as failed, in ms (default 3 s): probes time out too. */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * What the health endpoints (./server.ts) report: whether the store and each platform are
 * reachable, and whether start-up is done. The composition root tells it what to watch as it
 * opens things, and when it is ready.
 */
export class Health {
  private store: { target: HealthStore; check: CachedCheck } | null = null;
  private platforms: { name: PlatformName; check: CachedCheck | null }[] = [];
  private isReady = false;

  constructor(private readonly options: HealthOptions) {}

  watchStore(store: HealthStore): void {
    this.store = { target: store, check: this.cached('the store', () => store.ping()) };
  }

  watchPlatforms(runtimes: readonly PlatformRuntime[]): void {
    this.platforms = runtimes.map((runtime) => {
      const name = runtime.platform.name;
      return { name, check: runtime.health ? this.cached(name, () => runtime.health!()) : null };
    });
  }

  /** True once start-up is done; false again while shutting down, so that traffic moves elsewhere first. */
  setReady(ready: boolean): void {
    this.isReady = ready;
  }

  get ready(): boolean {
    return this.isReady;
  }

  async report(): Promise<HealthReport> {
    const [store, ...platforms] = await Promise.all([
      this.store ? this.store.check.run() : Promise.resolve(false),
      ...this.platforms.map((p) => (p.check ? p.check.run() : Promise.resolve(true))),
    ]);
    const report: HealthReport = {
      status: store && platforms.every(Boolean) ? 'ok' : 'degraded',
      ready: this.isReady,
      store: { ok: store === true, kind: this.store?.target.describe().kind ?? 'none' },
      platforms: {},
    };
    this.platforms.forEach((p, i) => (report.platforms[p.name] = { ok: platforms[i] === true }));
    return report;
  }

  private cached(subject: string, probe: () => Promise<boolean>): CachedCheck {
    return new CachedCheck(subject, probe, {
      cacheMs: this.options.cacheMs ?? 5_000,
      timeoutMs: this.options.timeoutMs ?? 3_000,
      now: this.options.now ?? Date.now,
      logger: this.options.logger,
    });
  }
}

/**
 * One probe, run at most once per `cacheMs` however many requests ask (concurrent ones share the
 * run in flight), bounded by `timeoutMs`. A change of answer is logged once, with the reason.
 */
class CachedCheck {
  private last: { at: number; ok: boolean } | null = null;
  private running: Promise<boolean> | null = null;

  constructor(
    private readonly subject: string,
    private readonly probe: () => Promise<boolean>,
    private readonly options: { cacheMs: number; timeoutMs: number; now: () => number; logger: Logger },
  ) {}

  run(): Promise<boolean> {
    if (this.last && this.options.now() - this.last.at < this.options.cacheMs) return Promise.resolve(this.last.ok);
    this.running ??= this.probeOnce().then((ok) => {
      this.last = { at: this.options.now(), ok };
      this.running = null;
      return ok;
    });
    return this.running;
  }

  private async probeOnce(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      timer.unref();
    });
    let ok: boolean;
    let reason: unknown;
    try {
      ok = (await Promise.race([this.probe(), timeout])) === true;
    } catch (error) {
      ok = false;
      reason = error;
    } finally {
      clearTimeout(timer);
    }
    const was = this.last?.ok;
    if (!ok && was !== false) this.options.logger.warn(reason ? { err: reason } : {}, `health: ${this.subject} is not reachable`);
    if (ok && was === false) this.options.logger.info(`health: ${this.subject} is reachable again`);
    return ok;
  }
}
