import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.ts';
import type { Team } from '../report/definition.ts';
import { cronExpression } from './cron.ts';
import { JOB_ORDER } from './job-order.ts';

/**
 * How often due-but-unfinished jobs are looked for (crash recovery, failed sends): every minute,
 * so that a run whose holder died (its one-minute lease unrenewed) resumes within two minutes.
 * A sweep with nothing due reads a few records and sends nothing.
 */
export const SWEEP_CRON = '* * * * *';

/** What a tick does for one team: run its due jobs (handlers/cycle/jobs.ts), idempotently. */
export type RunDueJobs = (team: Team) => Promise<unknown>;

/**
 * node-cron wiring: for each team, a tick at each of its job times, in its time zone, and a
 * sweep every minute. Every tick runs the same idempotent `runDueJobs` (the use case, given
 * by the composition root), so a tick that fires on two replicas, or twice, does the work once.
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly teams: readonly Team[],
    private readonly runDueJobs: RunDueJobs,
    private readonly logger: Logger,
  ) {}

  /** Starts the cron tasks and runs what was missed while the bot was down. */
  async start(): Promise<void> {
    for (const team of this.teams) {
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
    await Promise.all(this.teams.map((team) => this.tick(team)));
  }

  /** One team at a time per process: a tick that comes while the last one runs waits for it. */
  private tick(team: Team): Promise<void> {
    const id = team.definition.id;
    const previous = this.running.get(id) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        await this.runDueJobs(team);
      })
      .catch((error: unknown) => this.logger.error({ err: error, report: id }, 'scheduled job failed; the next sweep retries it'))
      .finally(() => {
        if (this.running.get(id) === next) this.running.delete(id);
      });
    this.running.set(id, next);
    return next;
  }
}
