import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock, type BotContext } from './bot/context.ts';
import { runDueJobs, type JobOutcome } from '../handlers/cycle/jobs.ts';
import { messagesFor } from '../handlers/texts/messages.ts';
import { openWeekNow } from '../handlers/cycle/prompt.ts';
import { inboundHandlers } from './app.ts';
import { DEFAULT_TEMPLATES_DIR, loadAllTeams } from './config/definitions.ts';
import { parseEnv } from './config/env.ts';
import { exitFor } from './errors.ts';
import { Health } from './health/health.ts';
import { healthRoutes, startHealthServer, stopHealthServer } from './health/server.ts';
import { createLogger } from './log.ts';
import { ConsolePlatform } from './platforms/console/console-platform.ts';
import { ConsoleSession } from './platforms/console/console-session.ts';
import { formatConsoleMessage, runRepl } from './platforms/console/repl.ts';
import type { ChatPlatform } from './platforms/platform.ts';
import type { PlatformRuntime } from './platforms/runtime.ts';
import { DefinitionError, type Team } from './report/definition.ts';
import { isoWeekOf } from './report/week.ts';
import { claimReplicaIdentity } from './schedule/replica.ts';
import { Scheduler } from './schedule/scheduler.ts';
import { seedWeek } from './seed/seed-week.ts';
import { seedHistory, seedWeeksFlag } from './seed/history.ts';
import { openStore } from './store/index.ts';
import type { PlatformName } from './platforms/platform.ts';
import { chatRuntimes, configuredPlatforms } from './platforms/chat-runtimes.ts';
import { Inbound } from './platforms/inbound.ts';
import { DurableIntake } from './platforms/intake/intake.ts';
import { PLATFORM_MODULES, PLATFORM_NAMES } from './platforms/modules.ts';

/**
 * The composition root: reads the environment, loads the team definitions, opens the store,
 * starts the chat platforms (Slack and/or Feishu, or the local console when neither is
 * configured) and the scheduler.
 */
