import type { FanOutResult } from '../handlers/cycle/prompt.ts';
import type { Diagnostics, LogReport } from './ipc.ts';
import type { Summary } from './stats.ts';

/** What bench/results/latest.json holds, and the Markdown table made from it. */

export interface CommandAckResult {
  requests: number;
  concurrency: number;
  warmup: number;
  /** Turns each side took (bot and floor alternating), `requests / rounds` each. */
  rounds: number;
  /** Ack latency in ms, client side. */
  bot: Summary;
  floor: Summary;
  p99Ratio: number;
  statuses: { bot: Record<number, number>; floor: Record<number, number> };
  /** Status answers delivered (one per measured command expected): in the ack's body, or posted to response_url. */
  responsesDelivered: number;
  /** Of those, answered in the ack (a status computed a moment ago) and over response_url. */
  answeredInAck: number;
  answeredOverResponseUrl: number;
  requestsPerSecond: { bot: number; floor: number };
  /** The bot's event-loop delay and store time during the measured requests. */
  diagnostics: Diagnostics;
  /** The load generator's own event-loop lag (it also hosts the fake Slack API), ms. */
  clientLoopDelay: { p50: number; p99: number; max: number };
}

export interface IngestionResult {
  distinctEvents: number;
  deliveries: number;
  duplicateDeliveries: number;
  owners: number;
  teams: number;
  mode: string;
  /** Ack latency in ms, client side, every delivery. */
  ack: Summary;
  floorAck: Summary;
  /** Status commands started at `perSecond` during the burst, and the floor: bare Bolt's ack of the same commands during the same deliveries. */
  commandsDuring?: { perSecond: number; ack: Summary; answeredInAck: number; statuses: Record<number, number>; floorAck: Summary; p99Ratio: number };
  ackP99Ratio: number;
  /** From the first delivery's send to the submission's store, in ms. */
  requestToStored: Summary;
  stored: number;
  storedDistinctEvents: number;
  /** Stored submissions whose event id the bench never sent (must be 0). */
  unknownStored: number;
  /** From the first send to the last store, and what that makes per second. */
  drainMs: number;
  storedPerSecond: number;
  /** From the first send until every reply was handled (stored, previewed, confirmed). */
  allHandledMs: number;
  statuses: Record<number, number>;
  botLog: LogReport;
  diagnostics: Diagnostics;
  clientLoopDelay: { p50: number; p99: number; max: number };
  /** The same number of replies' minimal database work, at the same concurrency, just before. */
  dbFloor?: DbFloorResult;
  /** storedPerSecond / dbFloor.perSecond. */
  dbFloorRatio?: number;
}

/** Scenario 2's floor: the minimal database work per reply (bench/scenarios/db-floor.ts). */
export interface DbFloorResult {
  replies: number;
  concurrency: number;
  perSecond: number;
  /** Per reply: insert + update + find, ms. */
  latency: Summary;
  failures: number;
}

export interface FanOutVariantResult {
  label: string;
  prompts: number;
  elapsedS: number;
  floorS: number;
  ratio: number;
  workspace429: number;
  channel429: number;
  sentMoreThanOnce: number;
  extraCopies: number;
  neverSent: number;
  conversationsOpen: number;
  handlerResult: FanOutResult;
  /** Per prompt: sendDirect duration in ms (DM open + post, with 429 waits or pacing). */
  send: Summary;
  diagnostics: Diagnostics;
}

export interface FanOutResultSet {
  owners: number;
  sectionsPerOwner: number;
  workspaceLimitPerSecond: number;
  channelLimitPerSecond: number;
  asIs: FanOutVariantResult;
  prototype?: FanOutVariantResult & { concurrency: number; paceMargin: number };
  botLog: LogReport;
}

