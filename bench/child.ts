import type { Team } from '../src/report/definition.ts';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { systemClock, type BotContext } from '../src/bot/context.ts';
import { openWeek, promptOwners, type FanOutResult } from '../handlers/cycle/prompt.ts';
import { inboundHandlers } from '../src/app.ts';
import { HttpServer } from '../src/http/server.ts';
import { createLogger } from '../src/log.ts';
import { createSlackRuntime, type SlackRuntime } from '../src/platforms/slack/app.ts';
import { SlackPlatform } from '../src/platforms/slack/client-platform.ts';
import type { SlackConfig } from '../src/platforms/slack/config.ts';
import { compileReport } from '../src/report/compile.ts';
import { isoWeekOf } from '../src/report/week.ts';
import { CachingStore, MongoStore } from '../src/store/index.ts';
import { COLLECTIONS } from '../src/store/mongo/schemas.ts';
import type { Store } from '../src/store/store.ts';
import {
  serveRequests,
  type BotRequest,
  type CompileRequest,
  type Diagnostics,
  type CompileSizeReport,
  type FanOutReport,
  type FanOutRequest,
  type LogReport,
  type MemoryReport,
  type StartRequest,
  type WorkspaceFanOutReport,
  type WorkspaceFanOutRequest,
} from './ipc.ts';
import { createFeishuRuntime, type FeishuRuntime } from '../src/platforms/feishu/app.ts';
import { runDbFloor } from './scenarios/db-floor.ts';
import { PacedWebClient, SendPacer, shardSections } from './prototype/paced-fan-out.ts';
import { epochMs, summarize } from './stats.ts';
import { benchTeams, BENCH_TIME_ZONE, compileFixture, type BenchTeams } from './teams.ts';
import { TimedPlatform } from './timed-platform.ts';
import { PLATFORM_MODULES, PLATFORM_NAMES } from '../src/platforms/modules.ts';
import { Inbound } from '../src/platforms/inbound.ts';
import { DurableIntake } from '../src/platforms/intake/intake.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * One process of the bench, driven by bench/run.ts over IPC: the bot (the real Slack runtime and
 * shared handlers on MongoDB), the bare-Bolt floor, or the compile-scaling runs.
 */

const EVENTS_PATH = '/slack/events';

/** Warnings and errors the bot logs during the run, counted rather than printed. */
class LogCounter {
  warnings = 0;
  errors = 0;
  readonly samples: string[] = [];

  write(line: string): void {
    const entry = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } };
    if (entry.level >= 50) this.errors += 1;
    else if (entry.level >= 40) this.warnings += 1;
    else return;
    if (this.samples.length < 10) this.samples.push(`${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`.slice(0, 300));
  }

  report(): LogReport {
    return { warnings: this.warnings, errors: this.errors, samples: [...this.samples] };
  }
}

type StoreTimes = Diagnostics['store'];

/**
 * The store the handlers get: MongoStore itself, timing every call by method, and recording
 * when each submission was stored (for the ingestion latency).
 */
