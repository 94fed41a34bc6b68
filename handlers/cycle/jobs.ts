import type { BotContext } from '../../src/bot/context.ts';
import { openWeek, runFanOut } from './prompt.ts';
import { publishWeek } from './publish.ts';
import { remindMissing } from './remind.ts';
import type { Team } from '../../src/report/definition.ts';
import { holidayOf } from '../../src/report/holidays.ts';
import { isoWeekOf, momentInWeek } from '../../src/report/week.ts';
import { JOB_ORDER, type JobName } from '../../src/schedule/job-order.ts';
import type { Ticker } from '../../src/schedule/heartbeat.ts';
import { JobLease } from '../../src/schedule/lease.ts';
import type { JobRunKey } from '../../src/store/store.ts';

/**
 * How long a job run stays a replica's after its last heartbeat. A fan-out whose process was
 * killed half-way is taken over by the first sweep (every minute) after this: within two minutes.
 */
export const JOB_LEASE_MS = 60_000;
/** How often a running job renews its lease: three beats per lease, so one slow beat loses nothing. */
export const JOB_HEARTBEAT_MS = 20_000;

export interface JobRunOptions {
  /** The heartbeat's timer (lease and prompt reservations); tests give one they step by hand. */
  ticker?: Ticker;
}

/**
 * Runs one job of one week, once across replicas and restarts. Returns true when the job is done
 * (by us now, or earlier by anyone), false when someone else holds it or it must be retried.
 */
export async function runJob(ctx: BotContext, team: Team, job: JobName, week: string, holder: string, options: JobRunOptions = {}): Promise<boolean> {
  const key: JobRunKey = { teamId: team.definition.id, week, job };
  if (await ctx.store.isJobRunDone(key)) return true;
  if (job === 'publish') {
    // publishWeek claims the first publication itself, because a lead's command can publish too.
    const outcome = await publishWeek(ctx, team, week, holder);
    return outcome.status === 'published';
  }
  const lease = await JobLease.claim(ctx.store, key, holder, ctx.clock, ctx.logger, {
    leaseMs: JOB_LEASE_MS,
    heartbeatMs: JOB_HEARTBEAT_MS,
    ticker: options.ticker,
  });
  if (!lease) return false;
  try {
    let finished: boolean;
    if (job === 'open') {
      await openWeek(ctx, team, week);
      const { result, pending } = await runFanOut(ctx, team, week, { lease, ticker: options.ticker });
      // Failed sends were released, and prompts still being sent by someone else (or by a crashed
      // run) are not confirmed yet: give the run back so that the next sweep resolves them.
      finished = result.failed === 0 && pending === 0;
    } else {
      const remindAt = momentInWeek(week, team.definition.schedule.remind, team.definition.timeZone);
      await remindMissing(ctx, team, week, { promptedBefore: remindAt, lease });
      finished = true;
    }
    // Taken over meanwhile: the new holder finishes the run.
    if (!lease.held) return false;
    if (finished) await lease.finish();
    else await lease.release();
    return finished;
  } finally {
    lease.stopHeartbeat();
  }
}

/** What one scheduled job did, or why it did not run: the local chat's /run says it, and skips are logged. */
export interface JobOutcome {
  job: JobName;
  week: string;
  status: 'done' | 'held' | 'skipped';
  /** Why it was skipped: a holiday, a collection window that closed before the week was opened, … */
  reason?: 'holiday' | 'window-closed' | 'never-opened' | 'opened-late';
}

/**
 * Runs every job of the team's current week whose time has come and that is not done yet, in
 * order (a week is opened before anyone is reminded). This is what the cron ticks call, and what
 * runs at start-up, so a job missed while the bot was down runs as soon as it is back, unless
 * catching up would do the wrong thing:
 * - a missed open is caught up only while the week's collection window is still open (before
 *   the publish time): nobody is prompted with a deadline already past;
 * - a missed publish is caught up only for a week opened before its publish time, and never in
 *   the same catch-up as its open; a week that never opened is not published;
 * - a holiday week (the definition's `holidays`) runs nothing, unless a lead opened it anyway.
 * Each skip is logged once per process.
 */
export async function runDueJobs(ctx: BotContext, team: Team, holder: string, options: JobRunOptions = {}): Promise<JobOutcome[]> {
  const now = ctx.clock.now();
  const { definition } = team;
  const week = isoWeekOf(now, definition.timeZone);
  const at = (job: JobName) => momentInWeek(week, definition.schedule[job], definition.timeZone);
  const outcomes: JobOutcome[] = [];
  const skip = (job: JobName, reason: NonNullable<JobOutcome['reason']>) => {
    outcomes.push({ job, week, status: 'skipped', reason });
    logSkipOnce(ctx, definition.id, week, job, reason);
  };

  let cycle = await ctx.store.getCycle(definition.id, week);
  // A holiday week a lead opened anyway (`open confirm`) runs as any week: its prompts named the deadline.
  if (!cycle && holidayOf(definition, week)) {
    if (at('open') <= now) skip('open', 'holiday');
    return outcomes;
  }
  if (cycle?.status === 'published') return outcomes;
  const publishAt = at('publish');
  for (const job of JOB_ORDER) {
    if (at(job) > now) break;
    if (job === 'open') {
      // Opening after the publish time would prompt with a deadline already past. (So a week is
      // never opened and published in the same catch-up.)
      if (!cycle && publishAt <= now) {
        skip('open', 'window-closed');
        continue;
      }
    } else if (job === 'remind') {
      // Reminding is pointless once the report is due, and for a week that is not open.
      if (!cycle || publishAt <= now) continue;
    } else {
      if (!cycle) {
        skip('publish', 'never-opened');
        break;
      }
      if (cycle.createdAt >= publishAt) {
        skip('publish', 'opened-late');
        break;
      }
    }
    const done = await runJob(ctx, team, job, week, holder, options);
    outcomes.push({ job, week, status: done ? 'done' : 'held' });
    if (!done) break;
    if (job === 'open') cycle = await ctx.store.getCycle(definition.id, week);
  }
  return outcomes;
}

/**
 * Skips already logged, per logger (one a process), so that a sweep every minute does not repeat
 * them; another logger (another bot in the same process, as in tests) is told once too.
 */
const loggedSkips = new WeakMap<BotContext['logger'], Set<string>>();

function logSkipOnce(ctx: BotContext, teamId: string, week: string, job: JobName, reason: string): void {
  const key = `${teamId}:${week}:${job}:${reason}`;
  let logged = loggedSkips.get(ctx.logger);
  if (!logged) {
    logged = new Set();
    loggedSkips.set(ctx.logger, logged);
  }
  if (logged.has(key)) return;
  logged.add(key);
  ctx.logger.warn({ team: teamId, week, job, reason }, `scheduled ${job} of ${week} skipped: ${SKIP_REASONS[reason] ?? reason}`);
}

const SKIP_REASONS: Record<string, string> = {
  holiday: 'a holiday week (the definition lists no report for it)',
  'window-closed':
    'the week was not opened before its publish time, so nobody is prompted with a deadline already past (a lead can open it late with no set deadline, /weekly-report open late, or open the next week now, /weekly-report open next)',
  'never-opened': 'the week was never opened',
  'opened-late': 'the week was opened after its publish time (a lead can publish it)',
};
