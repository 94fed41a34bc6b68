import { parseArgs } from 'node:util';

/** The bench's sizes and limits. Defaults finish in well under 5 minutes on a 2-core machine. */
export interface BenchOptions {
  scenarios: Set<number>;
  commands: number;
  concurrency: number;
  warmup: number;
  replies: number;
  owners: number;
  teams: number;
  duplicates: number;
  ingestConcurrency: number;
  ingestRate: number;
  fanOutOwners: number;
  sectionsPerOwner: number;
  workspaceLimit: number;
  channelLimit: number;
  prototype: boolean;
  prototypeConcurrency: number;
  paceMargin: number;
  workspaceTeams: number;
  workspaceOwners: number;
  feishuAppPerSecond: number;
  feishuAppPerMinute: number;
  feishuPerUser: number;
  compileSizes: number[];
  compileItems: number;
  compileRuns: number;
  oversizedRequests: number;
  oversizedMiB: number;
  out: string;
  /** A folder for V8 CPU profiles of the bot process (node --cpu-prof), or null. */
  profile: string | null;
  /** Run the bot from its TypeScript sources (tsx) instead of dist/. */
  fromSource: boolean;
}

export const USAGE = `Usage: MONGODB_URI=mongodb://127.0.0.1:27017 npm run bench -- [flags]

Scenarios (all by default):
  --scenarios 1,2,3,4,5,6,7  which to run (5, memory, needs at least one of 1–3)

The bot runs compiled, from dist/: run \`npm run build\` first (the bench refuses a dist/ older
than the sources).
  --from-source              run the bot from its TypeScript sources (tsx) instead

1. Command acknowledgement
  --commands 2000            signed /weekly-report status requests
  --concurrency 50           requests in flight
  --warmup 200               unmeasured requests first (bot and floor alike)
2. Reply ingestion
  --replies 300              distinct DM reply events (the issue's size is 2000: see docs/performance.md)
  --owners 500               owners sending them, spread over --teams
  --teams 5
  --duplicates 0.1           share of events delivered a second time (x-slack-retry-num: 1)
                             (the DB floor runs with it: the same number of replies, same concurrency)
  --ingest-concurrency 50    deliveries in flight (closed loop) …
  --ingest-rate 0            … or deliveries per second (open loop) when > 0
3. Prompt fan-out under rate limits
  --fan-out-owners 1000
  --sections-per-owner 1
  --workspace-limit 20       chat.postMessage per second, workspace-wide
  --channel-limit 1          chat.postMessage per second per channel
  --skip-prototype           do not run the paced, concurrent prototype after the as-is fan-out
  --prototype-concurrency 4  promptOwners calls at once in the prototype
  --pace-margin 0.95         the prototype paces at this share of each limit
4. Compile scaling
  --compile-sizes 10,100,1000,5000
  --compile-items 10         list items per section
  --compile-runs 20          timed compiles per size (at least a second's worth)
6. Oversized bodies (a bot of its own)
  --oversized-requests 20    unsigned POSTs to /slack/events, all at once
  --oversized-mib 256        size of each body, streamed in 64 KiB chunks
7. Workspace fan-out: teams of one Slack workspace / one Feishu app opening in the same minute
  --workspace-teams 20
  --workspace-owners 50      owners per team (one section each)
  (Slack: --workspace-limit and --channel-limit above)
  --feishu-app-limit 50      im.v1.message.create per second for the app
  --feishu-app-minute 1000   … and per minute
  --feishu-user-limit 5      calls per second to one user or chat

  --out bench/results/latest.json
  --profile DIR              write a V8 CPU profile of the bot process into DIR (open in Chrome DevTools)
  --help`;

function positive(name: string, raw: string, { integer = true, allowZero = false } = {}): number {
  const value = Number(raw);
  const ok = Number.isFinite(value) && (integer ? Number.isInteger(value) : true) && (allowZero ? value >= 0 : value > 0);
  if (!ok) throw new Error(`--${name}: expected a ${allowZero ? 'non-negative' : 'positive'} ${integer ? 'whole ' : ''}number, got "${raw}"`);
  return value;
}

function list(name: string, raw: string): number[] {
  const values = raw.split(',').map((part) => positive(name, part.trim()));
  if (values.length === 0) throw new Error(`--${name}: expected a comma-separated list like 10,100`);
  return values;
}

