import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock, type BotContext } from './bot/context.ts';
import { runDueJobs, type JobOutcome } from '../handlers/cycle/jobs.ts';
import { messagesFor } from '../handlers/texts/messages.ts';
import { openWeekNow } from '../handlers/cycle/prompt.ts';
import { inboundHandlers } from './app.ts';
import { DEFAULT_TEMPLATES_DIR, loadAllTeams } from './config/definitions.ts';
import { loadDotEnv, parseEnv, publicUrlOf } from './config/env.ts';
import { ArchiveLinks } from './archive/links.ts';
import { archiveRoutes } from './archive/routes.ts';
import { archiveData } from '../handlers/archive/archive-data.ts';
import { BotError, exitFor } from './errors.ts';
import { Health } from './health/health.ts';
import { healthRoutes } from './health/server.ts';
import { HttpServer } from './http/server.ts';
import { createLogger } from './log.ts';
import { ConsolePlatform } from './platforms/console/console-platform.ts';
import { ConsoleSession } from './platforms/console/console-session.ts';
import { claimChatPrefix, storeLookups } from './platforms/console/chat-ids.ts';
import { formatConsoleMessage, runRepl } from './platforms/console/repl.ts';
import type { ChatPlatform } from './platforms/platform.ts';
import { DefinitionError, type Team } from './report/definition.ts';
import { isoWeekOf } from './report/week.ts';
import { claimReplicaIdentity } from './schedule/replica.ts';
import { Scheduler } from './schedule/scheduler.ts';
import { describeSeeded, refuseUnlessSeedable, seedTeams } from './seed/seed-teams.ts';
import { seedWeeksFlag } from './seed/history.ts';
import { openStore, type OpenedStore } from './store/index.ts';
import { DeferredStore } from './store/deferred.ts';
import type { PlatformName } from './platforms/platform.ts';
import { Inbound } from './platforms/inbound.ts';
import { DurableIntake } from './platforms/intake/intake.ts';
import { configuredPlatforms, createRuntimes, PLATFORM_MODULES, PLATFORM_NAMES } from './platforms/modules.ts';

/**
 * The composition root: reads the environment, loads the team definitions, starts the one HTTP
 * server and the chat platforms (Slack and/or Feishu, or the local console when neither is
 * configured), connects the store, then starts the scheduler.
 */
