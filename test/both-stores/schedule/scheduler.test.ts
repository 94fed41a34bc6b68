import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BotContext } from '../../../src/bot/context.ts';
import type { ConsolePlatform } from '../../../src/platforms/console/console-platform.ts';
import type { ChatPlatform } from '../../../src/platforms/platform.ts';
import { cronExpression } from '../../../src/schedule/cron.ts';
import { JOB_LEASE_MS, runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { Scheduler } from '../../../src/schedule/scheduler.ts';
import type { Store } from '../../../src/store/index.ts';
import { PROMPT_SENDING_STALE_MS } from '../../../src/store/index.ts';
import { consoleBot, FakeClock, openTestStore } from '../../support/bot.ts';

const TUESDAY_OPEN = '2024-06-04T15:30:00+08:00';
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
async function store(label: string) {
  const s = await openTestStore(label);
  stores.push(s);
  return s;
}

function promptsOf(...platforms: ConsolePlatform[]): string[] {
  return platforms.flatMap((p) => p.messages.filter((m) => m.answerForm).map((m) => `${m.channel} ${m.answerForm!.sectionId}`)).sort();
}

/** A platform that dies (never answers again) after `n` direct messages, as a crashed process would. */
function dyingAfter(platform: ConsolePlatform, n: number): ChatPlatform {
  let sent = 0;
  return new Proxy(platform, {
    get(target, prop, receiver) {
      if (prop === 'sendDirect') {
        return (...args: Parameters<ChatPlatform['sendDirect']>) => (sent++ < n ? target.sendDirect(...args) : new Promise(() => {}));
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

describe('scheduler', () => {
  it('turns a team’s weekly moments into cron expressions node-cron accepts', () => {
    expect(cronExpression({ day: 'tuesday', time: '15:30' })).toBe('30 15 * * 2');
    expect(cronExpression({ day: 'sunday', time: '00:05' })).toBe('5 0 * * 0');
    expect(cron.validate(cronExpression({ day: 'friday', time: '17:00' }))).toBe(true);
  });

  it('resumes a prompt fan-out that crashed half-way without prompting anyone twice or skipping anyone', async () => {
    const db = await store('restart');
    const clock = new FakeClock(new Date(TUESDAY_OPEN));
    const crashed = await consoleBot(db, clock, 'replica-a');
    const crashedCtx: BotContext = { ...crashed.ctx, platforms: { console: dyingAfter(crashed.platform, 5) } };
    // The first replica hangs forever in its sixth send: it never finishes, like a killed process.
    void runDueJobs(crashedCtx, crashed.team, crashed.holder);
    await vi.waitFor(() => expect(crashed.platform.messages).toHaveLength(5));

    // Restarted before the lease ran out: nothing is sent twice, the crashed run still holds the job.
    const restarted = await consoleBot(db, clock, 'replica-b');
    await runDueJobs(restarted.ctx, restarted.team, restarted.holder);
    expect(restarted.platform.messages).toHaveLength(0);

    // After the lease (and the stuck reservation) expire, the next sweep finishes the fan-out.
    clock.advance(Math.max(JOB_LEASE_MS, PROMPT_SENDING_STALE_MS) + 1);
    await runDueJobs(restarted.ctx, restarted.team, restarted.holder);
    const all = promptsOf(crashed.platform, restarted.platform);
    const expected = crashed.team.definition.sections.flatMap((s) => s.owners.map((o) => `@${o} ${s.id}`)).sort();
    expect(all).toEqual(expected);
    expect(await db.isJobRunDone({ teamId: 'payments-weekly', week: '2024-W23', job: 'open' })).toBe(true);
  });

  it('runs a job missed while the bot was down at start-up, once, and nothing after the week is published', async () => {
    const db = await store('catch-up');
    // Started on Thursday 17:00: Tuesday's opening and Thursday's reminder were missed.
    const clock = new FakeClock(new Date('2024-06-06T17:00:00+08:00'));
    const bot = await consoleBot(db, clock);
    const scheduler = new Scheduler(bot.ctx.teams, (team) => runDueJobs(bot.ctx, team, bot.holder), bot.ctx.logger);
    await scheduler.start();
    await scheduler.stop();
    expect(promptsOf(bot.platform)).toHaveLength(13);
    const cycle = await db.getCycle('payments-weekly', '2024-W23');
    // The week opens when the bot opens it: that is the report's "Created" time.
    expect(cycle?.createdAt.toISOString()).toBe(new Date('2024-06-06T17:00:00+08:00').toISOString());
    // Owners prompted after the reminder's time were just asked: no reminder on top.
    expect(bot.platform.messages.filter((m) => m.text.startsWith('⏰'))).toHaveLength(0);

    // A second start the same day does nothing again.
    const again = new Scheduler(bot.ctx.teams, (team) => runDueJobs(bot.ctx, team, bot.holder), bot.ctx.logger);
    await again.start();
    await again.stop();
    expect(bot.platform.messages.filter((m) => m.answerForm)).toHaveLength(13);

    // Saturday: publish runs once; the week is then closed for the scheduler.
    clock.set('2024-06-08T09:00:00+08:00');
    const saturday = new Scheduler(bot.ctx.teams, (team) => runDueJobs(bot.ctx, team, bot.holder), bot.ctx.logger);
    await saturday.start();
    await saturday.runDue();
    await saturday.stop();
    expect(bot.platform.messages.filter((m) => m.channel === '#payments-weekly' && !m.threadOf)).toHaveLength(1);
    expect((await db.getCycle('payments-weekly', '2024-W23'))?.status).toBe('published');
  });

  it('does not prompt an owner who already answered this week', async () => {
    const db = await store('answered-first');
    const clock = new FakeClock(new Date(TUESDAY_OPEN));
    const bot = await consoleBot(db, clock);
    await db.openCycle('payments-weekly', '2024-W23', clock.now());
    await db.recordSubmission({
      teamId: 'payments-weekly',
      week: '2024-W23',
      sectionId: 'o1',
      owner: 'owner-o1',
      platform: 'console',
      eventId: 'early',
      rawText: 'x',
      content: { kind: 'list', items: [{ text: 'x', children: [] }] },
      receivedAt: clock.now(),
    });
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    expect(promptsOf(bot.platform)).toHaveLength(12);
    expect(promptsOf(bot.platform)).not.toContain('@owner-o1 o1');
  });

  it('on a first start after the publish time, neither prompts with a past deadline nor posts an empty report', async () => {
    const db = await store('late');
    const clock = new FakeClock(new Date('2024-06-07T18:00:00+08:00'));
    const bot = await consoleBot(db, clock);
    const outcomes = await runDueJobs(bot.ctx, bot.team, bot.holder);
    expect(outcomes).toEqual([
      { job: 'open', week: '2024-W23', status: 'skipped', reason: 'window-closed' },
      { job: 'publish', week: '2024-W23', status: 'skipped', reason: 'never-opened' },
    ]);
    expect(bot.platform.messages).toEqual([]);
    expect(await db.getCycle('payments-weekly', '2024-W23')).toBeNull();
  });
});

describe('a prompt that failed to send', () => {
  it('is sent by the next sweep, without waiting for the job lease, and nobody else is prompted twice', async () => {
    const db = await openTestStore('failed-send');
    try {
      const clock = new FakeClock(new Date(TUESDAY_OPEN));
      const bot = await consoleBot(db, clock);
      let failO1 = true;
      const flaky = new Proxy(bot.platform, {
        get(target, prop, receiver) {
          if (prop === 'sendDirect') {
            return (...args: Parameters<ChatPlatform['sendDirect']>) =>
              failO1 && args[0] === 'owner-o1' ? Promise.reject(new Error('channel_not_found')) : target.sendDirect(...args);
          }
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
      await runDueJobs({ ...bot.ctx, platforms: { console: flaky } }, bot.team, bot.holder);
      expect(promptsOf(bot.platform)).toHaveLength(12);
      expect(await db.isJobRunDone({ teamId: 'payments-weekly', week: '2024-W23', job: 'open' })).toBe(false);

      failO1 = false;
      clock.advance(5 * 60_000);
      await runDueJobs({ ...bot.ctx, platforms: { console: flaky } }, bot.team, bot.holder);
      expect(promptsOf(bot.platform)).toHaveLength(13);
      expect(promptsOf(bot.platform)).toContain('@owner-o1 o1');
      expect(await db.isJobRunDone({ teamId: 'payments-weekly', week: '2024-W23', job: 'open' })).toBe(true);
    } finally {
      await db.close();
    }
  });
});