export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      scenarios: { type: 'string', default: '1,2,3,4,5,6,7' },
      commands: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '200' },
      replies: { type: 'string', default: '300' },
      owners: { type: 'string', default: '500' },
      teams: { type: 'string', default: '5' },
      duplicates: { type: 'string', default: '0.1' },
      'ingest-concurrency': { type: 'string', default: '50' },
      'ingest-rate': { type: 'string', default: '0' },
      'fan-out-owners': { type: 'string', default: '1000' },
      'sections-per-owner': { type: 'string', default: '1' },
      'workspace-limit': { type: 'string', default: '20' },
      'channel-limit': { type: 'string', default: '1' },
      'skip-prototype': { type: 'boolean', default: false },
      'prototype-concurrency': { type: 'string', default: '4' },
      'pace-margin': { type: 'string', default: '0.95' },
      'workspace-teams': { type: 'string', default: '20' },
      'workspace-owners': { type: 'string', default: '50' },
      'feishu-app-limit': { type: 'string', default: '50' },
      'feishu-app-minute': { type: 'string', default: '1000' },
      'feishu-user-limit': { type: 'string', default: '5' },
      'from-source': { type: 'boolean', default: false },
      'compile-sizes': { type: 'string', default: '10,100,1000,5000' },
      'compile-items': { type: 'string', default: '10' },
      'compile-runs': { type: 'string', default: '20' },
      'oversized-requests': { type: 'string', default: '20' },
      'oversized-mib': { type: 'string', default: '256' },
      out: { type: 'string', default: 'bench/results/latest.json' },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const scenarios = new Set(list('scenarios', values.scenarios));
  for (const s of scenarios) if (s > 7) throw new Error(`--scenarios: expected numbers from 1 to 7, got ${s}`);
  const duplicates = positive('duplicates', values.duplicates, { integer: false, allowZero: true });
  if (duplicates > 1) throw new Error(`--duplicates: expected a share from 0 to 1, got ${duplicates}`);
  const paceMargin = positive('pace-margin', values['pace-margin'], { integer: false });
  if (paceMargin > 1) throw new Error(`--pace-margin: expected a share up to 1, got ${paceMargin}`);
  const options: BenchOptions = {
    scenarios,
    commands: positive('commands', values.commands),
    concurrency: positive('concurrency', values.concurrency),
    warmup: positive('warmup', values.warmup, { allowZero: true }),
    replies: positive('replies', values.replies),
    owners: positive('owners', values.owners),
    teams: positive('teams', values.teams),
    duplicates,
    ingestConcurrency: positive('ingest-concurrency', values['ingest-concurrency']),
    ingestRate: positive('ingest-rate', values['ingest-rate'], { integer: false, allowZero: true }),
    fanOutOwners: positive('fan-out-owners', values['fan-out-owners']),
    sectionsPerOwner: positive('sections-per-owner', values['sections-per-owner']),
    workspaceLimit: positive('workspace-limit', values['workspace-limit']),
    channelLimit: positive('channel-limit', values['channel-limit']),
    prototype: !values['skip-prototype'],
    prototypeConcurrency: positive('prototype-concurrency', values['prototype-concurrency']),
    paceMargin,
    workspaceTeams: positive('workspace-teams', values['workspace-teams']),
    workspaceOwners: positive('workspace-owners', values['workspace-owners']),
    feishuAppPerSecond: positive('feishu-app-limit', values['feishu-app-limit']),
    feishuAppPerMinute: positive('feishu-app-minute', values['feishu-app-minute']),
    feishuPerUser: positive('feishu-user-limit', values['feishu-user-limit']),
    compileSizes: list('compile-sizes', values['compile-sizes']),
    compileItems: positive('compile-items', values['compile-items']),
    compileRuns: positive('compile-runs', values['compile-runs']),
    oversizedRequests: positive('oversized-requests', values['oversized-requests']),
    oversizedMiB: positive('oversized-mib', values['oversized-mib']),
    out: values.out,
    profile: values.profile ?? null,
    fromSource: values['from-source'],
  };
  if (options.owners < options.teams) throw new Error(`--owners (${options.owners}) must be at least --teams (${options.teams})`);
  return options;
}
