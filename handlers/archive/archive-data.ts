import type { BotContext } from '../../src/bot/context.ts';
import type {
  ArchiveChart,
  ArchiveData,
  ArchiveGoalWeek,
  ArchiveIncidentWeek,
  ArchiveParticipation,
  ArchiveRevision,
  ArchiveSearchHit,
  ArchiveWeek,
  ArchiveWeekSummary,
} from '../../src/archive/archive-data.ts';
import { trendChartOption } from '../../src/charts/trend-chart.ts';
import { metricValuesById, weekMetrics } from '../../src/report/across-weeks/week-data.ts';
import type { Team, TeamDefinition } from '../../src/report/definition.ts';
import { assessMetric, formatTarget } from '../../src/report/metrics/index.ts';
import { weekStanding } from '../../src/report/section-answers.ts';
import { isoWeekOf } from '../../src/report/week.ts';
import type { Cycle, LatestSubmission, Submission } from '../../src/store/store.ts';
import { compileWeek } from '../cycle/publish.ts';
import { declaredMetrics } from '../cycle/digest-metrics.ts';
import { goalReviewsOfWeek } from '../cycle/goals.ts';
import { answersAsLastPosted, weekAnswers } from '../cycle/week-answers.ts';
import { awayInWeek } from '../owners/away.ts';
import { displayName, teamInWeek } from '../owners/people.ts';
import { DEFAULT_INCIDENT_WEEKS, incidentsBetween } from '../across-weeks/incidents.ts';
import { DEFAULT_PARTICIPATION_WEEKS, PARTICIPATION_MARKS, participationFor } from '../across-weeks/participation.ts';
import { trendChartData } from '../across-weeks/trend.ts';
import { MAX_WEEKS_BACK } from '../across-weeks/week-history.ts';
import { shiftWeek } from '../../src/report/week.ts';
import { searchSnippets } from '../../src/archive/search.ts';
import { reportPlainText } from '../../src/archive/report-html.ts';

/** How many weeks the archive lists: the weeks a command can look back, twice (two years). */
const ARCHIVE_WEEKS = MAX_WEEKS_BACK * 2;

/**
 * The archive's data for a running bot: what the chat commands compute (compileWeek, participation,
 * incidents, the trend charts' data and options, goal reviews). A week not published yet is shown
 * as a draft, as `preview` shows it to any member: the week being collected, or one a lead opened
 * and never published.
 */
export function archiveData(ctx: BotContext): ArchiveData {
  const teamOf = (teamId: string): Team | undefined => ctx.teams.find((t) => t.definition.id === teamId);
  const need = (teamId: string): Team => {
    const team = teamOf(teamId);
    if (!team) throw new RangeError(`no team ${teamId}`);
    return team;
  };
  const stored = async (team: Team): Promise<Cycle[]> =>
    (await ctx.store.listCycles(team.definition.id, ARCHIVE_WEEKS)).sort((a, b) => b.week.localeCompare(a.week));
  const thisWeek = (team: Team) => isoWeekOf(ctx.clock.now(), team.definition.timeZone);

  return {
    team(teamId) {
      const team = teamOf(teamId);
      return team ? { id: team.definition.id, name: team.definition.name, locale: team.definition.locale, timeZone: team.definition.timeZone } : null;
    },

    async weeks(teamId) {
      const team = need(teamId);
      return Promise.all((await stored(team)).map(async (cycle) => weekSummary(ctx, team, cycle, await weekAnswers(ctx.store, teamId, cycle.week))));
    },

    async week(teamId, week) {
      const team = need(teamId);
      const cycle = await ctx.store.getCycle(teamId, week);
      if (!cycle) return null;
      const answers = await weekAnswers(ctx.store, teamId, week);
      const histories = await lateHistories(ctx, cycle, answers);
      const asPosted = answersAsLastPosted(cycle, answers, (answer) => histories.get(answerKey(answer)) ?? []);
      const report = await compileWeek(ctx, team, cycle, asPosted);
      return {
        week,
        draft: cycle.status !== 'published',
        title: report.title,
        markdown: report.markdown,
        revisions: revisionsAfterPublishing(team.definition, cycle, histories),
      } satisfies ArchiveWeek;
    },

    async trends(teamId) {
      const team = need(teamId);
      // One chart per unit, as `trend` draws the first unit's by default: the PNG's data and option.
      const metrics = declaredMetrics(team);
      const units = [...new Set(metrics.map((m) => m.unit))];
      return Promise.all(
        units.map(async (unit): Promise<ArchiveChart> => {
          const data = await trendChartData(ctx, team, thisWeek(team), { metrics: metrics.filter((m) => m.unit === unit), weeks: 12 });
          return { title: data.title, option: trendChartOption(data.input) };
        }),
      );
    },

    async participation(teamId) {
      const team = need(teamId);
      const { definition } = team;
      // Only a team link opens this page, and only leads get one: the rows a lead sees.
      const lead = definition.leads[0] ?? '';
      const seen = await participationFor(ctx, team, lead, thisWeek(team), DEFAULT_PARTICIPATION_WEEKS);
      return {
        weeks: seen.weeks,
        rows: seen.rows.map((row) => ({
          name: displayName(definition, row.person),
          section: definition.sections.find((s) => s.id === row.sectionId)?.title ?? row.sectionId,
          marks: row.weeks.map((w) => ({ week: w.week, mark: PARTICIPATION_MARKS[w.status], status: w.status })),
          counts: (Object.keys(PARTICIPATION_MARKS) as (keyof typeof PARTICIPATION_MARKS)[]).map((s) => `${PARTICIPATION_MARKS[s]}${row.counts[s]}`).join(' '),
        })),
      } satisfies ArchiveParticipation;
    },

    async incidents(teamId) {
      const team = need(teamId);
      const to = thisWeek(team);
      const entries = await incidentsBetween(ctx, team, shiftWeek(to, -(DEFAULT_INCIDENT_WEEKS - 1)), to);
      const weeks = [...new Set(entries.map((e) => e.week))].sort().reverse();
      return weeks.map((week): ArchiveIncidentWeek => ({
        week,
        incidents: entries.filter((e) => e.week === week).map((e) => ({ time: e.time, text: e.text })),
      }));
    },

    async goals(teamId) {
      const team = need(teamId);
      const out: ArchiveGoalWeek[] = [];
      for (const cycle of await stored(team)) {
        const reviews = (await goalReviewsOfWeek(ctx.store, team.definition, cycle.week)).filter((r) => r.goals.some((g) => g.state));
        if (reviews.length === 0) continue;
        out.push({
          week: cycle.week,
          reviews: reviews.map((r) => ({
            section: team.definition.sections.find((s) => s.id === r.sectionId)?.title ?? r.sectionId,
            goalsWeek: r.goalsWeek,
            goals: r.goals.map((g) => ({
              number: g.number,
              text: g.text,
              ...(g.state ? { status: g.state.status, ...(g.state.note ? { note: g.state.note } : {}) } : {}),
            })),
          })),
        });
      }
      return out;
    },

    async search(teamId, query) {
      const team = need(teamId);
      const hits: ArchiveSearchHit[] = [];
      for (const cycle of await stored(team)) {
        const report = await compileWeek(ctx, team, cycle);
        const snippets = searchSnippets(reportPlainText(report.markdown), query);
        if (snippets.length > 0) hits.push({ week: cycle.week, snippets });
      }
      return hits;
    },
  };
}

