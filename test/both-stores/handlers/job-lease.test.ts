import { afterEach, describe, expect, it } from 'vitest';
import { JOB_HEARTBEAT_MS, JOB_LEASE_MS, runDueJobs, runJob } from '../../../handlers/cycle/jobs.ts';
import type { BotContext } from '../../../src/bot/context.ts';
import { createLogger } from '../../../src/log.ts';
import type { ChatPlatform } from '../../../src/platforms/platform.ts';
import type { Ticker } from '../../../src/schedule/heartbeat.ts';
import { JobLease } from '../../../src/schedule/lease.ts';
import type { JobRunKey, Store } from '../../../src/store/store.ts';
import { consoleBot, FakeClock, openTestStore } from '../../support/bot.ts';

const OPEN = '2024-06-04T15:30:00+08:00';
const KEY: JobRunKey = { teamId: 'payments-weekly', week: '2024-W23', job: 'open' };
const logger = createLogger('job-lease-test');

/** A heartbeat stepped by hand: `beat()` runs what a real interval would run at its next tick. */
function manualTicker() {
  const beats = new Set<() => Promise<void>>();
  const ticker: Ticker = (_ms, beat) => {
    beats.add(beat);
    return { stop: () => void beats.delete(beat) };
  };
  return {
    ticker,
    beat: async () => {
      for (const beat of [...beats]) await beat();
    },
    /** Heartbeats started and not stopped. */
    get running() {
      return beats.size;
    },
  };
}

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
async function store(label: string): Promise<Store> {
  const s = await openTestStore(label);
  stores.push(s);
  return s;
}

describe('job run lease and heartbeat', () => {
  it('keeps a live holder’s run for as long as it beats, and frees a silent one a lease after its last beat', async () => {
    const db = await store('lease_heartbeat');
    const clock = new FakeClock(new Date(OPEN));
    const ticker = manualTicker();
    const lease = (await JobLease.claim(db, KEY, 'replica-a', clock, logger, { leaseMs: JOB_LEASE_MS, heartbeatMs: JOB_HEARTBEAT_MS, ticker: ticker.ticker }))!;
    expect(lease).not.toBeNull();
    expect(ticker.running).toBe(1);

    // Alive for five leases, beating on time: nobody takes it over.
    for (let t = 0; t < 5 * JOB_LEASE_MS; t += JOB_HEARTBEAT_MS) {
      clock.advance(JOB_HEARTBEAT_MS);
      await ticker.beat();
      expect(lease.held).toBe(true);
      expect(await db.claimJobRun(KEY, 'replica-b', clock.now(), JOB_LEASE_MS)).toBe(false);
    }

    // Killed: no more beats. Within the lease nothing changes; just after it, another replica takes over.
    clock.advance(JOB_LEASE_MS);
    expect(await db.claimJobRun(KEY, 'replica-b', clock.now(), JOB_LEASE_MS)).toBe(false);
    clock.advance(1000);
    expect(lease.held).toBe(false);
    expect(await db.claimJobRun(KEY, 'replica-b', clock.now(), JOB_LEASE_MS)).toBe(true);

    // The old holder, if it was only frozen, learns at its next beat that the run is gone, stops beating, and cannot finish it.
    expect(await lease.renew()).toBe(false);
    expect(ticker.running).toBe(0);
    await lease.finish();
    expect(await db.isJobRunDone(KEY)).toBe(false);
    await db.finishJobRun(KEY, 'replica-b', clock.now());
    expect(await db.isJobRunDone(KEY)).toBe(true);
  });

  it('stops a fan-out before its next send once a heartbeat finds the run taken over, and the new holder prompts the rest once', async () => {
    const db = await store('lease_stop_sending');
    const clock = new FakeClock(new Date(OPEN));
    const stalled = await consoleBot(db, clock, 'replica-a');
    const ticker = manualTicker();
    let sends = 0;
    const platform = new Proxy(stalled.platform, {
      get(target, prop, receiver) {
        if (prop !== 'sendDirect') return Reflect.get(target, prop, receiver) as unknown;
        return async (...args: Parameters<ChatPlatform['sendDirect']>) => {
          sends += 1;
          if (sends === 3) {
            // Replica A froze past its lease (a long GC pause, a suspended VM): replica B took the run over.
            clock.advance(JOB_LEASE_MS + 1000);
            expect(await db.claimJobRun(KEY, 'replica-b', clock.now(), JOB_LEASE_MS)).toBe(true);
            clock.set(OPEN);
            await ticker.beat();
          }
          return target.sendDirect(...args);
        };
      },
    });
    const ctx: BotContext = { ...stalled.ctx, platforms: { console: platform } };

    expect(await runJob(ctx, stalled.team, 'open', '2024-W23', 'replica-a', { ticker: ticker.ticker })).toBe(false);
    // What was already on its way went out (the sends in flight at once); nothing after.
    expect(sends).toBeLessThanOrEqual(3 + 3);
    expect(ticker.running).toBe(0);

    // Replica B finishes the run (here, after the claim it took in the middle ran out): the rest of the owners, once each.
    clock.advance(2 * JOB_LEASE_MS + 2000);
    const other = await consoleBot(db, clock, 'replica-b');
    await runDueJobs(other.ctx, other.team, 'replica-b', { ticker: manualTicker().ticker });
    expect(await db.isJobRunDone(KEY)).toBe(true);
    const prompted = [...stalled.platform.messages, ...other.platform.messages]
      .filter((m) => m.answerForm)
      .map((m) => `${m.channel} ${m.answerForm!.sectionId}`);
    expect(prompted.sort()).toEqual(stalled.team.definition.sections.flatMap((s) => s.owners.map((o) => `@${o} ${s.id}`)).sort());
  });
});