/** Scenario 7, on one platform. */
export interface WorkspaceFanOutResult {
  platform: 'slack' | 'feishu';
  teams: number;
  ownersPerTeam: number;
  prompts: number;
  /** The limits the fake keeps, e.g. "20/s workspace, 1/s per channel". */
  limits: string;
  elapsedS: number;
  floorS: number;
  ratio: number;
  workspaceThrottled: number;
  channelThrottled: number;
  sentMoreThanOnce: number;
  extraCopies: number;
  neverSent: number;
  handlerResult: FanOutResult;
  send: Summary;
  diagnostics: Diagnostics;
  botLog: LogReport;
}

export interface CompileSizeResult {
  sections: number;
  itemsPerSection: number;
  /** Per compile, in ms. */
  compile: Summary;
  /** compileSection's per-section filter over all answers, alone, per compile, in ms (see CompileSizeReport). */
  answerFilter: Summary;
  /** Median compile time / sections, in µs. */
  perSectionUs: number;
  retainedHeapMiB: number;
  transientHeapMiB: number;
  markdownChars: number;
}

export interface CompileResult {
  sizes: CompileSizeResult[];
  largest: number;
  /** Per-section time at the largest size / at 100 sections (or the smallest size when 100 was not run). */
  baseline: number;
  perSectionRatio: number;
}

export interface MemoryResult {
  botRssMiB: number;
  botPeakRssMiB: number;
  botHeapUsedMiB: number;
  floorRssMiB: number;
  ratio: number;
  /** Which scenarios had run when it was measured. */
  after: number[];
}

export interface OversizedResult {
  requests: number;
  bodyMiB: number;
  /** The bot's body limit (MAX_BODY_BYTES). */
  limitBytes: number;
  /** HTTP status → count (0: no answer). */
  statuses: Record<number, number>;
  /** Per request, what the sender got onto the wire before the answer (kernel buffers included), MiB. */
  sentMiB: Summary;
  /** Per connection, bytes the bot's server read from the socket (headers included). */
  readBytes: Summary;
  /** ms from the first byte to the 413, client side. */
  answerMs: Summary;
  /** Bot RSS: idle (started, warmed up), peak while the bodies arrived, and after. */
  idleRssMiB: number;
  peakRssMiB: number;
  afterRssMiB: number;
  peakRatio: number;
  botLog: LogReport;
}

export interface TargetResult {
  scenario: number;
  target: string;
  measured: string;
  met: boolean;
}

export interface BenchResults {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  database: { server: string; location: string };
  options: Record<string, unknown>;
  commandAck?: CommandAckResult;
  ingestion?: IngestionResult;
  fanOut?: FanOutResultSet;
  compile?: CompileResult;
  memory?: MemoryResult;
  oversized?: OversizedResult;
  workspaceFanOut?: WorkspaceFanOutResult[];
  /** Where the bot ran from: dist/ (compiled, as in production) or the sources through tsx. */
  botBuild?: 'dist' | 'source';
  targets: TargetResult[];
}

// ---- the table ----

export function fmt(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '—');
const count = (value: number) => value.toLocaleString('en-US');
const verdict = (met: boolean) => (met ? 'met' : '**not met**');

interface Row {
  scenario: string;
  measure: string;
  stats?: Summary;
  /** Instead of stats: one value, shown under max. */
  value?: string;
  floor?: string;
  ratio?: string;
  target?: string;
  met?: boolean;
}

