import type { BotContext } from '../src/bot/context.ts';
import type { Team } from '../src/report/definition.ts';
import { participationRows, type Participation, type ParticipationRow } from '../src/report/across-weeks/participation.ts';
import { momentInWeek, shiftWeek } from '../src/report/week.ts';
import { displayName } from './people.ts';
import { loadWeeks, parseWeekCount } from './week-history.ts';

export const DEFAULT_PARTICIPATION_WEEKS = 12;

export const PARTICIPATION_MARKS: Readonly<Record<Participation, string>> = { 'on-time': '✅', late: '⏰', skipped: '⏭', missing: '❌' };

/** `participation [weeks]`; undefined when the word is not a week count. */
export function parseParticipationArgs(args: readonly string[]): number | undefined {
  if (args.length === 0) return DEFAULT_PARTICIPATION_WEEKS;
  return args.length === 1 ? parseWeekCount(args[0]!) : undefined;
}

/**
 * The participation rows the caller may see: leads see everyone; anyone else only their own rows,
 * so that nobody's record is shown to their peers.
 */
export async function participationFor(ctx: BotContext, team: Team, caller: string, endWeek: string, weeks: number): Promise<{ weeks: string[]; rows: ParticipationRow[] }> {
  const { definition } = team;
  const wanted = Array.from({ length: weeks }, (_, i) => shiftWeek(endWeek, i - weeks + 1));
  const stored = await loadWeeks(ctx, team, wanted);
  const rows = participationRows(
    definition,
    stored.map(({ cycle, answers }) => ({
      week: cycle.week,
      publishMoment: cycle.firstPublishedAt ?? momentInWeek(cycle.week, definition.schedule.publish, definition.timeZone),
      answers,
    })),
  );
  const visible = definition.leads.includes(caller) ? rows : rows.filter((r) => r.person === caller);
  return { weeks: stored.map((s) => s.cycle.week), rows: visible };
}

/** One line per (person, section): the weeks as marks, oldest first, then the counts. */
export function participationLines(team: Team, rows: readonly ParticipationRow[]): string[] {
  const { definition } = team;
  return rows.map((row) => {
    const title = definition.sections.find((s) => s.id === row.sectionId)?.title ?? row.sectionId;
    const marks = row.weeks.map((w) => PARTICIPATION_MARKS[w.status]).join('');
    const counts = (Object.keys(PARTICIPATION_MARKS) as Participation[]).map((s) => `${PARTICIPATION_MARKS[s]}${row.counts[s]}`).join(' ');
    return `${displayName(definition, row.person)} ${title} ${marks}  ${counts}`;
  });
}
