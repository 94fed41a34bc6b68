import { platformOf, type BotContext } from '../../src/bot/context.ts';
import { renderParticipationHeatmapPng, type ParticipationCell } from '../../src/charts/participation-heatmap.ts';
import type { Respond } from '../../src/platforms/platform.ts';
import type { Team } from '../../src/report/definition.ts';
import { participationRows, type Participation } from '../../src/report/across-weeks/participation.ts';
import { momentInWeek, shiftWeek } from '../../src/report/week.ts';
import type { Cycle, LatestSubmission } from '../../src/store/store.ts';
import { quoted, retype, type AcrossWeeksCommand } from './command.ts';
import { awayInWeek } from '../owners/away.ts';
import { teamInWeek } from '../owners/people.ts';
import { sendLongAnswer } from './long-answer.ts';
import { messagesFor } from '../texts/messages.ts';
import { displayName } from '../owners/people.ts';
import { showImage } from './show-image.ts';
import { countInstead, isCountOutOfRange, loadWeeks, parseWeekCount } from './week-history.ts';

export const DEFAULT_PARTICIPATION_WEEKS = 12;

/** How an owner took part in a week: as the stored answers say, or away (`/weekly-report away`) instead of missing. */
export type WeekParticipation = Participation | 'away';

export const PARTICIPATION_MARKS: Readonly<Record<WeekParticipation, string>> = { 'on-time': '✅', late: '⏰', skipped: '⏭', away: '🌴', missing: '❌' };

export interface SeenRow {
  person: string;
  sectionId: string;
  /** One per stored week, oldest first. */
  weeks: { week: string; status: WeekParticipation }[];
  counts: Record<WeekParticipation, number>;
}

/** `participation [weeks]`: the number of weeks, or what is wrong with the words. */
export function parseParticipationArgs(args: readonly string[]): number | { problem: 'bad-count' | 'not-a-count' | 'extra-words'; word: string } {
  const [word, ...extra] = args;
  if (word === undefined) return DEFAULT_PARTICIPATION_WEEKS;
  if (extra.length > 0) return { problem: 'extra-words', word: extra.join(' ') };
  const count = parseWeekCount(word);
  if (count !== undefined) return count;
  return { problem: isCountOutOfRange(word) ? 'bad-count' : 'not-a-count', word };
}

/** Answers before it are on time: when the report was first posted, or is due to be. */
function publishMomentOf(team: Team, cycle: Cycle): Date {
  const { definition } = team;
  return cycle.firstPublishedAt ?? momentInWeek(cycle.week, definition.schedule.publish, definition.timeZone);
}

/**
 * The participation rows the caller may see: leads see everyone; anyone else only their own rows,
 * so that nobody's record is shown to their peers. Someone away during a week's collection window
 * who did not answer counts as away, not missing.
 */
export async function participationFor(
  ctx: BotContext,
  team: Team,
  caller: string,
  endWeek: string,
  weeks: number,
): Promise<{ weeks: string[]; rows: SeenRow[] }> {
  const { definition } = team;
  const wanted = Array.from({ length: weeks }, (_, i) => shiftWeek(endWeek, i - weeks + 1));
  const stored = await loadWeeks(ctx, team, wanted);
  const away = new Map(await Promise.all(stored.map(async ({ cycle }) => [cycle.week, await awayInWeek(ctx, definition, cycle.week)] as const)));
  const rows = participationRows(
    definition,
    stored.map(({ cycle, answers }) => ({ week: cycle.week, publishMoment: publishMomentOf(team, cycle), answers })),
  ).map((row): SeenRow => {
    const counts: Record<WeekParticipation, number> = { 'on-time': 0, late: 0, skipped: 0, away: 0, missing: 0 };
    const statuses = row.weeks.map(({ week, status }) => {
      const seen: WeekParticipation = status === 'missing' && away.get(week)?.has(row.person) ? 'away' : status;
      counts[seen] += 1;
      return { week, status: seen };
    });
    return { person: row.person, sectionId: row.sectionId, weeks: statuses, counts };
  });
  const visible = definition.leads.includes(caller) ? rows : rows.filter((r) => r.person === caller);
  return { weeks: stored.map((s) => s.cycle.week), rows: visible };
}

/** One line per (person, section): the weeks as marks, oldest first, then the counts. */
export function participationLines(team: Team, rows: readonly SeenRow[]): string[] {
  const { definition } = team;
  return rows.map((row) => {
    const title = definition.sections.find((s) => s.id === row.sectionId)?.title ?? row.sectionId;
    const marks = row.weeks.map((w) => PARTICIPATION_MARKS[w.status]).join('');
    const counts = (Object.keys(PARTICIPATION_MARKS) as WeekParticipation[]).map((s) => `${PARTICIPATION_MARKS[s]}${row.counts[s]}`).join(' ');
    return `${displayName(definition, row.person)} ${title} ${marks}  ${counts}`;
  });
}

