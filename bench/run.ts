import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { describeMongoUri } from '../src/store/index.ts';
import { isoWeekOf } from '../src/report/week.ts';
import { parseBenchArgs, USAGE, type BenchOptions } from './args.ts';
import { BenchChild, type StartRequest } from './ipc.ts';
import { withDatabase } from './mongo-uri.ts';
import { mergeLoads, type LoadResult } from './load.ts';
import {
  markdownTable,
  targetsList,
  type BenchResults,
  type CommandAckResult,
  type CompileResult,
  type DbFloorResult,
  type WorkspaceFanOutResult,
  type FanOutResultSet,
  type FanOutVariantResult,
  type IngestionResult,
  type MemoryResult,
  type OversizedResult,
} from './report.ts';
import { mergeCommandLoads, sendCommands, sendCommandsAtRate, type CommandLoad } from './scenarios/command-ack.ts';
import { sendOversizedBodies } from './scenarios/oversized-bodies.ts';
import { postOversized } from '../test/fakes/oversized-body.ts';
import { MAX_BODY_BYTES } from '../src/http/limits.ts';
import { BOT_ID, BOT_TOKEN, BOT_USER_ID, SIGNING_SECRET, type BenchRun } from './scenarios/context.ts';
import { analyseFanOut, mark, maxPromptsPerOwner } from './scenarios/fan-out.ts';
import { deliverReplies, planReplies, type ReplyPlan } from './scenarios/ingestion.ts';
import { BenchSlackApi } from './slack-fake.ts';
import { epochMs, rounded, summarize, type Summary } from './stats.ts';
import { benchTeams, BENCH_TIME_ZONE, feishuUsersOf, slackUsersOf, type BenchTeamSizes } from './teams.ts';
import { FakeFeishuOpenApi } from '../test/fakes/feishu-open-api.ts';
import { BenchFeishuApi } from './feishu-fake.ts';
import { feishuModule } from '../src/platforms/feishu/module.ts';
import { analyseFeishuWorkspace, analyseSlackWorkspace, feishuFloorSeconds, markFeishu } from './scenarios/workspace-fan-out.ts';
import type { BenchOptions as Options } from './args.ts';
import { slackModule } from '../src/platforms/slack/module.ts';

/**
 * `npm run bench`: the bot's acknowledgement latency, reply ingestion, prompt fan-out under
 * Slack's rate limits, compile scaling and memory, each next to its floor measured in the same
 * run. See docs/performance.md.
 */

const CHILD = new URL('./child.ts', import.meta.url);
const MiB = 1024 * 1024;
const ROOT = new URL('../', import.meta.url);
const FEISHU_APP = { appId: 'cli_bench_app', appSecret: 'bench-app-secret' };

/** Node flags of every bench process that runs bot code: the compiled bot from dist/ (see compiled-bot/). */
let childFlags: string[] = [];

/**
 * The bot's sources (src/, handlers/) whose compiled copy in dist/ is missing or older: the bench
 * would measure other code than the checkout's.
 */
function staleCompiledFiles(): string[] {
  const stale: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(new URL(folder, ROOT), { withFileTypes: true })) {
      const relative = `${folder}${entry.name}`;
      if (entry.isDirectory()) walk(`${relative}/`);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const compiled = new URL(`dist/${relative.replace(/\.ts$/, '.js')}`, ROOT);
        if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(new URL(relative, ROOT)).mtimeMs) stale.push(relative);
      }
    }
  };
  walk('src/');
  walk('handlers/');
  return stale;
}

function compiledBotFlags(options: Options): string[] {
  if (options.fromSource) return [];
  if (!existsSync(new URL('dist/src/main.js', ROOT))) {
    console.error('The bench runs the compiled bot: run `npm run build` first (or pass --from-source).');
    process.exit(2);
  }
  const stale = staleCompiledFiles();
  if (stale.length > 0) {
    console.error(
      `dist/ is older than ${stale.length} source file(s) (${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}): run \`npm run build\` first (or pass --from-source).`,
    );
    process.exit(2);
  }
  return ['--import', new URL('./compiled-bot/register.mjs', import.meta.url).href];
}

/** The load generator's own event-loop delay: if it lags, the latencies it measures do too. */
const clientLoop = monitorEventLoopDelay({ resolution: 10 });
clientLoop.enable();

function clientLoopDelay(): { p50: number; p99: number; max: number } {
  // The histogram counts the whole timer interval: the sampling period itself is not lag.
  const ms = (ns: number) => Number(Math.max(0, ns / 1e6 - 10).toFixed(1));
  const report = { p50: ms(clientLoop.percentile(50)), p99: ms(clientLoop.percentile(99)), max: ms(clientLoop.max) };
  clientLoop.reset();
  return report;
}

function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function summary(values: number[]): Summary {
  return rounded(summarize(values));
}

function allOk(load: LoadResult): boolean {
  return Object.keys(load.statuses).every((status) => status === '200');
}

