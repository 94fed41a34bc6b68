import type { BotContext } from '../bot/context.ts';
import { BotError } from '../errors.ts';
import type { PlatformName } from '../platforms/platform.ts';
import type { Team } from '../report/definition.ts';
import { isoWeekOf, shiftWeek } from '../report/week.ts';
import { seedHistory } from './history.ts';
import { seedWeek, type UnchangedWeek } from './seed-week.ts';

/**
 * `npm run seed` (`src/main.ts --seed [--weeks N] [--force]`): sample weeks for a newcomer to look
 * at. The seed fills a database of its own. It knows its weeks by the mark it leaves on them
 * (Cycle.seeded, set only on a week the seed's openCycle created):
 * - a database holding a week of any team of the definitions that the seed did not write is
 *   refused, before anything is written, unless `--force`;
 * - with `--force`, it adds its weeks next to the others and writes into none of them;
 * - it never changes a published week, not even one it wrote (the history it published before, or
 *   a seeded week a lead has since published): running it again adds nothing to what it wrote.
 */

/** How many weeks of a team the refusal reads at most: more than anyone keeps reports. */
const MAX_WEEKS_READ = 10_000;
/** How many of the weeks the seed did not write its refusal names. */
const NAMED_WEEKS = 5;

export interface SeedOptions {
  /** Earlier weeks to fill before this one (`--weeks`); 0 for none. */
  weeks: number;
  /** `--force`: seed next to weeks the seed did not write. */
  force: boolean;
  /** Whom the reference replies come from. */
  platform: PlatformName;
  /** Every team of the definitions: a week of any of them that the seed did not write refuses it. */
  allTeams: readonly Team[];
}

/** What the seed did for one team. */
export interface TeamSeeded {
  teamId: string;
  /** The earlier weeks it wrote and published, oldest first. */
  history: string[];
  /** This week, answered with the reference replies; null when it was left as it was. */
  current: { week: string; replies: number } | null;
  /** The weeks it left as they were, oldest first. */
  unchanged: UnchangedWeek[];
}

/** The database holds weeks the seed did not write, and `--force` was not given. */
export class SeedRefused extends BotError {
  override name = 'SeedRefused';
  constructor(message: string, options?: ErrorOptions) {
    super('seed_refused', message, options);
  }
}

/** Throws SeedRefused when the seed must not write to this store (see above); the caller can ask before writing anything of its own. */
export async function refuseUnlessSeedable(ctx: BotContext, options: Pick<SeedOptions, 'force' | 'allTeams'>): Promise<void> {
  if (options.force) return;
  const notSeeded = await weeksNotSeeded(ctx, options.allTeams);
  if (notSeeded.length > 0) throw new SeedRefused(refusal(ctx, notSeeded));
}

/** Seeds each of `teams` (refusing first, when it must; see above). */
export async function seedTeams(ctx: BotContext, teams: readonly Team[], options: SeedOptions): Promise<TeamSeeded[]> {
  await refuseUnlessSeedable(ctx, options);
  const seeded: TeamSeeded[] = [];
  for (const team of teams) {
    const week = isoWeekOf(ctx.clock.now(), team.definition.timeZone);
    // Earlier weeks first, so that this week's prompts show last week's text.
    const history = options.weeks > 0 ? await seedHistory(ctx.store, team, week, options.weeks) : { written: [], unchanged: [] };
    const current = await seedWeek(ctx, team, week, options.platform);
    seeded.push({
      teamId: team.definition.id,
      history: history.written,
      current: 'replies' in current ? current : null,
      unchanged: 'reason' in current ? [...history.unchanged, current] : history.unchanged,
    });
  }
  return seeded;
}

/** What the seed did for a team, in a line for the person who ran it. */
export function describeSeeded(seeded: TeamSeeded): string {
  const done: string[] = [];
  if (seeded.history.length > 0) {
    const n = seeded.history.length;
    done.push(`${weekRanges(seeded.history).join(', ')} published (${n} earlier week${n === 1 ? '' : 's'})`);
  }
  if (seeded.current) done.push(`${seeded.current.week} answered with the reference replies (${seeded.current.replies})`);
  const left = seeded.unchanged.length === 0 ? '' : `; left as they were: ${unchangedRanges(seeded.unchanged).join(', ')}`;
  return `Seeded ${seeded.teamId}: ${done.length > 0 ? done.join('; ') : 'nothing'}${left}.`;
}

interface NotSeeded {
  teamId: string;
  week: string;
  status: 'open' | 'published';
}

/** The weeks of the teams that the seed did not write, newest first, team by team. */
async function weeksNotSeeded(ctx: BotContext, teams: readonly Team[]): Promise<NotSeeded[]> {
  const found: NotSeeded[] = [];
  for (const team of teams) {
    for (const cycle of await ctx.store.listCycles(team.definition.id, MAX_WEEKS_READ)) {
      if (!cycle.seeded) found.push({ teamId: cycle.teamId, week: cycle.week, status: cycle.status });
    }
  }
  return found;
}

function refusal(ctx: BotContext, notSeeded: readonly NotSeeded[]): string {
  const named = notSeeded.slice(0, NAMED_WEEKS);
  const byTeam = new Map<string, string[]>();
  for (const w of named) byTeam.set(w.teamId, [...(byTeam.get(w.teamId) ?? []), `${w.week} (${w.status})`]);
  const more = notSeeded.length - named.length;
  const weeks = [...byTeam].map(([teamId, ws]) => `${teamId} ${ws.join(', ')}`).join('; ') + (more > 0 ? ` and ${more} more` : '');
  return (
    `The database at ${ctx.store.describe().location} holds weeks the seed did not write: ${weeks}. ` +
    'The seed fills a database with sample weeks, and these look like a team’s own. Nothing was written. ' +
    'Point MONGODB_URI at a database of its own for the sample (e.g. mongodb://127.0.0.1:27017/weekly-report-demo), ' +
    'or run `npm run seed -- --force` to add the sample weeks next to these: it never changes a published week, nor a week it did not write.'
  );
}

/** Weeks as runs of consecutive weeks: `2024-W11 – 2024-W13, 2024-W15`. */
function weekRanges(weeks: readonly string[]): string[] {
  const ranges: string[][] = [];
  for (const week of weeks) {
    const last = ranges.at(-1);
    if (last && shiftWeek(last.at(-1)!, 1) === week) last.push(week);
    else ranges.push([week]);
  }
  return ranges.map((r) => (r.length === 1 ? r[0]! : `${r[0]} – ${r.at(-1)}`));
}

/** Unchanged weeks as runs of consecutive weeks left for the same reason. */
function unchangedRanges(unchanged: readonly UnchangedWeek[]): string[] {
  const runs: UnchangedWeek[][] = [];
  for (const u of unchanged) {
    const last = runs.at(-1);
    if (last && last[0]!.reason === u.reason && shiftWeek(last.at(-1)!.week, 1) === u.week) last.push(u);
    else runs.push([u]);
  }
  const why = { published: 'published', 'not-seeded': 'not written by the seed' } as const;
  return runs.map((r) => `${weekRanges(r.map((u) => u.week))[0]} (${why[r[0]!.reason]})`);
}