function observeStore(store: Store, times: StoreTimes, onStored: (eventId: string, at: number) => void): Store {
  const timed = (method: string, call: () => Promise<unknown>) => {
    const start = performance.now();
    const done = () => {
      const ms = performance.now() - start;
      const entry = (times[method] ??= { calls: 0, totalMs: 0, maxMs: 0 });
      entry.calls += 1;
      entry.totalMs += ms;
      entry.maxMs = Math.max(entry.maxMs, ms);
    };
    const work = call();
    work.then(done, done);
    return work;
  };
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = String(property);
      if (method === 'close') return value.bind(target);
      if (method === 'recordSubmission') {
        return (input: Parameters<Store['recordSubmission']>[0]) =>
          timed(method, async () => {
            const result = await target.recordSubmission(input);
            if (!result.duplicate) onStored(input.eventId, epochMs());
            return result;
          });
      }
      return (...args: unknown[]) => timed(method, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const storeTimes: StoreTimes = {};

function diagnostics(): Diagnostics {
  // The histogram counts the whole timer interval: the sampling period itself is not lag.
  const ms = (ns: number) => Number(Math.max(0, ns / 1e6 - 10).toFixed(1));
  const store: StoreTimes = {};
  for (const [method, t] of Object.entries(storeTimes)) {
    store[method] = { calls: t.calls, totalMs: Math.round(t.totalMs), maxMs: Number(t.maxMs.toFixed(1)) };
    delete storeTimes[method];
  }
  const answered = summarize(serverAckMs.splice(0));
  const report = {
    eventLoopDelay: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
    serverAck: { count: answered.count, p50: Number(answered.median.toFixed(1)), p99: Number(answered.p99.toFixed(1)), max: Number(answered.max.toFixed(1)) },
    store,
  };
  loopDelay.reset();
  return report;
}

/**
 * What the bot's server read from each connection to /slack/events, counted by the socket itself
 * (headers included) when it closes: the measure of "not read whole" in scenario 6.
 */
const httpReads: number[] = [];
const watchedSockets = new WeakSet<Socket>();
/** From the request reaching the bot's server to the end of its answer, ms: the ack time the bot itself spends. */
const serverAckMs: number[] = [];
subscribe('http.server.request.start', (message) => {
  const { request, response, socket } = message as { request: IncomingMessage; response: ServerResponse; socket: Socket };
  if ((request.url ?? '').startsWith(EVENTS_PATH)) {
    const start = performance.now();
    response.once('finish', () => serverAckMs.push(performance.now() - start));
  }
  if (!(request.url ?? '').startsWith(EVENTS_PATH) || watchedSockets.has(socket)) return;
  watchedSockets.add(socket);
  socket.once('close', () => httpReads.push(socket.bytesRead));
});

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100);
sampler.unref();

/** `resetPeak`: the peak starts again from now (scenario 6 wants the peak of its flood, not of start-up). */
function memory(resetPeak = false): MemoryReport {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  const report = { rss: usage.rss, heapUsed: usage.heapUsed, peakRss };
  if (resetPeak) peakRss = usage.rss;
  return report;
}

interface BotState {
  runtime: SlackRuntime;
  /** The bot's one server, with the Slack route on it. */
  server: HttpServer;
  /** Sending only (its webhook is not started): scenario 7 on Feishu. */
  feishu: FeishuRuntime | undefined;
  store: MongoStore;
  ctx: BotContext;
  teams: BenchTeams;
  config: SlackConfig;
  logs: LogCounter;
  stored: { eventId: string; at: number }[];
  intake: DurableIntake;
  spoolDir: string;
}

let bot: BotState | undefined;
let bare: App | undefined;

async function startBot(request: StartRequest): Promise<{ eventsUrl: string }> {
  const logs = new LogCounter();
  const logger = createLogger('bench-bot', { level: 'warn', destination: logs });
  const teams = benchTeams(request.sizes);
  const store = await MongoStore.connect(request.mongoUri, { logger, retry: { maxAttempts: 3 }, platforms: PLATFORM_NAMES });
  const stored: BotState['stored'] = [];
  const config: SlackConfig = { botToken: request.botToken, apiUrl: request.apiUrl, transport: { mode: 'http', signingSecret: request.signingSecret } };
  // The production retry policy (SLACK_RETRY_POLICY); no bot ids: auth.test is asked, as in production.
  const runtime = createSlackRuntime(config, { logger });
  const server = await HttpServer.start(runtime.routes(), { port: 0, host: '127.0.0.1', logger });
  const feishu = request.feishu
    ? createFeishuRuntime(
        {
          appId: request.feishu.appId,
          appSecret: request.feishu.appSecret,
          domain: request.feishu.domain,
          transport: { mode: 'webhook', encryptKey: 'bench-encrypt-key', verificationToken: 'bench-token' },
        },
        { logger },
      )
    : undefined;
  const ctx: BotContext = {
    teams: [...teams.ingest, teams.fanOut, ...teams.workspace],
    // As production: the cache in front of the store (src/store/index.ts, openStore), the timing inside it.
    store: new CachingStore(
      observeStore(store, storeTimes, (eventId, at) => stored.push({ eventId, at })),
      systemClock,
    ),
    modules: PLATFORM_MODULES,
    platforms: { slack: runtime.platform },
    clock: systemClock,
    logger,
  };
  // Replies count only in an open week: this week is opened for every team that receives them.
  const week = isoWeekOf(systemClock.now(), BENCH_TIME_ZONE);
  for (const team of teams.ingest) await openWeek(ctx, team, week);
  // As src/main.ts wires it: every verified delivery is spooled to disk (fdatasync) before the ack.
  const spoolDir = await mkdtemp(path.join(tmpdir(), 'bench-spool-'));
  const intake = await DurableIntake.open(spoolDir, { logger, storeAvailable: () => store.ping() });
  await runtime.start(new Inbound(inboundHandlers(ctx, 'bench-holder'), { logger, intake }));
  intake.startRetrying();
  bot = { runtime, server, feishu, store, ctx, teams, config, logs, stored, intake, spoolDir };
  return { eventsUrl: server.url(EVENTS_PATH) };
}

/** The floor: Bolt on the same receiver and signing, with listeners that only acknowledge. */
async function startBare(request: StartRequest): Promise<{ eventsUrl: string }> {
  const receiver = new HTTPReceiver({ signingSecret: request.signingSecret, endpoints: [EVENTS_PATH], processBeforeResponse: false, logLevel: LogLevel.ERROR });
  const app = new App({
    token: request.botToken,
    botId: request.botId,
    botUserId: request.botUserId,
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: request.apiUrl },
  });
  app.command('/weekly-report', async ({ ack }) => {
    await ack();
  });
  app.event('message', async () => {});
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  bare = app;
  const { port } = server.address() as AddressInfo;
  return { eventsUrl: `http://127.0.0.1:${port}${EVENTS_PATH}` };
}