const mib = (bytes: number) => Number((bytes / MiB).toFixed(1));

async function databaseServer(uri: string): Promise<string> {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    const info = (await connection.db!.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
    return info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion} (MongoDB ${info.version ?? '?'} wire)` : `MongoDB ${info.version ?? '?'}`;
  } finally {
    await connection.close();
  }
}

async function dropDatabase(uri: string): Promise<void> {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000 }).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

function startRequest(run: BenchRun, mode: StartRequest['mode'], sizes: BenchTeamSizes): StartRequest {
  return {
    type: 'start',
    mode,
    apiUrl: run.slack.apiUrl,
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    botUserId: BOT_USER_ID,
    botId: BOT_ID,
    mongoUri: run.mongoUri,
    sizes,
  };
}

/** The bare-Bolt floor's process, alive until scenario 1 has run against it beside the bot. */
interface FloorRun {
  child: BenchChild;
  eventsUrl: string;
  events?: LoadResult;
  commands?: CommandLoad;
  /** Status commands at BURST_COMMAND_RATE a second during its bursts: the floor of scenario 2's commands during the bot's. */
  commandsDuringBurst?: CommandLoad;
  /** Its RSS after its load, once stopped. */
  rss: number;
}

/**
 * The floor: bare Bolt, same receiver and signing, listeners that only ack. Scenario 2's
 * deliveries run against it here, before the bot starts; scenario 1's commands run later, in
 * rounds interleaved with the bot's (runCommandRounds), and stopFloor ends it.
 */
async function startFloor(run: BenchRun, sizes: BenchTeamSizes, plan: ReplyPlan | undefined): Promise<FloorRun> {
  const child = BenchChild.fork(CHILD, childFlags);
  try {
    const { eventsUrl } = await child.call(startRequest(run, 'bare', sizes));
    const floor: FloorRun = { child, eventsUrl, rss: 0 };
    if (plan) {
      progress(
        `2. floor: ${plan.deliveries.length} reply deliveries against bare Bolt, once to warm up and ${FLOOR_BURSTS} times measured, with status commands at ${BURST_COMMAND_RATE}/s meanwhile`,
      );
      // Unmeasured first: the bot meets scenario 2 warm, after scenario 1.
      await deliverReplies(run, eventsUrl, plan);
      const events: LoadResult[] = [];
      const commands: CommandLoad[] = [];
      for (let burst = 0; burst < FLOOR_BURSTS; burst++) {
        const delivering = deliverReplies(run, eventsUrl, plan);
        const asking = sendCommandsAtRate(run, eventsUrl, BURST_COMMAND_RATE, delivering);
        events.push((await delivering).load);
        commands.push(await asking);
      }
      floor.events = mergeLoads(events);
      floor.commandsDuringBurst = mergeCommandLoads(commands);
    }
    return floor;
  } catch (error) {
    await child.exit();
    throw error;
  }
}

async function stopFloor(floor: FloorRun): Promise<void> {
  try {
    floor.rss = (await floor.child.call({ type: 'memory' })).rss;
    await floor.child.call({ type: 'stop', dropDatabase: false });
  } finally {
    await floor.child.exit();
  }
}

/**
 * Scenario 2 also has leads asking for the status while the answers pour in: commands started at
 * this rate during the burst, against the floor and the bot alike. The bot's burst lasts until
 * its work on the replies is done as well.
 */
const BURST_COMMAND_RATE = 20;
/** The floor takes scenario 2's deliveries this many times after a first one (bare Bolt only acks them): about as many commands as during the bot's longer burst, so that both p99s rest on as many samples. */
const FLOOR_BURSTS = 15;

/** Rounds of scenario 1 per side: the bot and the floor take turns (floor, bot, bot, floor, …). */
const COMMAND_ROUNDS = 4;

/**
 * Scenario 1's commands against the floor and the bot in alternating rounds, after the same
 * warm-up each: this machine's speed drifts within a run (other tenants, the database settling),
 * and taking turns gives both sides the same share of it.
 */
async function runCommandRounds(
  run: BenchRun,
  floor: FloorRun,
  botUrl: string,
  afterWarmup: () => Promise<void>,
): Promise<{ bot: CommandLoad; floor: CommandLoad }> {
  const { options } = run;
  if (options.warmup > 0) {
    await sendCommands(run, floor.eventsUrl, options.warmup);
    await sendCommands(run, botUrl, options.warmup);
  }
  await afterWarmup();
  const bot: CommandLoad[] = [];
  const bare: CommandLoad[] = [];
  const perRound = Math.ceil(options.commands / COMMAND_ROUNDS);
  for (let round = 0; round < COMMAND_ROUNDS; round++) {
    const count = Math.min(perRound, options.commands - round * perRound);
    const floorFirst = round % 2 === 0;
    if (floorFirst) bare.push(await sendCommands(run, floor.eventsUrl, count));
    bot.push(await sendCommands(run, botUrl, count));
    if (!floorFirst) bare.push(await sendCommands(run, floor.eventsUrl, count));
  }
  return { bot: mergeCommandLoads(bot), floor: mergeCommandLoads(bare) };
}

/**
 * Scenario 2's DB floor, in a process of its own, on a database of its own on the same server:
 * as many replies as the bot will store, at the same concurrency, each the least work a reply
 * needs (bench/scenarios/db-floor.ts).
 */
async function runDbFloor(run: BenchRun, plan: ReplyPlan, mongoUri: string): Promise<DbFloorResult> {
  const { options } = run;
  const child = BenchChild.fork(CHILD, childFlags);
  try {
    const concurrency = options.ingestConcurrency;
    progress(`2. DB floor: ${plan.events.length} replies' minimal database work (insert + update + find), ${concurrency} in flight`);
    const sample = plan.events[0]!.event as { text?: string };
    const report = await child.call({
      type: 'db-floor',
      mongoUri,
      replies: plan.events.length,
      concurrency,
      teams: options.teams,
      owners: options.owners,
      sampleText: String(sample.text ?? ''),
      samplePayload: JSON.stringify(plan.events[0]!.event),
    });
    await child.call({ type: 'stop', dropDatabase: false });
    const perSecond = Number((plan.events.length / (report.elapsedMs / 1000)).toFixed(1));
    progress(`2. DB floor: ${perSecond} replies/s`);
    return { replies: plan.events.length, concurrency, perSecond, latency: summary(report.latencies), failures: report.failures };
  } finally {
    await child.exit();
  }
}