/** A week at a glance: sections submitted (as `status` counts them) and the metrics that missed their targets. */
async function weekSummary(ctx: BotContext, team: Team, cycle: Cycle, answers: readonly LatestSubmission[]): Promise<ArchiveWeekSummary> {
  const { definition } = team;
  const weekTeam = await teamInWeek(ctx, team, cycle.week);
  const standing = weekStanding(weekTeam.definition, answers, await awayInWeek(ctx, definition, cycle.week));
  const values = metricValuesById(weekMetrics(definition, answers));
  const missedTargets = declaredMetrics(team).flatMap((metric) => {
    const value = values.get(metric.id);
    if (!value) return [];
    const assessed = assessMetric(metric, value.value);
    if (assessed.target?.status !== 'missed') return [];
    return [`${metric.label} ${value.value}${metric.unit === '%' ? '%' : ''} (${formatTarget(assessed.target.target, metric.unit)})`];
  });
  return { week: cycle.week, draft: cycle.status !== 'published', submitted: standing.submitted, total: standing.sections.length, missedTargets };
}

/**
 * The revisions of each answer changed since the report was first published, oldest first, read
 * once for both the report as last posted (answersAsLastPosted) and the list under it.
 */
async function lateHistories(ctx: BotContext, cycle: Cycle, answers: readonly LatestSubmission[]): Promise<Map<string, Submission[]>> {
  const since = cycle.firstPublishedAt;
  const late = since ? answers.filter((a) => a.receivedAt > since) : [];
  const histories = await Promise.all(
    late.map(
      async ({ teamId, week, sectionId, owner }) =>
        [answerKey({ sectionId, owner }), await ctx.store.submissionHistory({ teamId, week, sectionId, owner })] as const,
    ),
  );
  return new Map(histories);
}

function answerKey(answer: { sectionId: string; owner: string }): string {
  return `${answer.sectionId}\0${answer.owner}`;
}

/** Every revision received after the report was first published: the section, who, when, and what they typed. */
function revisionsAfterPublishing(definition: TeamDefinition, cycle: Cycle, histories: ReadonlyMap<string, Submission[]>): ArchiveRevision[] {
  const since = cycle.firstPublishedAt;
  if (!since) return [];
  const revisions = [...histories.values()].map((history) =>
    history
      .filter((s) => s.receivedAt > since)
      .map((s): ArchiveRevision => ({
        section: definition.sections.find((x) => x.id === s.sectionId)?.title ?? s.sectionId,
        who: displayName(definition, s.owner),
        at: s.receivedAt,
        text: s.rawText,
        unposted: cycle.publishedAt !== undefined && s.receivedAt > cycle.publishedAt,
      })),
  );
  return revisions.flat().sort((a, b) => a.at.getTime() - b.at.getTime());
}