function requireBot(): BotState {
  if (!bot) throw new Error('the bot is not started');
  return bot;
}

async function countSubmissions(week: string): Promise<{ submissions: number; distinctEvents: number }> {
  const { store, teams } = requireBot();
  const filter = { teamId: { $in: teams.ingest.map((t) => t.definition.id) }, week };
  const docs = await store.connection
    .collection(COLLECTIONS.submissions)
    .find(filter, { projection: { eventId: 1 } })
    .toArray();
  return { submissions: docs.length, distinctEvents: new Set(docs.map((d) => String(d.eventId))).size };
}

async function fanOut(request: FanOutRequest): Promise<FanOutReport> {
  const state = requireBot();
  const team = state.teams.fanOut;
  if (request.variant === 'as-is') {
    await openWeek(state.ctx, team, request.week);
    // The runtime's own platform (one WebClient, its 429 handling), as the scheduler's open job uses it.
    const timed = new TimedPlatform(state.runtime.platform);
    const ctx: BotContext = { ...state.ctx, platforms: { slack: timed } };
    const start = performance.now();
    const result = await promptOwners(ctx, team, request.week);
    return { result, elapsedMs: performance.now() - start, sendMs: timed.sendMs };
  }
  // Prototype: a fresh WebClient (no DM channels cached) with the same retry policy, pacing
  // chat.postMessage, and the sections spread over `concurrency` promptOwners calls.
  const pacer = new SendPacer(request.ratePerSecond ?? 19, request.perChannelPerSecond ?? 0.95);
  const timed = new TimedPlatform(new SlackPlatform(new PacedWebClient(state.config, state.ctx.logger, pacer)));
  const own = request.mongoUri
    ? await MongoStore.connect(request.mongoUri, { logger: state.ctx.logger, retry: { maxAttempts: 3 }, platforms: PLATFORM_NAMES })
    : undefined;
  const store = own
    ? new CachingStore(
        observeStore(own, storeTimes, () => {}),
        systemClock,
      )
    : state.ctx.store;
  const ctx: BotContext = { ...state.ctx, store, platforms: { slack: timed } };
  await openWeek(ctx, team, request.week);
  const start = performance.now();
  const results = await Promise.all(shardSections(team, request.concurrency ?? 4).map((shard) => promptOwners(ctx, shard, request.week)));
  const elapsedMs = performance.now() - start;
  if (own) {
    await own.connection.dropDatabase().catch(() => {});
    await own.close();
  }
  const result = results.reduce<FanOutResult>(
    (sum, r) => ({
      sent: sum.sent + r.sent,
      skipped: sum.skipped + r.skipped,
      failed: sum.failed + r.failed,
      unreachable: sum.unreachable + r.unreachable,
      away: sum.away + r.away,
    }),
    { sent: 0, skipped: 0, failed: 0, unreachable: 0, away: 0 },
  );
  return { result, elapsedMs, sendMs: timed.sendMs };
}

/**
 * Scenario 7: every workspace team opens its week and prompts its owners at the same moment, as
 * when they share an opening time, all through the one platform (one token, one app) the runtime
 * built: its pacer is what keeps them under the limit together.
 */