/**
 * Most a refused request may have been read from its socket: the limit, the socket read in flight
 * when it was passed, the one Node's HTTP parser had buffered, and the headers.
 */
const OVERSIZED_READ_LIMIT = MAX_BODY_BYTES + 2 * 64 * 1024 + 8 * 1024;

const fmtBytes = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** Scenario 6 on a bot of its own, so that its idle memory is not what earlier scenarios left. */
async function runOversized(run: BenchRun, sizes: BenchTeamSizes): Promise<OversizedResult> {
  const { options } = run;
  const child = BenchChild.fork(CHILD, childFlags);
  try {
    const { eventsUrl } = await child.call(startRequest(run, 'bot', sizes));
    // Warm-up: the HTTP path, Bolt's verification and its 401, so that idle is the bot ready to
    // work. Small unsigned bodies, each on a connection of its own that closes with the answer.
    for (let i = 0; i < 50; i++) await postOversized(eventsUrl, { bytes: 1024, declareLength: true });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await child.call({ type: 'http-reads' });
    const idle = await child.call({ type: 'memory', resetPeak: true });
    progress(`6. bot: ${options.oversizedRequests} unsigned ${options.oversizedMiB} MiB bodies to /slack/events at once (idle RSS ${mib(idle.rss)} MiB)`);
    const sent = await sendOversizedBodies(eventsUrl, { requests: options.oversizedRequests, bytes: options.oversizedMiB * MiB });
    // The bot closes each refused connection a moment after its 413 (src/http/limits.ts, LINGER_MS):
    // a connection's reads are counted when it closes.
    const reads: number[] = [];
    for (const deadline = Date.now() + 10_000; reads.length < options.oversizedRequests && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      reads.push(...(await child.call({ type: 'http-reads' })));
    }
    const after = await child.call({ type: 'memory' });
    const botLog = await child.call({ type: 'logs' });
    await child.call({ type: 'stop', dropDatabase: true });
    const statuses: Record<number, number> = {};
    for (const a of sent.answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    progress(`6. bot: HTTP ${JSON.stringify(statuses)} in ${Math.round(sent.elapsedMs)} ms; peak RSS ${mib(after.peakRss)} MiB`);
    return {
      requests: options.oversizedRequests,
      bodyMiB: options.oversizedMiB,
      limitBytes: MAX_BODY_BYTES,
      statuses,
      sentMiB: summary(sent.answers.map((a) => a.sentBytes / MiB)),
      readBytes: rounded(summarize(reads), 0),
      answerMs: summary(sent.answers.map((a) => a.elapsedMs)),
      idleRssMiB: mib(idle.rss),
      peakRssMiB: mib(after.peakRss),
      afterRssMiB: mib(after.rss),
      peakRatio: Number((after.peakRss / idle.rss).toFixed(2)),
      botLog,
    };
  } finally {
    await child.exit();
  }
}

async function main(): Promise<void> {
  let parsed: BenchOptions | 'help';
  try {
    parsed = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  const options = parsed;
  const baseUri = process.env.MONGODB_URI?.trim();
  const botScenarios = [1, 2, 3].filter((s) => options.scenarios.has(s));
  const startsBot = botScenarios.length > 0 || options.scenarios.has(7);
  if (!baseUri && (startsBot || options.scenarios.has(5) || options.scenarios.has(6))) {
    console.error('MONGODB_URI is required: the bot runs on a real MongoDB (or FerretDB), e.g.\n  MONGODB_URI=mongodb://127.0.0.1:27017 npm run bench');
    process.exit(2);
  }

  const startedAt = new Date();
  childFlags = compiledBotFlags(options);
  const sizes: BenchTeamSizes = {
    ingestTeams: options.teams,
    ingestOwners: options.owners,
    fanOutOwners: options.fanOutOwners,
    fanOutSectionsPerOwner: options.sectionsPerOwner,
    workspaceTeams: options.scenarios.has(7) ? options.workspaceTeams : 0,
    workspaceOwners: options.workspaceOwners,
  };
  const teams = benchTeams(sizes);
  const database = `bench_${startedAt.getTime().toString(36)}_${randomBytes(3).toString('hex')}`;
  const mongoUri = baseUri ? withDatabase(baseUri, database) : '';
  // The prototype fan-out gets a database of its own, so that it starts as empty as the as-is run did.
  const prototypeUri = baseUri ? withDatabase(baseUri, `${database}_p`) : '';
  // Scenario 6's bot has a database of its own too (dropped when it stops).
  const oversizedUri = baseUri ? withDatabase(baseUri, `${database}_o`) : '';
  // Scenario 2's DB floor too (it drops it when done).
  const dbFloorUri = baseUri ? withDatabase(baseUri, `${database}_f`) : '';
  const results: BenchResults = {
    schema: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    durationS: 0,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    database: { server: baseUri ? await databaseServer(mongoUri) : 'none', location: baseUri ? describeMongoUri(mongoUri) : 'none' },
    options: { ...options, scenarios: [...options.scenarios].sort(), profile: undefined },
    botBuild: options.fromSource ? 'source' : 'dist',
    targets: [],
  };
  progress(`database ${results.database.location} (${results.database.server}); ${results.machine.cpus} CPUs`);

  const slack = await BenchSlackApi.start({
    token: BOT_TOKEN,
    botUserId: BOT_USER_ID,
    botId: BOT_ID,
    users: slackUsersOf([...teams.ingest, teams.fanOut, ...teams.workspace]),
    channels: [...teams.ingest, teams.fanOut, ...teams.workspace].map((t) => slackModule.reportChannel(t.definition)!),
  });
  // Feishu for scenario 7: the tests' fake Open API behind the app's documented limits.
  let feishu: BenchFeishuApi | undefined;
  if (options.scenarios.has(7)) {
    const fake = new FakeFeishuOpenApi(FEISHU_APP);
    for (const user of feishuUsersOf(teams.workspace)) fake.addUser(user);
    for (const team of teams.workspace) fake.addGroup(feishuModule.reportChannel(team.definition)!);
    fake.limitPerReceiver(options.feishuPerUser);
    feishu = await BenchFeishuApi.start(fake);
  }
  const run: BenchRun = { options, slack, teams, mongoUri, progress };
  let bot: BenchChild | undefined;
  let botStopped = false;
  let floor: FloorRun | undefined;
  try {
    const plan = options.scenarios.has(2) ? planReplies(run) : undefined;
    if (botScenarios.length > 0 || options.scenarios.has(5)) floor = await startFloor(run, sizes, plan);
    const dbFloor = plan ? await runDbFloor(run, plan, dbFloorUri) : undefined;

    if (startsBot) {
      bot = BenchChild.fork(CHILD, [...childFlags, ...(options.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.profile)}`] : [])]);
      const child = bot;
      const { eventsUrl } = await child.call({ ...startRequest(run, 'bot', sizes), ...(feishu ? { feishu: { ...FEISHU_APP, domain: feishu.url } } : {}) });
      progress(`bot listening at ${eventsUrl}`);

      // ---- 1. command acknowledgement ----
      if (options.scenarios.has(1) && floor) {
        progress(
          `1. ${options.commands} commands at concurrency ${options.concurrency}, bot and bare Bolt taking turns in ${COMMAND_ROUNDS} rounds each (after ${options.warmup} warm-up each)`,
        );
        let responsesBefore = 0;
        const loads = await runCommandRounds(run, floor, eventsUrl, async () => {
          await child.call({ type: 'idle' });
          responsesBefore = slack.fake.responses.length;
          await child.call({ type: 'diagnostics' });
          clientLoopDelay();
        });
        floor.commands = loads.floor;
        const load = loads.bot;
        const commandLoop = clientLoopDelay();
        await child.call({ type: 'idle' });
        const commandDiagnostics = await child.call({ type: 'diagnostics' });
        const overResponseUrl = slack.fake.responses.length - responsesBefore;
        const result: CommandAckResult = {
          requests: options.commands,
          concurrency: options.concurrency,
          warmup: options.warmup,
          rounds: COMMAND_ROUNDS,
          bot: summary(load.latencies),
          floor: summary(loads.floor.latencies),
          p99Ratio: 0,
          statuses: { bot: load.statuses, floor: loads.floor.statuses },
          responsesDelivered: load.answeredInAck + overResponseUrl,
          answeredInAck: load.answeredInAck,
          answeredOverResponseUrl: overResponseUrl,
          requestsPerSecond: {
            bot: Math.round(options.commands / (load.elapsedMs / 1000)),
            floor: Math.round(options.commands / (loads.floor.elapsedMs / 1000)),
          },
          diagnostics: commandDiagnostics,
          clientLoopDelay: commandLoop,
        };
        result.p99Ratio = Number((result.bot.p99 / result.floor.p99).toFixed(2));
        results.commandAck = result;
        const delivered = `${result.responsesDelivered}/${options.commands} status answers delivered (${result.answeredInAck} in the ack, ${result.answeredOverResponseUrl} over response_url); HTTP ${JSON.stringify(load.statuses)}`;
        results.targets.push({
          scenario: 1,
          target: 'command ack p99 within 1.5× the bare-Bolt floor',
          measured: `p99 ${result.bot.p99} ms vs floor ${result.floor.p99} ms = ${result.p99Ratio}×; ${delivered}`,
          met: result.p99Ratio <= 1.5 && allOk(load) && result.responsesDelivered === options.commands,
        });
        results.targets.push({
          scenario: 1,
          target: 'command ack p99 under 100 ms',
          measured: `p99 ${result.bot.p99} ms (the floor's own: ${result.floor.p99} ms)`,
          met: result.bot.p99 < 100,
        });
      }
      if (floor) await stopFloor(floor);

      // ---- 2. reply ingestion ----
      if (plan && floor?.events) {
        const mode = options.ingestRate > 0 ? `open loop at ${options.ingestRate}/s` : `closed loop, ${options.ingestConcurrency} in flight`;
        progress(`2. bot: ${plan.deliveries.length} reply deliveries (${plan.events.length} distinct), ${mode}`);
        await child.call({ type: 'stored' });
        await child.call({ type: 'diagnostics' });
        clientLoopDelay();
        const delivering = deliverReplies(run, eventsUrl, plan);
        // The burst: its deliveries, then the bot's work on them.
        const burst = delivering.then(() => child.call({ type: 'idle' }));
        // Leads asking for the status meanwhile, as they did during the floor's bursts.
        const commandsDuring = floor.commandsDuringBurst ? sendCommandsAtRate(run, eventsUrl, BURST_COMMAND_RATE, burst) : undefined;
        const delivered = await delivering;
        await burst;
        const burstCommands = await commandsDuring;
        const ingestLoop = clientLoopDelay();
        await child.call({ type: 'idle' });
        const allHandledAt = epochMs();
        const ingestDiagnostics = await child.call({ type: 'diagnostics' });
        const stored = await child.call({ type: 'stored' });
        const week = isoWeekOf(new Date(), BENCH_TIME_ZONE);
        const counted = await child.call({ type: 'count-submissions', week });
        const latencies: number[] = [];
        let unknownStored = 0;
        for (const s of stored) {
          const sentAt = delivered.firstSentAt.get(s.eventId);
          if (sentAt === undefined) unknownStored += 1;
          else latencies.push(s.at - sentAt);
        }
        const firstSend = Math.min(...delivered.firstSentAt.values());
        const lastStore = Math.max(...stored.map((s) => s.at));
        const drainMs = lastStore - firstSend;
        const result: IngestionResult = {
          distinctEvents: plan.events.length,
          deliveries: plan.deliveries.length,
          duplicateDeliveries: plan.deliveries.length - plan.events.length,
          owners: options.owners,
          teams: options.teams,
          mode,
          ack: summary(delivered.load.latencies),
          floorAck: summary(floor.events.latencies),
          ackP99Ratio: 0,
          requestToStored: summary(latencies),
          stored: counted.submissions,
          storedDistinctEvents: counted.distinctEvents,
          unknownStored,
          drainMs: Math.round(drainMs),
          storedPerSecond: Number((stored.length / (drainMs / 1000)).toFixed(1)),
          allHandledMs: Math.round(allHandledAt - firstSend),
          statuses: delivered.load.statuses,
          botLog: await child.call({ type: 'logs' }),
          diagnostics: ingestDiagnostics,
          clientLoopDelay: ingestLoop,
        };
        result.ackP99Ratio = Number((result.ack.p99 / result.floorAck.p99).toFixed(2));
        if (burstCommands && floor.commandsDuringBurst) {
          const commands = summary(burstCommands.latencies);
          const floorAck = summary(floor.commandsDuringBurst.latencies);
          result.commandsDuring = {
            perSecond: BURST_COMMAND_RATE,
            ack: commands,
            answeredInAck: burstCommands.answeredInAck,
            statuses: burstCommands.statuses,
            floorAck,
            p99Ratio: Number((commands.p99 / floorAck.p99).toFixed(2)),
          };
        }
        if (dbFloor) {
          result.dbFloor = dbFloor;
          result.dbFloorRatio = Number((result.storedPerSecond / dbFloor.perSecond).toFixed(2));
        }
        results.ingestion = result;
        const met =
          result.stored === result.distinctEvents && result.storedDistinctEvents === result.distinctEvents && unknownStored === 0 && allOk(delivered.load);
        results.targets.push({
          scenario: 2,
          target: 'ingestion stores exactly the distinct events',
          measured: `${result.stored} stored (${result.storedDistinctEvents} distinct event ids) of ${result.distinctEvents} distinct events in ${result.deliveries} deliveries; HTTP ${JSON.stringify(result.statuses)}`,
          met,
        });
        if (result.commandsDuring) {
          const during = result.commandsDuring;
          results.targets.push({
            scenario: 2,
            target: 'command ack p99 during the ingestion burst within 1.5× the bare-Bolt floor (the same commands during the same deliveries)',
            measured: `p99 ${during.ack.p99} ms vs floor ${during.floorAck.p99} ms = ${during.p99Ratio}×; ${during.ack.count} status commands at ${during.perSecond}/s, ${during.answeredInAck} answered in the ack; HTTP ${JSON.stringify(during.statuses)}`,
            met: during.p99Ratio <= 1.5 && Object.keys(during.statuses).every((status) => status === '200'),
          });
        }
        if (result.dbFloor) {
          results.targets.push({
            scenario: 2,
            target: 'ingestion at ≥ 0.8× the DB floor (the same replies’ minimal database work, same server, same concurrency)',
            measured: `${result.storedPerSecond}/s stored vs DB floor ${result.dbFloor.perSecond}/s = ${result.dbFloorRatio}×; bot event-loop lag p99 ${result.diagnostics.eventLoopDelay.p99} ms, max ${result.diagnostics.eventLoopDelay.max} ms`,
            met: (result.dbFloorRatio ?? 0) >= 0.8,
          });
        }
      }

      // ---- 3. prompt fan-out under rate limits ----
      let memoryAfter: { rss: number; peakRss: number; heapUsed: number } | undefined;
      if (options.scenarios.has(3)) {
        slack.fake.rateLimitPerSecond('chat.postMessage', { limit: options.workspaceLimit, retryAfter: 1 });
        slack.limitPerChannel({ perSecond: options.channelLimit, retryAfter: 1 });
        const team = teams.fanOut;
        const prompts = team.definition.sections.reduce((n, s) => n + s.owners.length, 0);
        const floorS = Math.max(prompts / options.workspaceLimit, maxPromptsPerOwner(team) / options.channelLimit);
        const variant = async (label: string, week: string, request: Parameters<typeof child.call>[0] & { type: 'fan-out' }): Promise<FanOutVariantResult> => {
          const before = mark(slack);
          await child.call({ type: 'diagnostics' });
          const report = await child.call(request);
          const diagnostics = await child.call({ type: 'diagnostics' });
          const seen = analyseFanOut(slack, before, team, week);
          const elapsedS = Number((report.elapsedMs / 1000).toFixed(2));
          return {
            label,
            prompts: seen.prompts,
            elapsedS,
            floorS: Number(floorS.toFixed(2)),
            ratio: Number((elapsedS / floorS).toFixed(2)),
            workspace429: seen.workspace429,
            channel429: seen.channel429,
            sentMoreThanOnce: seen.sentMoreThanOnce,
            extraCopies: seen.extraCopies,
            neverSent: seen.neverSent,
            conversationsOpen: seen.conversationsOpen,
            handlerResult: report.result,
            send: summary(report.sendMs),
            diagnostics,
          };
        };
        progress(
          `3. bot: prompting ${prompts} sections of ${options.fanOutOwners} owners, ${options.workspaceLimit}/s workspace, ${options.channelLimit}/s per channel (floor ${floorS.toFixed(1)} s)`,
        );
        const asIs = await variant('as is', '2030-W10', { type: 'fan-out', week: '2030-W10', variant: 'as-is' });
        progress(
          `3. as is: ${asIs.elapsedS} s = ${asIs.ratio}× floor, ${asIs.workspace429 + asIs.channel429} 429s, ${asIs.sentMoreThanOnce} dup, ${asIs.neverSent} missed`,
        );
        memoryAfter = await child.call({ type: 'memory' });
        const fanOut: FanOutResultSet = {
          owners: options.fanOutOwners,
          sectionsPerOwner: options.sectionsPerOwner,
          workspaceLimitPerSecond: options.workspaceLimit,
          channelLimitPerSecond: options.channelLimit,
          asIs,
          botLog: { warnings: 0, errors: 0, samples: [] },
        };
        if (options.prototype) {
          progress(`3. prototype: paced at ${options.paceMargin} of the limits, ${options.prototypeConcurrency} promptOwners at once`);
          const prototype = await variant('prototype', '2030-W11', {
            type: 'fan-out',
            week: '2030-W11',
            variant: 'paced',
            mongoUri: prototypeUri,
            concurrency: options.prototypeConcurrency,
            ratePerSecond: options.workspaceLimit * options.paceMargin,
            perChannelPerSecond: options.channelLimit * options.paceMargin,
          });
          fanOut.prototype = { ...prototype, concurrency: options.prototypeConcurrency, paceMargin: options.paceMargin };
          progress(
            `3. prototype: ${prototype.elapsedS} s = ${prototype.ratio}× floor, ${prototype.workspace429 + prototype.channel429} 429s, ${prototype.sentMoreThanOnce} dup, ${prototype.neverSent} missed`,
          );
        }
        fanOut.botLog = await child.call({ type: 'logs' });
        results.fanOut = fanOut;
        const met = asIs.ratio <= 1.15 && asIs.sentMoreThanOnce === 0 && asIs.neverSent === 0;
        results.targets.push({
          scenario: 3,
          target: 'fan-out elapsed within 1.15× the rate-limit floor, 0 prompts sent twice, 0 never sent',
          measured:
            `as is: ${asIs.elapsedS} s vs floor ${asIs.floorS} s = ${asIs.ratio}×, ${asIs.workspace429 + asIs.channel429} 429s, ${asIs.sentMoreThanOnce} sent twice, ${asIs.neverSent} never sent` +
            (fanOut.prototype
              ? `; prototype (paced, ${fanOut.prototype.concurrency} at once): ${fanOut.prototype.ratio}×, ${fanOut.prototype.workspace429 + fanOut.prototype.channel429} 429s, ${fanOut.prototype.sentMoreThanOnce} sent twice, ${fanOut.prototype.neverSent} never sent`
              : ''),
          met,
        });
      }

      // ---- 5. memory ----
      if (options.scenarios.has(5) && floor) {
        const after = memoryAfter ?? (await child.call({ type: 'memory' }));
        const memory: MemoryResult = {
          botRssMiB: mib(after.rss),
          botPeakRssMiB: mib(after.peakRss),
          botHeapUsedMiB: mib(after.heapUsed),
          floorRssMiB: mib(floor.rss),
          ratio: Number((after.rss / floor.rss).toFixed(2)),
          after: botScenarios,
        };
        results.memory = memory;
      }

      // ---- 7. workspace fan-out: teams of one workspace opening together ----
      if (options.scenarios.has(7)) {
        const workspace = teams.workspace;
        const prompts = workspace.reduce((n, t) => n + t.definition.sections.reduce((m, s) => m + s.owners.length, 0), 0);
        const runs: WorkspaceFanOutResult[] = [];
        for (const platform of ['slack', 'feishu'] as const) {
          const week = platform === 'slack' ? '2030-W20' : '2030-W21';
          const floorS =
            platform === 'slack' ? prompts / options.workspaceLimit : feishuFloorSeconds(prompts, options.feishuAppPerSecond, options.feishuAppPerMinute);
          const limits =
            platform === 'slack'
              ? `${options.workspaceLimit}/s workspace, ${options.channelLimit}/s per channel`
              : `${options.feishuAppPerSecond}/s and ${options.feishuAppPerMinute}/min per app, ${options.feishuPerUser}/s per user`;
          if (platform === 'slack') {
            slack.fake.rateLimitPerSecond('chat.postMessage', { limit: options.workspaceLimit, retryAfter: 1 });
            slack.limitPerChannel({ perSecond: options.channelLimit, retryAfter: 1 });
          } else {
            feishu!.limitApp({ perSecond: options.feishuAppPerSecond, perMinute: options.feishuAppPerMinute });
          }
          progress(`7. ${platform}: ${workspace.length} teams × ${options.workspaceOwners} owners open at once (${limits}; floor ${floorS.toFixed(1)} s)`);
          const slackMark = mark(slack);
          const feishuMark = feishu ? markFeishu(feishu) : undefined;
          await child.call({ type: 'diagnostics' });
          await child.call({ type: 'logs' });
          const report = await child.call({ type: 'workspace-fan-out', platform, week });
          const diagnostics = await child.call({ type: 'diagnostics' });
          const seen =
            platform === 'slack' ? analyseSlackWorkspace(slack, slackMark, workspace, week) : analyseFeishuWorkspace(feishu!, feishuMark!, workspace, week);
          const elapsedS = Number((report.elapsedMs / 1000).toFixed(2));
          const result: WorkspaceFanOutResult = {
            platform,
            teams: workspace.length,
            ownersPerTeam: options.workspaceOwners,
            prompts: seen.prompts,
            limits,
            elapsedS,
            floorS: Number(floorS.toFixed(2)),
            ratio: Number((elapsedS / floorS).toFixed(2)),
            workspaceThrottled: seen.workspaceThrottled,
            channelThrottled: seen.channelThrottled,
            sentMoreThanOnce: seen.sentMoreThanOnce,
            extraCopies: seen.extraCopies,
            neverSent: seen.neverSent,
            handlerResult: report.result,
            send: summary(report.sendMs),
            diagnostics,
            botLog: await child.call({ type: 'logs' }),
          };
          runs.push(result);
          progress(
            `7. ${platform}: ${elapsedS} s = ${result.ratio}× floor, ${seen.workspaceThrottled + seen.channelThrottled} throttled, ${seen.sentMoreThanOnce} dup, ${seen.neverSent} missed`,
          );
          results.targets.push({
            scenario: 7,
            target: `${platform}: ${workspace.length} teams × ${options.workspaceOwners} owners opening together within 1.15× the workspace limit's floor, 0 prompts sent twice, 0 never sent`,
            measured: `${elapsedS} s vs floor ${result.floorS} s = ${result.ratio}×; throttled ${seen.workspaceThrottled} (workspace) + ${seen.channelThrottled} (channel/user); ${seen.sentMoreThanOnce} sent twice, ${seen.neverSent} never sent`,
            met: result.ratio <= 1.15 && seen.sentMoreThanOnce === 0 && seen.neverSent === 0,
          });
        }
        results.workspaceFanOut = runs;
      }

      await child.call({ type: 'stop', dropDatabase: true });
      botStopped = true;
      await child.exit();
    }

    // ---- 6. oversized bodies ----
    if (options.scenarios.has(6)) {
      const oversized = await runOversized({ ...run, mongoUri: oversizedUri }, sizes);
      results.oversized = oversized;
      const met = oversized.statuses[413] === oversized.requests && oversized.readBytes.max < OVERSIZED_READ_LIMIT && oversized.peakRatio <= 1.2;
      results.targets.push({
        scenario: 6,
        target: `${oversized.requests} unsigned ${oversized.bodyMiB} MiB bodies each answered 413 while read (< ${mib(OVERSIZED_READ_LIMIT)} MiB read), bot RSS within 1.2× idle`,
        measured: `HTTP ${JSON.stringify(oversized.statuses)}; read per request ${fmtBytes(oversized.readBytes.median)} median, ${fmtBytes(oversized.readBytes.max)} max (of ${oversized.bodyMiB} MiB); RSS idle ${oversized.idleRssMiB} MiB, peak ${oversized.peakRssMiB} MiB (${oversized.peakRatio}×), after ${oversized.afterRssMiB} MiB`,
        met,
      });
    }

    // ---- 4. compile scaling ----
    if (options.scenarios.has(4)) {
      progress(`4. compiling ${options.compileSizes.join(', ')} sections × ${options.compileItems} items, ${options.compileRuns} runs each`);
      const child = BenchChild.fork(CHILD, [...childFlags, '--expose-gc']);
      try {
        const reports = await child.call({ type: 'compile', sections: options.compileSizes, itemsPerSection: options.compileItems, runs: options.compileRuns });
        const sizes = reports.map((r) => {
          const compile = summary(r.runsMs);
          return {
            sections: r.sections,
            itemsPerSection: options.compileItems,
            compile,
            answerFilter: summary(r.answerFilterMs),
            perSectionUs: Number(((compile.median / r.sections) * 1000).toFixed(2)),
            retainedHeapMiB: mib(r.retainedHeapBytes),
            transientHeapMiB: mib(r.transientHeapBytes),
            markdownChars: r.markdownChars,
          };
        });
        const largest = Math.max(...options.compileSizes);
        const baseline = options.compileSizes.includes(100) ? 100 : Math.min(...options.compileSizes);
        const at = (n: number) => sizes.find((s) => s.sections === n)!.perSectionUs;
        const compile: CompileResult = { sizes, largest, baseline, perSectionRatio: Number((at(largest) / at(baseline)).toFixed(2)) };
        results.compile = compile;
        results.targets.push({
          scenario: 4,
          target: `compile time per section at ${largest.toLocaleString('en-US')} sections within 1.3× that at ${baseline}`,
          measured: `${at(largest)} µs vs ${at(baseline)} µs per section = ${compile.perSectionRatio}×`,
          met: compile.perSectionRatio <= 1.3,
        });
        await child.call({ type: 'stop', dropDatabase: false });
      } finally {
        await child.exit();
      }
    }
  } finally {
    if (floor) await floor.child.exit();
    if (bot && !botStopped) {
      await bot.exit();
      for (const uri of [mongoUri, prototypeUri, dbFloorUri]) {
        if (uri) await dropDatabase(uri).catch((error: unknown) => progress(`could not drop ${describeMongoUri(uri)}: ${String(error)}`));
      }
    }
    await slack.close();
    await feishu?.close();
  }

  const finishedAt = new Date();
  results.finishedAt = finishedAt.toISOString();
  results.durationS = Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000);
  results.targets.sort((a, b) => a.scenario - b.scenario);
  const out = path.resolve(options.out);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  progress(`done in ${results.durationS} s; results in ${path.relative(process.cwd(), out)}`);
  console.log(markdownTable(results));
  console.log('');
  console.log(targetsList(results));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