function rowsOf(results: BenchResults): Row[] {
  const rows: Row[] = [];
  const target = (scenario: number) => results.targets.find((t) => t.scenario === scenario);
  const c = results.commandAck;
  if (c) {
    rows.push({
      scenario: `1. Command ack (${count(c.requests)} @ ${c.concurrency})`,
      measure: 'ack ms, bot',
      stats: c.bot,
      floor: `bare Bolt p99 ${fmt(c.floor.p99)} ms`,
      ratio: ratio(c.p99Ratio),
      target: 'p99 ≤ 1.5× floor',
      met: results.targets.find((t) => t.scenario === 1 && t.target.includes('floor'))?.met,
    });
    rows.push({ scenario: '', measure: 'ack ms, floor (bare Bolt)', stats: c.floor });
    rows.push({
      scenario: '',
      measure: 'ack p99 ms, bot',
      value: fmt(c.bot.p99),
      target: '< 100 ms',
      met: results.targets.find((t) => t.scenario === 1 && t.target.includes('100 ms'))?.met,
    });
  }
  const i = results.ingestion;
  if (i) {
    const scenario = `2. Reply ingestion (${count(i.distinctEvents)} + ${count(i.duplicateDeliveries)} dup, ${i.owners} owners)`;
    rows.push({ scenario, measure: 'ack ms', stats: i.ack, floor: `bare Bolt p99 ${fmt(i.floorAck.p99)} ms`, ratio: ratio(i.ackP99Ratio) });
    if (i.commandsDuring) {
      const d = i.commandsDuring;
      rows.push({
        scenario: '',
        measure: `command ack ms during the burst (${d.perSecond}/s)`,
        stats: d.ack,
        floor: `bare Bolt p99 ${fmt(d.floorAck.p99)} ms`,
        ratio: ratio(d.p99Ratio),
        target: 'p99 ≤ 1.5× floor',
        met: results.targets.find((t) => t.scenario === 2 && t.target.startsWith('command ack'))?.met,
      });
    }
    rows.push({ scenario: '', measure: 'request → stored ms', stats: i.requestToStored, value: `${fmt(i.storedPerSecond)}/s` });
    rows.push({
      scenario: '',
      measure: 'stored / distinct events',
      value: `${count(i.stored)} / ${count(i.distinctEvents)}`,
      target: 'stored = distinct',
      met: target(2)?.met,
    });
    if (i.dbFloor) {
      rows.push({
        scenario: '',
        measure: 'stored per second vs DB floor (insert + update + find per reply, same concurrency)',
        value: `${fmt(i.storedPerSecond)}/s`,
        floor: `${fmt(i.dbFloor.perSecond)}/s`,
        ratio: ratio(i.dbFloorRatio ?? Number.NaN),
        target: '≥ 0.8× floor',
        met: results.targets.find((t) => t.scenario === 2 && t.target.startsWith('ingestion at'))?.met,
      });
      rows.push({ scenario: '', measure: 'DB floor ms per reply', stats: i.dbFloor.latency });
    }
    const lag = i.diagnostics.eventLoopDelay;
    rows.push({
      scenario: '',
      measure: 'bot event-loop lag ms during the burst (p50 / p99 / max)',
      value: `${fmt(lag.p50)} / ${fmt(lag.p99)} / ${fmt(lag.max)}`,
    });
  }
  const f = results.fanOut;
  if (f) {
    const scenario = `3. Prompt fan-out (${count(f.owners)} owners, ${f.workspaceLimitPerSecond}/s, ${f.channelLimitPerSecond}/s/channel)`;
    const variant = (v: FanOutVariantResult, label: string, first: boolean): void => {
      rows.push({
        scenario: first ? scenario : '',
        measure: `${label}: elapsed s`,
        value: fmt(v.elapsedS),
        floor: `${fmt(v.floorS)} s`,
        ratio: ratio(v.ratio),
        ...(first ? { target: '≤ 1.15× floor, 0 dup, 0 missed', met: target(3)?.met } : {}),
      });
      rows.push({ scenario: '', measure: `${label}: send ms per prompt`, stats: v.send });
      rows.push({
        scenario: '',
        measure: `${label}: 429s / dup / missed`,
        value: `${count(v.workspace429 + v.channel429)} / ${count(v.sentMoreThanOnce)} / ${count(v.neverSent)}`,
      });
    };
    variant(f.asIs, 'as is', true);
    if (f.prototype) variant(f.prototype, `prototype (paced, ${f.prototype.concurrency} at once)`, false);
  }
  const k = results.compile;
  if (k) {
    k.sizes.forEach((s, index) => {
      const atLargest = s.sections === k.largest;
      rows.push({
        scenario: index === 0 ? `4. Compile (${s.itemsPerSection} items/section)` : '',
        measure: `${count(s.sections)} sections: ms per compile (${fmt(s.perSectionUs)} µs/section; answers filter ${fmt(s.answerFilter.median)} ms; result ${fmt(s.retainedHeapMiB)} MiB)`,
        stats: s.compile,
        ...(s.sections === k.baseline ? { floor: 'baseline' } : {}),
        ...(atLargest
          ? {
              floor: `${fmt(k.sizes.find((x) => x.sections === k.baseline)?.perSectionUs ?? Number.NaN)} µs/section at ${count(k.baseline)}`,
              ratio: ratio(k.perSectionRatio),
              target: `≤ 1.3× per section at ${count(k.baseline)}`,
              met: target(4)?.met,
            }
          : {}),
      });
    });
  }
  const m = results.memory;
  if (m) {
    rows.push({
      scenario: `5. Memory (after ${m.after.join(', ')})`,
      measure: `bot RSS MiB (peak ${fmt(m.botPeakRssMiB)})`,
      value: fmt(m.botRssMiB),
      floor: `bare Bolt ${fmt(m.floorRssMiB)} MiB`,
      ratio: ratio(m.ratio),
    });
  }
  const o = results.oversized;
  if (o) {
    rows.push({
      scenario: `6. Oversized bodies (${o.requests} × ${o.bodyMiB} MiB, unsigned)`,
      measure: `bytes read per request (limit ${count(o.limitBytes)}; HTTP ${JSON.stringify(o.statuses)})`,
      stats: o.readBytes,
      target: 'all 413, read < limit + 2 socket reads',
      met: target(6)?.met,
    });
    rows.push({
      scenario: '',
      measure: `bot RSS MiB, peak (idle ${fmt(o.idleRssMiB)}, after ${fmt(o.afterRssMiB)})`,
      value: fmt(o.peakRssMiB),
      floor: `idle ${fmt(o.idleRssMiB)} MiB`,
      ratio: ratio(o.peakRatio),
      target: '≤ 1.2× idle',
    });
  }
  for (const [index, w] of (results.workspaceFanOut ?? []).entries()) {
    rows.push({
      scenario: index === 0 ? `7. Workspace fan-out (${w.teams} teams × ${w.ownersPerTeam} owners at once)` : '',
      measure: `${w.platform} (${w.limits}): elapsed s`,
      value: fmt(w.elapsedS),
      floor: `${fmt(w.floorS)} s`,
      ratio: ratio(w.ratio),
      target: '≤ 1.15× floor, 0 dup, 0 missed',
      met: results.targets.find((t) => t.scenario === 7 && t.target.includes(w.platform))?.met,
    });
    rows.push({
      scenario: '',
      measure: `${w.platform}: throttled (workspace / channel) / dup / missed`,
      value: `${count(w.workspaceThrottled)} / ${count(w.channelThrottled)} / ${count(w.sentMoreThanOnce)} / ${count(w.neverSent)}`,
    });
  }
  return rows;
}

export function markdownTable(results: BenchResults): string {
  const header = '| Scenario | Measure | median | p95 | p99 | max | Floor | Ratio | Target | Result |';
  const rule = '|---|---|---:|---:|---:|---:|---|---:|---|---|';
  const lines = rowsOf(results).map((r) => {
    const s = r.stats;
    const cells = [
      r.scenario,
      r.measure,
      s ? fmt(s.median) : '',
      s ? fmt(s.p95) : '',
      s ? fmt(s.p99) : '',
      s ? fmt(s.max) : (r.value ?? ''),
      r.floor ?? '',
      r.ratio ?? '',
      r.target ?? '',
      r.met === undefined ? '' : verdict(r.met),
    ];
    if (s && r.value) cells[5] = `${fmt(s.max)} (${r.value})`;
    return `| ${cells.join(' | ')} |`;
  });
  return [header, rule, ...lines].join('\n');
}

export function targetsList(results: BenchResults): string {
  return results.targets.map((t) => `- ${t.met ? 'met' : '**not met**'}: ${t.scenario}. ${t.target} — ${t.measured}`).join('\n');
}