async function main(argv: string[]): Promise<void> {
  const { values: flags } = parseArgs({ args: argv, options: { seed: { type: 'boolean', default: false }, weeks: { type: 'string' }, team: { type: 'string' } } });
  loadDotEnv();
  const env = parseEnv();
  const configured = configuredPlatforms(PLATFORM_MODULES, process.env, env);
  const local = configured.length === 0;
  // The local chat shares the terminal with the log: keep the log to warnings unless asked.
  const logger = createLogger('bot', {
    level: local && !process.env.LOG_LEVEL ? 'warn' : env.LOG_LEVEL,
    // A person reads the local chat: log lines in words, not JSON. Loaded only then.
    ...(local ? { destination: (await import('pino-pretty')).default({ ignore: 'pid,hostname,time,name', colorize: false }) } : {}),
  });
  const teams = await loadAllTeams(PLATFORM_MODULES, env.TEMPLATES_DIR ?? DEFAULT_TEMPLATES_DIR);

  // /healthz and /readyz on PORT: on the server a platform listens with there (Slack over HTTP,
  // Feishu's webhook), or on one of their own, up before the store connects (which may take a
  // while) so that /readyz says "not yet" meanwhile. The local chat has no server.
  const health = new Health({ logger });
  const routes = local ? [] : healthRoutes(health, logger);
  const runtimes: PlatformRuntime[] = await chatRuntimes(configured, logger, routes);
  health.watchPlatforms(runtimes);
  const healthServer = local || runtimes.some((r) => r.servesHttp) ? null : await startHealthServer(routes, env.PORT);
  if (healthServer) logger.info({ port: env.PORT }, 'health endpoints: /healthz and /readyz');

  // A restart with the same DATA_DIR is the same replica: what its previous life held is released below.
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  const replica = local ? { holder: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`, previousHolder: null } : await claimReplicaIdentity(dataDir);
  const { holder } = replica;

  const store = await openStore({ mongoUri: env.MONGODB_URI, logger, platforms: PLATFORM_NAMES });
  health.watchStore(store);
  if (replica.previousHolder) {
    const released = await store.releaseHolder(replica.previousHolder);
    if (released.jobRuns + released.publications + released.prompts > 0) {
      logger.warn({ previousHolder: replica.previousHolder, ...released }, 'restarted mid-run: released what the previous process held, resuming it now');
    }
  }

  const platforms: Partial<Record<PlatformName, ChatPlatform>> = {};
  const ctx: BotContext = { teams, store, modules: PLATFORM_MODULES, platforms, clock: systemClock, logger };
  for (const runtime of runtimes) platforms[runtime.platform.name] = runtime.platform;

  // What Slack and Feishu are told was received is on disk first (the local chat acks nobody).
  const intake = local ? undefined : await DurableIntake.open(dataDir, { logger, storeAvailable: () => store.ping() });
  const inbound = new Inbound(inboundHandlers(ctx, holder), { logger, ...(intake ? { intake } : {}) });
  let consoleSetup: { team: Team; platform: ConsolePlatform; session: ConsoleSession } | null = null;
  if (local) {
    const team = flags.team ? teams.find((t) => t.definition.id === flags.team) : teams[0];
    if (!team) throw new DefinitionError(`no team "${flags.team ?? ''}" in ${env.TEMPLATES_DIR ?? DEFAULT_TEMPLATES_DIR}`);
    ctx.teams = [team];
    const print = (text: string) => process.stdout.write(`${text}\n`);
    // The platform shows each message relative to whoever the session acts as at that moment.
    const current: { session?: ConsoleSession } = {};
    const platform = new ConsolePlatform((message, event) => print(formatConsoleMessage(message, current.session?.you ?? '', event)));
    platforms.console = platform;
    const you = team.definition.leads[0] ?? Object.keys(team.definition.people)[0]!;
    current.session = new ConsoleSession(platform, inbound, you, (message) => print(`\n${message.text}\n`));
    consoleSetup = { team, platform, session: current.session };
  }

  if (flags.seed) {
    for (const team of ctx.teams) {
      const platform = (Object.keys(platforms) as PlatformName[])[0] ?? 'console';
      const week = isoWeekOf(ctx.clock.now(), team.definition.timeZone);
      // Earlier weeks first, so that this week's prompts show last week's text.
      if (flags.weeks) logger.warn({ weeks: await seedHistory(ctx.store, team, week, seedWeeksFlag(flags.weeks)) }, `seeded ${flags.weeks} earlier weeks`);
      const stored = await seedWeek(ctx, team, week, platform);
      logger.warn({ report: team.definition.id, week, stored }, `seeded ${week} with the reference replies`);
    }
  }
  health.setReady(true);

  for (const runtime of runtimes) await runtime.start(inbound);
  intake?.startRetrying();
  const scheduler = new Scheduler(ctx.teams, (team) => runDueJobs(ctx, team, holder), logger);
  await scheduler.start();

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    health.setReady(false);
    await scheduler.stop();
    for (const runtime of runtimes) await runtime.stop();
    await inbound.idle();
    await intake?.close();
    // The spool is closed: DATA_DIR can go to the next process at once.
    if ('release' in replica) await replica.release();
    await store.close();
    if (healthServer) await stopHealthServer(healthServer);
  };
  process.once('SIGINT', () => void shutdown('SIGINT').then(() => process.exit(0)));
  process.once('SIGTERM', () => void shutdown('SIGTERM').then(() => process.exit(0)));
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));

  if (consoleSetup) {
    const { team } = consoleSetup;
    const openNow = async () => {
      const week = isoWeekOf(ctx.clock.now(), team.definition.timeZone);
      const { alreadyOpen, result } = await openWeekNow(ctx, team, week);
      return messagesFor(team.definition.locale).opened(week, alreadyOpen, result);
    };
    const runNow = async () => describeOutcomes(await runDueJobs(ctx, team, holder));
    await runRepl({ ...consoleSetup, runDueJobs: runNow, openNow });
    await shutdown('console closed');
  }
}

/**
 * `.env` in the working directory, read before anything else. Variables already set in the
 * environment win over the file (Node's own loader never overwrites them).
 */
function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** What /run did, in a line per job: "open 2024-W23: done", "publish 2024-W23: skipped (never-opened)". */
function describeOutcomes(outcomes: readonly JobOutcome[]): string {
  if (outcomes.length === 0) return 'Nothing was due now (open Tuesday 15:30, remind Thursday 16:00, publish Friday 17:00, team time).';
  return outcomes.map((o) => `${o.job} ${o.week}: ${o.status}${o.reason ? ` (${o.reason})` : ''}`).join('\n');
}

/** A configuration problem is one clear line; anything else is a crash worth its stack (src/errors.ts decides which). */
function fail(error: unknown): never {
  const exit = exitFor(error);
  console.error(exit.stack ? error : exit.message);
  process.exit(exit.status);
}

main(process.argv.slice(2)).catch((error: unknown) => fail(error));
