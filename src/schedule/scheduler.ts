import cron, { type ScheduledTask } from 'node-cron';
import type { BotContext } from '../../handlers/context.ts';
import type { TeamReport } from '../report/definition.ts';
import { cronExpression } from './cron.ts';
import { JOB_ORDER, runDueJobs } from './jobs.ts';

/** How often due-but-unfinished jobs are looked for (crash recovery, failed sends). */
export const SWEEP_CRON = '*/5 * * * *';

/**
 * node-cron wiring: for each team, a tick at each of its job times, in its time zone, and a
 * sweep every few minutes. Every tick runs the same idempotent `runDueJobs`, so a tick that fires
 * on two replicas, or twice, does the work once.
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: BotContext,
    private readonly holder: string,
  ) {}

  /** Starts the cron tasks and runs what was missed while the bot was down. */
  async start(): Promise<void> {
    for (const team of this.ctx.teams) {
      const { timeZone, schedule } = team.definition;
      for (const job of JOB_ORDER) {
        this.tasks.push(cron.schedule(cronExpression(schedule[job]), () => this.tick(team), { timezone: timeZone, name: `${team.definition.id}:${job}` }));
      }
      this.tasks.push(cron.schedule(SWEEP_CRON, () => this.tick(team), { timezone: timeZone, name: `${team.definition.id}:sweep` }));
    }
    await this.runDue();
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.map((t) => t.stop()));
    this.tasks.length = 0;
    await Promise.all(this.running.values());
  }

  /** Runs every team's due jobs now; what start-up and each tick do. */
  async runDue(): Promise<void> {
    await Promise.all(this.ctx.teams.map((team) => this.tick(team)));
  }

  /** One team at a time per process: a tick that comes while the last one runs waits for it. */
  private tick(team: TeamReport): Promise<void> {
    const id = team.definition.id;
    const previous = this.running.get(id) ?? Promise.resolve();
    const next = previous
      .then(() => runDueJobs(this.ctx, team, this.holder))
      .catch((error: unknown) => this.ctx.logger.error({ err: error, report: id }, 'scheduled job failed; the next sweep retries it'))
      .finally(() => {
        if (this.running.get(id) === next) this.running.delete(id);
      });
    this.running.set(id, next);
    return next;
  }
}