async function main(argv: string[]): Promise<void> {
  const { values: flags } = parseArgs({
    args: argv,
    options: { seed: { type: 'boolean', default: false }, weeks: { type: 'string' }, force: { type: 'boolean', default: false }, team: { type: 'string' } },
  });
  if (flags.force && !flags.seed) throw new BotError('usage', '--force goes with --seed: `npm run seed -- --force`');
  const seedWeeks = flags.weeks ? seedWeeksFlag(flags.weeks) : 0;
  loadDotEnv();
  const env = parseEnv();
  const configured = configuredPlatforms(PLATFORM_MODULES, process.env);
  const local = configured.length === 0;
  // The local chat shares the terminal with the log: keep the log to warnings unless asked.
  const logger = createLogger('bot', {
    level: local && !process.env.LOG_LEVEL ? 'warn' : env.LOG_LEVEL,
    // A person reads the local chat: log lines in words, not JSON. Loaded only then.
    ...(local ? { destination: (await import('pino-pretty')).default({ ignore: 'pid,hostname,time,name', colorize: false }) } : {}),
  });
  const teams = await loadAllTeams(PLATFORM_MODULES, env.TEMPLATES_DIR ?? DEFAULT_TEMPLATES_DIR);

  // The handlers hold the store from now on; until it has connected (below), every call on it
  // fails as "unreachable", and the work is kept for later.
  const deferred = new DeferredStore<OpenedStore>();
  const platforms: Partial<Record<PlatformName, ChatPlatform>> = {};
  const ctx: BotContext = { teams, store: deferred.store, modules: PLATFORM_MODULES, platforms, clock: systemClock, logger };
  // The web archive, when ARCHIVE_SECRET is set: its links are signed with it (src/archive/links.ts).
  if (env.ARCHIVE_SECRET) ctx.archive = new ArchiveLinks(env.ARCHIVE_SECRET, publicUrlOf(env));

  // One server on PORT for every platform's routes (Slack's events, Feishu's webhook), the web
  // archive's pages, and /healthz and /readyz, listening from start-up on: the store may take a
  // while to connect, and meanwhile /readyz says "not yet" while what the platforms deliver is
  // verified, spooled and acknowledged as usual (an archive page says it cannot read the reports
  // yet). Slack over Socket Mode and Feishu's long connection add no routes, but health is still
  // served. The local chat has a server only for the archive.
  const health = new Health({ logger });
  const runtimes = await createRuntimes(configured, logger);
  health.watchPlatforms(runtimes);
  const routes = [
    ...healthRoutes(health, logger),
    ...runtimes.flatMap((r) => r.routes?.() ?? []),
    ...(ctx.archive ? archiveRoutes({ links: ctx.archive, data: archiveData(ctx), clock: ctx.clock, logger }) : []),
  ];
  const server = local && !ctx.archive ? null : await HttpServer.start(routes, { port: env.PORT, logger });
  if (server) logger.info({ port: server.port, routes: routes.map((r) => `${r.method} ${r.path}`) }, `listening on port ${server.port}`);
  if (server && ctx.archive && local) process.stdout.write(`Web archive on ${ctx.archive.publicUrl}/archive/ (ask for a link: /weekly-report archive)\n`);

  // A restart with the same DATA_DIR is the same replica: what its previous life held is released below.
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  const replica = local
    ? { holder: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`, previousHolder: null }
    : await claimReplicaIdentity(dataDir);
  const { holder } = replica;

  for (const runtime of runtimes) platforms[runtime.platform.name] = runtime.platform;

  // What Slack and Feishu are told was received is on disk first (the local chat acks nobody), and
  // processed once start-up is done: what arrived before then waits in the spool.
  let started = false;
  const intake = local ? undefined : await DurableIntake.open(dataDir, { logger, storeAvailable: async () => started && (await ctx.store.ping()) });
  const inbound = new Inbound(inboundHandlers(ctx, holder, { starting: () => deferred.opened === null }), { logger, ...(intake ? { intake } : {}) });
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
    current.session = new ConsoleSession(platform, inbound, you, (message) => print(`\n${message.text}\n`), {
      lookups: storeLookups(ctx.store, team, () => ctx.clock.now()),
      locale: team.definition.locale,
    });
    consoleSetup = { team, platform, session: current.session };
  }

  let scheduler: Scheduler | null = null;
  const connecting = new AbortController();
  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    health.setReady(false);
    connecting.abort();
    await scheduler?.stop();
    for (const runtime of runtimes) await runtime.stop();
    await inbound.idle();
    await intake?.close();
    // The spool is closed: DATA_DIR can go to the next process at once.
    if ('release' in replica) await replica.release();
    await deferred.opened?.close();
    await server?.close();
  };
  process.once('SIGINT', () => void shutdown('SIGINT').then(() => process.exit(0)));
  process.once('SIGTERM', () => void shutdown('SIGTERM').then(() => process.exit(0)));
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));

  for (const runtime of runtimes) await runtime.start(inbound);
  intake?.startRetrying();

  // MongoStore.connect waits, with logged retries, until the server answers (or shutdown aborts it).
  const store = await openStore({ mongoUri: env.MONGODB_URI, logger, platforms: PLATFORM_NAMES, signal: connecting.signal }).catch((error: unknown) => {
    if (stopping) return null;
    throw error;
  });
  if (!store) return;
  deferred.open(store);
  health.watchStore(store);
  // A seed that must not write here says so before anything is written, the chat's number included.
  if (flags.seed) await refuseUnlessSeedable(ctx, { force: flags.force, allTeams: teams });
  // The local chat's ids carry its number on this store, before it shows any: an id never names a
  // message of an earlier run (src/platforms/console/chat-ids.ts).
  if (consoleSetup) consoleSetup.session.useIdPrefix(await claimChatPrefix(store, ctx.clock.now()));
  if (replica.previousHolder) {
    const released = await store.releaseHolder(replica.previousHolder);
    if (released.jobRuns + released.publications + released.prompts > 0) {
      logger.warn({ previousHolder: replica.previousHolder, ...released }, 'restarted mid-run: released what the previous process held, resuming it now');
    }
  }

  if (flags.seed) {
    const platform = (Object.keys(platforms) as PlatformName[])[0] ?? 'console';
    // Refused, before anything is written, for a database with weeks the seed did not write (src/seed/seed-teams.ts).
    for (const seeded of await seedTeams(ctx, ctx.teams, { weeks: seedWeeks, force: flags.force, platform, allTeams: teams })) {
      // In the local chat, a line for the person who asked for it (the log there shows warnings only); else, the log's.
      if (local) process.stdout.write(`${describeSeeded(seeded)}\n`);
      else logger.info({ seeded }, describeSeeded(seeded));
    }
  }
  health.setReady(true);

  // What was missed while the bot was down runs first (a week that should be open is opened), so
  // that what was spooled meanwhile is then processed as it would have been when it arrived.
  scheduler = new Scheduler(ctx.teams, (team) => runDueJobs(ctx, team, holder), logger);
  await scheduler.start();
  started = true;
  await intake?.replayPending();

  if (consoleSetup) {
    const { team } = consoleSetup;
    const openNow = async () => {
      const week = isoWeekOf(ctx.clock.now(), team.definition.timeZone);
      const { alreadyOpen, result, late } = await openWeekNow(ctx, team, week);
      return messagesFor(team.definition.locale).opened(week, alreadyOpen, result, late);
    };
    const runNow = async () => describeOutcomes(await runDueJobs(ctx, team, holder));
    await runRepl({ ...consoleSetup, runDueJobs: runNow, openNow });
    await shutdown('console closed');
  }
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
