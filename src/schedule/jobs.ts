import type { BotContext } from '../../handlers/context.ts';
import { openWeek, promptOwners } from '../../handlers/prompt.ts';
import { publishWeek } from '../../handlers/publish.ts';
import { remindMissing } from '../../handlers/remind.ts';
import type { TeamReport } from '../report/definition.ts';
import { isoWeekOf, momentInWeek } from '../report/week.ts';
import type { JobRunKey } from '../store/store.ts';

export type JobName = JobRunKey['job'];
export const JOB_ORDER: readonly JobName[] = ['open', 'remind', 'publish'];

/**
 * How long a replica holds a job run before another may take it over. A fan-out that crashed
 * half-way is resumed after this; the prompts it already sent are reserved and are not sent again.
 */
export const JOB_LEASE_MS = 10 * 60_000;

/**
 * Runs one job of one week, once across replicas and restarts. Returns true when the job is done
 * (by us now, or earlier by anyone), false when someone else holds it or it must be retried.
 */
export async function runJob(ctx: BotContext, team: TeamReport, job: JobName, week: string, holder: string): Promise<boolean> {
  const key: JobRunKey = { reportId: team.definition.id, week, job };
  if (await ctx.store.isJobRunDone(key)) return true;
  if (job === 'publish') {
    // publishWeek claims the first publication itself, because a lead's command can publish too.
    const outcome = await publishWeek(ctx, team, week, holder);
    return outcome.status === 'published';
  }
  if (!(await ctx.store.claimJobRun(key, holder, ctx.clock.now(), JOB_LEASE_MS))) return false;
  let finished = true;
  if (job === 'open') {
    await openWeek(ctx, team, week);
    const result = await promptOwners(ctx, team, week);
    // Failed sends were released: give the run back so the next sweep retries them.
    finished = result.failed === 0;
  } else {
    const remindAt = momentInWeek(week, team.definition.schedule.remind, team.definition.timeZone);
    await remindMissing(ctx, team, week, { promptedBefore: remindAt });
  }
  if (finished) await ctx.store.finishJobRun(key, holder, ctx.clock.now());
  else await ctx.store.releaseJobRun(key, holder);
  return finished;
}

/**
 * Runs every job of the team's current week whose time has come and that is not done yet, in
 * order (a week is opened before anyone is reminded). This is what the cron ticks call, and what
 * runs at start-up, so a job missed while the bot was down runs as soon as it is back.
 */
export async function runDueJobs(ctx: BotContext, team: TeamReport, holder: string): Promise<void> {
  const now = ctx.clock.now();
  const { definition } = team;
  const week = isoWeekOf(now, definition.timeZone);
  const cycle = await ctx.store.getCycle(definition.id, week);
  if (cycle?.status === 'published') return;
  const publishAt = momentInWeek(week, definition.schedule.publish, definition.timeZone);
  for (const job of JOB_ORDER) {
    if (momentInWeek(week, definition.schedule[job], definition.timeZone) > now) return;
    // Reminding is pointless once the report is due.
    if (job === 'remind' && publishAt <= now) continue;
    if (!(await runJob(ctx, team, job, week, holder))) return;
  }
}
