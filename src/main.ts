import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import pretty from 'pino-pretty';
import { systemClock, type BotContext } from '../handlers/context.ts';
import { openWeek, promptOwners } from '../handlers/prompt.ts';
import { inboundHandlers } from './app.ts';
import { DEFAULT_TEMPLATES_DIR, loadAllTeamReports } from './config/definitions.ts';
import { EnvError, parseEnv } from './config/env.ts';
import { createLogger } from './log.ts';
import { ConsolePlatform } from './platforms/console/console-platform.ts';
import { ConsoleSession } from './platforms/console/console-session.ts';
import { formatConsoleMessage, runRepl } from './platforms/console/repl.ts';
import type { ChatPlatform } from './platforms/platform.ts';
import type { PlatformRuntime } from './platforms/runtime.ts';
import { DefinitionError, type TeamReport } from './report/definition.ts';
import { isoWeekOf } from './report/week.ts';
import { Scheduler } from './schedule/scheduler.ts';
import { seedWeek } from './seed/seed-week.ts';
import { openStore } from './store/index.ts';
import type { PlatformName } from './store/store.ts';
import { chatRuntimes } from './platforms/chat-runtimes.ts';

/**
 * The composition root: reads the environment, loads the team definitions, opens the store,
 * starts the chat platforms (Slack and/or Feishu, or the local console when neither is
 * configured) and the scheduler.
 */
async function main(argv: string[]): Promise<void> {
  const { values: flags } = parseArgs({ args: argv, options: { seed: { type: 'boolean', default: false }, team: { type: 'string' } } });
  const env = parseEnv();
  const local = !env.SLACK_BOT_TOKEN && !env.FEISHU_APP_ID;
  // The local chat shares the terminal with the log: keep the log to warnings unless asked.
  const logger = createLogger('bot', {
    level: local && !process.env.LOG_LEVEL ? 'warn' : env.LOG_LEVEL,
    // A person reads the local chat: log lines in words, not JSON.
    ...(local ? { destination: pretty({ ignore: 'pid,hostname,time,name', colorize: false }) } : {}),
  });
  const teams = await loadAllTeamReports(env.TEMPLATES_DIR ?? DEFAULT_TEMPLATES_DIR);
  const store = await openStore({ mongoUri: env.MONGODB_URI, logger });
  const holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  const platforms: Partial<Record<PlatformName, ChatPlatform>> = {};
  const ctx: BotContext = { teams, store, platforms, clock: systemClock, logger };
  const runtimes: PlatformRuntime[] = local ? [] : await chatRuntimes(env, logger);
  for (const runtime of runtimes) platforms[runtime.platform.name] = runtime.platform;

  const handlers = inboundHandlers(ctx, holder);
  let consoleSetup: { team: TeamReport; platform: ConsolePlatform; session: ConsoleSession } | null = null;
  if (local) {
    const team = flags.team ? teams.find((t) => t.definition.id === flags.team) : teams[0];
    if (!team) throw new DefinitionError(`no team "${flags.team ?? ''}" in ${env.TEMPLATES_DIR ?? DEFAULT_TEMPLATES_DIR}`);
    ctx.teams = [team];
    const print = (text: string) => process.stdout.write(`${text}\n`);
    // The platform shows each message relative to whoever the session acts as at that moment.
    const current: { session?: ConsoleSession } = {};
    const platform = new ConsolePlatform((message, event) => print(formatConsoleMessage(message, current.session?.you ?? '', event)), team.definition.people);
    platforms.console = platform;
    const you = team.definition.leads[0] ?? Object.keys(team.definition.people)[0]!;
    current.session = new ConsoleSession(platform, handlers, you, (message) => print(`\n${message.text}\n`));
    consoleSetup = { team, platform, session: current.session };
  }

  for (const runtime of runtimes) await runtime.start(handlers);
  const scheduler = new Scheduler(ctx, holder);
  await scheduler.start();

  if (flags.seed) {
    for (const team of ctx.teams) {
      const platform = (Object.keys(platforms) as PlatformName[])[0] ?? 'console';
      const week = isoWeekOf(ctx.clock.now(), team.definition.timeZone);
      const stored = await seedWeek(ctx, team, week, platform);
      logger.warn({ report: team.definition.id, week, stored }, `seeded ${week} with the reference replies`);
    }
  }

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    await scheduler.stop();
    for (const runtime of runtimes) await runtime.stop();
    await store.close();
  };
  process.once('SIGINT', () => void shutdown('SIGINT').then(() => process.exit(0)));
  process.once('SIGTERM', () => void shutdown('SIGTERM').then(() => process.exit(0)));
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));

  if (consoleSetup) {
    const { team } = consoleSetup;
    const openNow = async () => {
      const week = isoWeekOf(ctx.clock.now(), team.definition.timeZone);
      await openWeek(ctx, team, week);
      await promptOwners(ctx, team, week);
    };
    await runRepl({ ...consoleSetup, runDueJobs: () => scheduler.runDue(), openNow });
    await shutdown('console closed');
  }
}

/** A configuration problem is one clear line; anything else is a crash worth its stack. */
function fail(error: unknown): never {
  if (error instanceof EnvError || error instanceof DefinitionError) console.error(error.message);
  else console.error(error);
  process.exit(1);
}

main(process.argv.slice(2)).catch((error: unknown) => fail(error));
