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
import type { Team } from '../../src/report/definition.ts';
import { assessMetric, formatTarget } from '../../src/report/metrics/index.ts';
import { weekStanding } from '../../src/report/section-answers.ts';
import { isoWeekOf } from '../../src/report/week.ts';
import type { Cycle, LatestSubmission } from '../../src/store/store.ts';
import { compileWeek } from '../cycle/publish.ts';
import { declaredMetrics } from '../cycle/digest-metrics.ts';
import { goalReviewsOfWeek } from '../cycle/goals.ts';
import { weekAnswers } from '../cycle/week-answers.ts';
import { answerAsPosted } from '../../src/report/start-over.ts';
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
      const report = await compileWeek(ctx, team, cycle, await answersAsPosted(ctx, cycle, answers));
      return {
        week,
        draft: cycle.status !== 'published',
        title: report.title,
        markdown: report.markdown,
        revisions: await revisionsAfterPublishing(ctx, team, cycle, answers),
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

/** Every revision received after the report was first published: the section, who, when, and what they typed. */
/**
 * The week's answers as the report was last posted (`publishedAt`): an answer revised since is
 * taken as it stood then, and one begun since is left out. That is a late answer waiting for its
 * republish, or every late answer of a team whose leads are only told of them (`lateAnswers:
 * notify-lead`); the page lists them under the report, as not posted yet. A week not published is
 * a draft: its answers as they are.
 */
async function answersAsPosted(ctx: BotContext, cycle: Cycle, answers: readonly LatestSubmission[]): Promise<LatestSubmission[]> {
  const postedAt = cycle.status === 'published' ? cycle.publishedAt : undefined;
  if (!postedAt) return [...answers];
  const asPosted = await Promise.all(
    answers.map(async (answer) => {
      if (answer.receivedAt <= postedAt) return answer;
      const { teamId, week, sectionId, owner } = answer;
      const before = (await ctx.store.submissionHistory({ teamId, week, sectionId, owner })).filter((s) => s.receivedAt <= postedAt);
      const posted = answerAsPosted(before, cycle.firstPublishedAt).answer;
      if (!posted) return null;
      const { rawPayload: _payload, ...latest } = posted;
      return latest as LatestSubmission;
    }),
  );
  return asPosted.filter((a) => a !== null);
}

async function revisionsAfterPublishing(ctx: BotContext, team: Team, cycle: Cycle, answers: readonly LatestSubmission[]): Promise<ArchiveRevision[]> {
  const { definition } = team;
  const since = cycle.firstPublishedAt;
  if (!since) return [];
  const late = answers.filter((a) => a.receivedAt > since);
  const revisions = await Promise.all(
    late.map(async (a) =>
      (await ctx.store.submissionHistory({ teamId: definition.id, week: cycle.week, sectionId: a.sectionId, owner: a.owner }))
        .filter((s) => s.receivedAt > since)
        .map((s): ArchiveRevision => ({
          section: definition.sections.find((x) => x.id === s.sectionId)?.title ?? s.sectionId,
          who: displayName(definition, s.owner),
          at: s.receivedAt,
          text: s.rawText,
          unposted: cycle.publishedAt !== undefined && s.receivedAt > cycle.publishedAt,
        })),
    ),
  );
  return revisions.flat().sort((a, b) => a.at.getTime() - b.at.getTime());
}
