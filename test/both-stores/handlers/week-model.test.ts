import fc from 'fast-check';
import { afterAll, beforeAll, describe, it, inject } from 'vitest';
import { loadTeamById } from '../../../src/config/definitions.ts';
import { PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import type { Team, WeeklyMoment } from '../../../src/report/definition.ts';
import { momentInWeek, shiftWeek } from '../../../src/report/week.ts';
import type { Store } from '../../../src/store/store.ts';
import { FakeClock } from '../../support/bot.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';
import { BotWeek } from '../../support/week-model/bot-week.ts';
import { runChecks, START, weekCommands } from '../../support/week-model/commands.ts';
import { WeekModel } from '../../support/week-model/model.ts';

/**
 * Model-based tests of a week (#20, "beyond the single cases"): fast-check generates sequences of a
 * week's events — answers in several messages, edits, deletions, 本周无 / 跳过, 重写, forms,
 * `delegate` and `away` and their `cancel`, the co-owned 【其他】, answers after publishing, duplicate
 * deliveries, restarts (a new bot process on the same store) and a second replica, the lead's open
 * and publish, and time passing from Monday to Sunday with the scheduler running — on the local chat
 * (whose messages, as Slack's and Feishu's, outlive a process) over the project's store, and
 * checks that status, preview, the posted report, participation and the JSON export agree with a
 * small model of the week (test/support/week-model/model.ts).
 *
 * Reproducing a failure: fast-check prints the seed, the path and the commands' replay path;
 * WEEK_MODEL_SEED=<seed> WEEK_MODEL_PATH=<path> WEEK_MODEL_REPLAY=<replayPath> runs that sequence
 * (shrunk) alone. WEEK_MODEL_RUNS=<n> runs more (or fewer) sequences; WEEK_MODEL_STATS=1 prints how
 * many reached each situation (published, 重写 after publishing, a section handed over with text…).
 */

const storeKind = inject('storeKind');
/** Sequences per run: bounded so that the unit project's file takes well under 30 s, the db project's a couple of minutes. */
const RUNS = Number(process.env.WEEK_MODEL_RUNS ?? (storeKind === 'memory' ? 400 : 120));
const SEED = Number(process.env.WEEK_MODEL_SEED ?? 20_240_607);
const PATH = process.env.WEEK_MODEL_PATH;
const REPLAY = process.env.WEEK_MODEL_REPLAY;
const MAX_COMMANDS = 40;
const TIMEOUT_MS = storeKind === 'memory' ? 60_000 : 600_000;
const SEQUENCES_PER_DATABASE = 10;

/** Each sequence has a week of its own: 2024-W23, then every other week after it (a MongoStore holds several). */
const FIRST_WEEK = '2024-W23';

describe('a week of random events agrees with its model', () => {
  let shared: Store | undefined;
  let team: Team;
  let sequences = 0;

  beforeAll(async () => {
    team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
  });
  afterAll(async () => {
    if (shared) await discardTestStore(shared);
  });

  /**
   * The store a sequence runs on, with no cache in front of it (each bot process puts its own: a
   * restart starts with an empty one). A MemoryStore of its own for each sequence, as cheap as it
   * is; a MongoStore for SEQUENCES_PER_DATABASE sequences at a time, each in a week of its own
   * (connecting costs, and so does a database that grows: every sequence would be slower than the last).
   */
  async function storeOf(n: number): Promise<Store> {
    if (storeKind === 'memory') return openTestStore('week-model', undefined, undefined, false);
    if (shared && n % SEQUENCES_PER_DATABASE === 0) {
      await discardTestStore(shared);
      shared = undefined;
    }
    shared ??= await openTestStore(`week-model-${n}`, undefined, undefined, false);
    return shared;
  }

  function weekProperty() {
    return fc.asyncProperty(
      fc.commands(weekCommands(), { maxCommands: MAX_COMMANDS, size: 'max', ...(REPLAY ? { replayPath: REPLAY } : {}) }),
      async (commands) => {
        const n = sequences++;
        const week = shiftWeek(FIRST_WEEK, 2 * n);
        const at = (moment: WeeklyMoment) => momentInWeek(week, moment, team.definition.timeZone);
        const clock = new FakeClock(at(START));
        const store = await storeOf(n);
        const bot = new BotWeek(store, team, clock, week, `run${n}`);
        const { sections, leads } = team.definition;
        const model = new WeekModel(
          week,
          sections.map((s) => ({ id: s.id, title: s.title, kind: s.kind, owners: s.owners })),
          leads,
          {
            open: at(team.definition.schedule.open),
            remind: at(team.definition.schedule.remind),
            publish: at(team.definition.schedule.publish),
            at: (m) => at(m as WeeklyMoment),
          },
          clock.now(),
        );
        try {
          await bot.start();
          model.runDueJobs();
          await fc.asyncModelRun(() => ({ model, real: bot }), commands);
          if (process.env.WEEK_MODEL_STATS) tally(model);
          await runChecks(model, bot);
        } finally {
          if (store !== shared) await discardTestStore(store);
        }
      },
    );
  }

  /** WEEK_MODEL_STATS=1: how many sequences reached each situation, printed after the run. */
  const seen = new Map<string, number>();
  function tally(model: WeekModel): void {
    const situations = {
      opened: model.open,
      published: model.published,
      'late change': model.leadNotices > 0,
      '重写 after publishing': [...model.answers.values()].some((revisions) =>
        revisions.some((r) => r.startedOver && model.firstPublishedAt !== null && r.at > model.firstPublishedAt),
      ),
      'both co-owners wrote 【其他】': model.writers('other').length > 1,
      'a section skipped': model.sections.some((s) => model.state(s.id) === 'skipped'),
      'handed over': model.everHanded.size > 0,
      'written by its owners and a delegate': model.sections.some(
        (s) => model.writers(s.id).some((p) => !s.owners.includes(p)) && model.writers(s.id).length > 1,
      ),
      'written by two delegates': model.sections.some((s) => model.writers(s.id).filter((p) => !s.owners.includes(p)).length > 1),
      away: model.away.size > 0,
    };
    for (const [name, yes] of Object.entries(situations)) if (yes) seen.set(name, (seen.get(name) ?? 0) + 1);
    seen.set('sequences', (seen.get('sequences') ?? 0) + 1);
  }
  afterAll(() => {
    if (process.env.WEEK_MODEL_STATS) console.log(Object.fromEntries(seen));
  });

  it(
    'status, preview, the posted report, participation and the export agree with the model',
    async () => {
      // Stopped before the test's timeout, so that a long shrink still prints what it found.
      await fc.assert(weekProperty(), { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: TIMEOUT_MS - 20_000, ...(PATH ? { path: PATH } : {}) });
    },
    TIMEOUT_MS,
  );
});
