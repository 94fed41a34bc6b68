import { fork, type ChildProcess } from 'node:child_process';
import type { FanOutResult } from '../handlers/cycle/prompt.ts';
import type { BenchTeamSizes } from './teams.ts';
import type { DbFloorReport, DbFloorRequest } from './scenarios/db-floor.ts';

/**
 * The bench runs the bot (and the bare-Bolt floor) in a child process of its own, so that the
 * load generator and the fake Slack API do not share its event loop, and so that its resident
 * memory is its own. The parent drives it over Node's IPC channel with these requests.
 */

export interface StartRequest {
  type: 'start';
  /** `bot`: the real app (createSlackRuntime + the shared handlers + MongoStore). `bare`: Bolt alone. */
  mode: 'bot' | 'bare';
  apiUrl: string;
  botToken: string;
  signingSecret: string;
  botUserId: string;
  botId: string;
  mongoUri: string;
  sizes: BenchTeamSizes;
  /** The bot sends on Feishu too (scenario 7), through the Open API at `domain`. */
  feishu?: { domain: string; appId: string; appSecret: string };
}

export interface FanOutRequest {
  type: 'fan-out';
  week: string;
  /**
   * `as-is`: handlers/cycle/prompt.ts promptOwners on the runtime's platform, as the scheduler runs it.
   * `paced`: a prototype, built from the same handler: the sections split over `concurrency`
   * promptOwners calls running at once, on a platform that spaces sends below the limits.
   */
  variant: 'as-is' | 'paced';
  /** `paced` only: the database the prototype's store uses (dropped afterwards). */
  mongoUri?: string;
  concurrency?: number;
  ratePerSecond?: number;
  perChannelPerSecond?: number;
}

/** Scenario 7: every workspace team's week opened and its owners prompted, all teams at once, on one platform. */
export interface WorkspaceFanOutRequest {
  type: 'workspace-fan-out';
  platform: 'slack' | 'feishu';
  week: string;
}

export interface WorkspaceFanOutReport {
  /** The teams' fan-out results, summed. */
  result: FanOutResult;
  elapsedMs: number;
  sendMs: number[];
}

export type BotRequest =
  | StartRequest
  | DbFloorRequest
  | WorkspaceFanOutRequest
  | { type: 'idle' }
  | { type: 'stored' }
  | { type: 'count-submissions'; week: string }
  | FanOutRequest
  | { type: 'memory'; resetPeak?: boolean }
  | { type: 'logs' }
  | { type: 'diagnostics' }
  | { type: 'http-reads' }
  | CompileRequest
  | { type: 'stop'; dropDatabase: boolean };

export interface CompileRequest {
  type: 'compile';
  /** Section counts to compile, e.g. [10, 100, 1000, 5000]. */
  sections: number[];
  itemsPerSection: number;
  /** Timed compiles per size (after warm-up); more when these take under a second in all. */
  runs: number;
}

export interface CompileSizeReport {
  sections: number;
  /** Each timed compile, in ms. */
  runsMs: number[];
  /**
   * The same number of runs of compileSection's `answers.filter(a => a.sectionId === section.id)`
   * over every section, alone: the part of a compile that is O(sections × answers).
   */
  answerFilterMs: number[];
  /** Heap used after a forced GC with the compiled report still referenced, minus before: what the result keeps. */
  retainedHeapBytes: number;
  /** Heap used right after one compile (no GC in between) minus before: roughly what one compile allocates. */
  transientHeapBytes: number;
  markdownChars: number;
}

export interface MemoryReport {
  rss: number;
  heapUsed: number;
  /** Highest RSS sampled (every 100 ms) since start. */
  peakRss: number;
}

export interface LogReport {
  warnings: number;
  errors: number;
  /** The first few warn/error lines, shortened. */
  samples: string[];
}

/** Where the bot's time went since the last ask (then reset). */
export interface Diagnostics {
  /** The bot's event-loop lag (perf_hooks, sampled every 10 ms, the 10 ms taken off), ms. */
  eventLoopDelay: { p50: number; p99: number; max: number };
  /**
   * Ack time inside the bot: from its HTTP server starting on a request to /slack/events to the
   * end of the answer, ms. The client's time minus this is the wait for the bot's process to read
   * the request (CPU the machine gives it) and the client's own.
   */
  serverAck: { count: number; p50: number; p99: number; max: number };
  /** Store calls by method: how many, total and longest duration in ms. */
  store: Record<string, { calls: number; totalMs: number; maxMs: number }>;
}

export interface FanOutReport {
  result: FanOutResult;
  elapsedMs: number;
  /** Duration of each sendDirect (conversations.open + chat.postMessage, with 429 waits and pacing). */
  sendMs: number[];
}

export interface BotResults {
  start: { eventsUrl: string };
  idle: null;
  /** Submissions stored since the last ask: event id and store time (epochMs). */
  stored: { eventId: string; at: number }[];
  'count-submissions': { submissions: number; distinctEvents: number };
  'fan-out': FanOutReport;
  'db-floor': DbFloorReport;
  'workspace-fan-out': WorkspaceFanOutReport;
  memory: MemoryReport;
  logs: LogReport;
  diagnostics: Diagnostics;
  /** Bytes the bot's HTTP server read from each connection to /slack/events closed since the last ask (headers included). */
  'http-reads': number[];
  compile: CompileSizeReport[];
  stop: null;
}

type Envelope = { id: number; request: BotRequest };
type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** The parent's side: a forked bench process and typed calls to it. */
export class BenchChild {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: Answer) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(message.error));
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const waiter of this.pending.values()) waiter.reject(new Error(`bench child exited (code ${code}, signal ${signal})`));
      this.pending.clear();
    });
  }

  /** Forks a bench script with the parent's loader (tsx) and any extra Node flags. */
  static fork(script: URL, nodeFlags: string[] = []): BenchChild {
    const child = fork(script, [], { execArgv: [...process.execArgv, ...nodeFlags], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new BenchChild(child);
  }

  call<R extends BotRequest>(request: R): Promise<BotResults[R['type']]> {
    if (this.exited) return Promise.reject(new Error('bench child has exited'));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, request } satisfies Envelope);
    });
  }

  /** Ends the child if it is still there (after `stop`, it exits by itself). */
  async exit(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  }
}

/** The child's side: answers each request with its handler's result or error. */
export function serveRequests(handle: (request: BotRequest) => Promise<unknown>): void {
  process.on('message', (message: Envelope) => {
    handle(message.request).then(
      (result) => process.send?.({ id: message.id, ok: true, result: result ?? null } satisfies Answer),
      (error: unknown) =>
        process.send?.({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Answer),
    );
  });
  // The parent went away: nothing left to serve.
  process.on('disconnect', () => process.exit(0));
}