async function workspaceFanOut(request: WorkspaceFanOutRequest): Promise<WorkspaceFanOutReport> {
  const state = requireBot();
  const platform = request.platform === 'slack' ? state.runtime.platform : state.feishu?.platform;
  if (!platform) throw new Error(`bench: the bot was started without ${request.platform}`);
  const timed = new TimedPlatform(platform);
  const ctx: BotContext = { ...state.ctx, platforms: { [request.platform]: timed } };
  for (const team of state.teams.workspace) await openWeek(ctx, team, request.week);
  const start = performance.now();
  let storeErrors = 0;
  // As the scheduler runs it: a team whose fan-out failed (FerretDB's SQLite answers SQLITE_BUSY
  // when twenty teams write at once) is run again, as the next sweep would, and sends only what
  // is still unsent.
  const promptUntilDone = async (team: Team): Promise<FanOutResult> => {
    const total: FanOutResult = { sent: 0, skipped: 0, failed: 0, unreachable: 0, away: 0 };
    for (let round = 0; round < 20; round++) {
      try {
        const r = await promptOwners(ctx, team, request.week);
        total.sent += r.sent;
        total.unreachable = r.unreachable;
        total.away = r.away;
        if (r.failed === 0) return total;
      } catch {
        storeErrors += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    total.failed += 1;
    return total;
  };
  const results = await Promise.all(state.teams.workspace.map((team) => promptUntilDone(team)));
  const elapsedMs = performance.now() - start;
  if (storeErrors > 0) process.stderr.write(`[bench] scenario 7: ${storeErrors} fan-out runs failed on a store error and were run again\n`);
  const result = results.reduce<FanOutResult>(
    (sum, r) => ({
      sent: sum.sent + r.sent,
      skipped: sum.skipped + r.skipped,
      failed: sum.failed + r.failed,
      unreachable: sum.unreachable + r.unreachable,
      away: sum.away + r.away,
    }),
    { sent: 0, skipped: 0, failed: 0, unreachable: 0, away: 0 },
  );
  return { result, elapsedMs, sendMs: timed.sendMs };
}

function compileScaling(request: CompileRequest): CompileSizeReport[] {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('compile scaling needs node --expose-gc');
  const week = '2024-W23';
  const createdAt = new Date('2024-06-04T07:30:00Z');
  const reports: CompileSizeReport[] = [];
  for (const sections of request.sections) {
    const { team, answers } = compileFixture(sections, request.itemsPerSection);
    const input = { team, week, createdAt, answers };
    // Warm-up: JIT, and the layout template compiled once per team (compile.ts caches it).
    for (let i = 0; i < Math.max(2, Math.min(10, Math.ceil(20_000 / sections))); i++) compileReport(input);
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = compileReport(input);
    const transientHeapBytes = process.memoryUsage().heapUsed - before;
    gc();
    const retainedHeapBytes = process.memoryUsage().heapUsed - before;
    // At least `runs`, and at least a second of compiling, so that small sizes are not all noise.
    const runsMs: number[] = [];
    const started = performance.now();
    while (runsMs.length < request.runs || (performance.now() - started < 1000 && runsMs.length < 5000)) {
      const start = performance.now();
      compileReport(input);
      runsMs.push(performance.now() - start);
    }
    const answerFilterMs: number[] = [];
    let matched = 0;
    for (let i = 0; i < runsMs.length; i++) {
      const start = performance.now();
      for (const section of team.definition.sections) matched += answers.filter((a) => a.sectionId === section.id).length;
      answerFilterMs.push(performance.now() - start);
    }
    if (matched !== answers.length * runsMs.length) throw new Error('bench: the answers filter matched an unexpected number of answers');
    reports.push({ sections, runsMs, answerFilterMs, retainedHeapBytes, transientHeapBytes, markdownChars: kept.markdown.length });
  }
  return reports;
}

async function stop(dropDatabase: boolean): Promise<null> {
  if (bot) {
    const { runtime, server, store, intake, spoolDir } = bot;
    bot = undefined;
    await runtime.stop();
    await server.close();
    await intake.close();
    await rm(spoolDir, { recursive: true, force: true });
    if (dropDatabase) await store.connection.dropDatabase().catch(() => {});
    await store.close();
  }
  if (bare) {
    const app = bare;
    bare = undefined;
    await app.stop();
  }
  return null;
}

async function handle(request: BotRequest): Promise<unknown> {
  switch (request.type) {
    case 'start':
      return request.mode === 'bot' ? startBot(request) : startBare(request);
    case 'idle':
      await requireBot().runtime.idle();
      return null;
    case 'stored':
      return requireBot().stored.splice(0);
    case 'count-submissions':
      return countSubmissions(request.week);
    case 'fan-out':
      return fanOut(request);
    case 'workspace-fan-out':
      return workspaceFanOut(request);
    case 'db-floor':
      return runDbFloor(request);
    case 'memory':
      return memory(request.resetPeak);
    case 'logs':
      return bot?.logs.report() ?? { warnings: 0, errors: 0, samples: [] };
    case 'diagnostics':
      return diagnostics();
    case 'http-reads':
      return httpReads.splice(0);
    case 'compile':
      return compileScaling(request);
    case 'stop': {
      await stop(request.dropDatabase);
      // Answer first, then leave.
      setTimeout(() => process.exit(0), 50);
      return null;
    }
  }
}

serveRequests(handle);