/** The worst of a person's sections in a week shows in their heatmap cell: one missing section is a missing week. */
const CELL_ORDER: readonly WeekParticipation[] = ['missing', 'late', 'on-time', 'skipped', 'away'];

/** Heatmap cells, one per (week, person): the rows' people, each week as the worst of their sections. */
export function heatmapCells(rows: readonly SeenRow[]): ParticipationCell[] {
  const byCell = new Map<string, { week: string; person: string; statuses: WeekParticipation[] }>();
  for (const row of rows) {
    for (const { week, status } of row.weeks) {
      const key = `${week}\u0000${row.person}`;
      const cell = byCell.get(key) ?? { week, person: row.person, statuses: [] };
      cell.statuses.push(status);
      byCell.set(key, cell);
    }
  }
  return [...byCell.values()].map(({ week, person, statuses }) => ({ week, person, status: CELL_ORDER.find((s) => statuses.includes(s))! }));
}

/**
 * `/weekly-report participation [weeks]`: the table as the caller's answer, and the heatmap (weeks ×
 * people) in a direct message to the caller, never in the channel: it shows the same rows as the
 * table, so a member's picture holds only their own record.
 */
export async function runParticipationCommand(ctx: BotContext, request: AcrossWeeksCommand, respond: Respond): Promise<void> {
  const { team, command } = request;
  const { definition } = team;
  const text = messagesFor(definition.locale);
  const weeks = parseParticipationArgs(request.args);
  if (typeof weeks !== 'number') {
    const { problem, word } = weeks;
    const instead = (count: string) => retype('participation', [count], request.teamId);
    const answer =
      problem === 'extra-words'
        ? text.extraWords('participation', quoted(word), retype('participation', request.args.slice(0, 1), request.teamId))
        : problem === 'bad-count'
          ? text.weekCountOutOfRange(quoted(word), instead(countInstead(word, DEFAULT_PARTICIPATION_WEEKS)))
          : text.notAWeekCount(quoted(word), instead(String(DEFAULT_PARTICIPATION_WEEKS)));
    return respond({ text: answer }, 'caller');
  }
  const seen = await participationFor(ctx, team, request.person, request.currentWeek, weeks);
  const lines = participationLines(team, seen.rows);
  if (seen.weeks.length === 0 || lines.length === 0) return respond({ text: text.participationNone }, 'caller');

  const platform = platformOf(ctx, command.sender.platform);
  const from = seen.weeks[0]!;
  const to = seen.weeks.at(-1)!;
  const people = [...new Set(seen.rows.map((r) => r.person))].map((id) => ({ id, name: displayName(definition, id) }));
  const title = text.participationChartTitle(definition.name, from, to);
  const png = renderParticipationHeatmapPng({ title, weeks: seen.weeks, people, cells: heatmapCells(seen.rows), locale: definition.locale });
  const dm = await platform.sendDirect(command.sender.userId, { text: title });
  await showImage(platform, dm.channel, { filename: `${definition.id}-participation-${to}.png`, title, png });

  await sendLongAnswer(ctx, command, respond, {
    header: text.participationHeader(seen.weeks),
    blocks: [lines.join('\n')],
    // The marks line up in a fixed-width block; each message gets its own.
    wrap: (part) => `\`\`\`\n${part}\n\`\`\``,
    filename: `${definition.id}-participation-${from}-${to}.txt`,
    footer: text.participationChartSent,
    locale: definition.locale,
  });
}

/**
 * The digest's "on time this week: 10 of 12" (a definition's `digest.onTimeLine`): the people
 * asked this week (owners, with the week's delegations), and how many answered every section they
 * own (or said there was nothing) before the report went out. Someone away is not held to the
 * sections they did not answer, and is not counted at all when they answered none.
 */
export async function onTimeThisWeek(
  ctx: BotContext,
  team: Team,
  week: string,
  answers: readonly LatestSubmission[],
): Promise<{ onTime: number; asked: number } | null> {
  const cycle = await ctx.store.getCycle(team.definition.id, week);
  if (!cycle) return null;
  const weekTeam = await teamInWeek(ctx, team, week);
  const away = await awayInWeek(ctx, team.definition, week);
  // As for `participation`: on time is before the report went out, which is now for its first posting.
  const publishMoment = cycle.firstPublishedAt ?? ctx.clock.now();
  const rows = participationRows(weekTeam.definition, [{ week, publishMoment, answers }]);
  const byPerson = new Map<string, Participation[]>();
  for (const row of rows) byPerson.set(row.person, [...(byPerson.get(row.person) ?? []), row.weeks[0]!.status]);
  const held = [...byPerson]
    .map(([person, statuses]) => (away.has(person) ? statuses.filter((s) => s !== 'missing') : statuses))
    .filter((statuses) => statuses.length > 0);
  const onTime = held.filter((statuses) => statuses.every((s) => s === 'on-time' || s === 'skipped')).length;
  return { onTime, asked: held.length };
}
