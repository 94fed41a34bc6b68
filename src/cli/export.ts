import { parseArgs } from 'node:util';
import pino from 'pino';
import { stringify } from 'csv-stringify/sync';
import { DEFAULT_TEMPLATES_DIR, loadTeamById } from '../config/definitions.ts';
import { BotError } from '../errors.ts';
import { createLogger } from '../log.ts';
import { PLATFORM_MODULES, PLATFORM_NAMES } from '../platforms/modules.ts';
import { compileReport, compileSection } from '../report/compile.ts';
import type { Team } from '../report/definition.ts';
import { weekEntries, weekMetrics } from '../report/across-weeks/week-data.ts';
import { isIsoWeek } from '../report/week.ts';
import { openStore } from '../store/index.ts';
import type { Cycle, LatestSubmission, Store } from '../store/store.ts';
import { goalReviewsOfWeek } from '../../handlers/cycle/goals.ts';
import { weekAnswers } from '../../handlers/cycle/week-answers.ts';
import { awayInWeek } from '../../handlers/owners/away.ts';
import { teamInWeek } from '../../handlers/owners/people.ts';
import { weekStanding, type SectionStanding, type SectionState } from '../report/section-answers.ts';
import type { GoalReview } from '../report/goals.ts';

export const EXPORT_FORMATS = ['markdown', 'json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_USAGE = `  weekly-report export --template <id> --from <YYYY-Www> --to <YYYY-Www>
                       [--format markdown|json|csv] [--section <id>] [--templates <dir>]

  Exports the stored weeks (MONGODB_URI) from --from to --to, both included:
  markdown: each week's document exactly as published, or with --section that section week by week;
  json: each week's sections with their state (answered, skipped, missing, away, as status counts
        them) and structured answers (items, entries), metrics, metric problems and goal reviews;
  csv: one row per metric value and per incident (entries section).`;

export interface ExportOptions {
  from: string;
  to: string;
  format: ExportFormat;
  /** Only this section (markdown: its compiled text per week; json and csv: its data). */
  sectionId?: string;
}

/** More weeks than any report keeps: ten years. */
const MAX_EXPORTED_WEEKS = 520;

/** The stored weeks from..to (both included) of a team, oldest first, with each week's answers as published (week-answers.ts). */
async function storedWeeks(store: Store, team: Team, from: string, to: string): Promise<{ cycle: Cycle; answers: LatestSubmission[] }[]> {
  const cycles = (await store.listCycles(team.definition.id, MAX_EXPORTED_WEEKS))
    // ISO week ids of four-digit years sort as strings.
    .filter((c) => c.week >= from && c.week <= to)
    .sort((a, b) => a.week.localeCompare(b.week));
  return Promise.all(cycles.map(async (cycle) => ({ cycle, answers: await weekAnswers(store, team.definition.id, cycle.week) })));
}

/** The export as text, from a store: the CLI's core, so that it can be tested on any Store. */
export async function exportWeeks(store: Store, team: Team, options: ExportOptions): Promise<string> {
  const { definition } = team;
  const section = options.sectionId ? definition.sections.find((s) => s.id === options.sectionId) : undefined;
  if (options.sectionId && !section) {
    throw new RangeError(`--section: ${definition.id} has no section "${options.sectionId}" (sections: ${definition.sections.map((s) => s.id).join(', ')})`);
  }
  const weeks = await storedWeeks(store, team, options.from, options.to);
  const inSection = <T extends { sectionId: string }>(rows: T[]) => (section ? rows.filter((r) => r.sectionId === section.id) : rows);

  switch (options.format) {
    case 'markdown':
      if (section) {
        return weeks
          .map(({ cycle, answers }) => `# ${cycle.week}\n\n${compileSection(section, answers.filter((a) => a.sectionId === section.id)).markdown}\n`)
          .join('\n');
      }
      // Each week exactly as published: the cycle's creation time and its latest revisions.
      return (
        await Promise.all(
          weeks.map(async ({ cycle, answers }) => {
            const goalReviews = await goalReviewsOfWeek(store, definition, cycle.week);
            return compileReport({ team, week: cycle.week, createdAt: cycle.createdAt, answers, goalReviews }).markdown;
          }),
        )
      ).join('\n---\n\n');
    case 'json': {
      // Last week's goals as each week reviewed them; only weeks with a review say so.
      const reviews = new Map(await Promise.all(weeks.map(async ({ cycle }) => [cycle.week, await goalReviewsOfWeek(store, definition, cycle.week)] as const)));
      // Each section's state as `status` and the digest count it: the week's owners (delegations), who was away.
      const standings = new Map(
        await Promise.all(
          weeks.map(async ({ cycle, answers }) => {
            const weekTeam = await teamInWeek({ store }, team, cycle.week);
            const away = await awayInWeek({ store }, definition, cycle.week);
            return [cycle.week, new Map(weekStanding(weekTeam.definition, answers, away).sections.map((s) => [s.sectionId, s]))] as const;
          }),
        ),
      );
      const out = {
        report: definition.id,
        from: options.from,
        to: options.to,
        weeks: weeks.map(({ cycle, answers }) => ({
          week: cycle.week,
          createdAt: cycle.createdAt.toISOString(),
          ...(cycle.firstPublishedAt ? { publishedAt: cycle.firstPublishedAt.toISOString() } : {}),
          sections: definition.sections
            .filter((s) => !section || s.id === section.id)
            .map((s) => ({
              id: s.id,
              title: s.title,
              kind: s.kind,
              ...standingJson(standings.get(cycle.week)?.get(s.id)),
              answers: answers
                .filter((a) => a.sectionId === s.id)
                // Owners in definition order, whatever order the store returns them in.
                .sort((a, b) => ownerRank(s.owners, a.owner) - ownerRank(s.owners, b.owner) || a.owner.localeCompare(b.owner))
                .map((a) => ({ owner: a.owner, revision: a.revision, receivedAt: a.receivedAt.toISOString(), ...(a.skipped ? { skipped: true } : {}), content: a.content })),
            })),
          metrics: inSection(weekMetrics(definition, answers)).flatMap((m) =>
            m.values.map((v) => ({ section: m.sectionId, id: v.id, label: v.label, unit: v.unit, value: v.value })),
          ),
          metricProblems: inSection(weekMetrics(definition, answers)).flatMap((m) => m.problems.map((p) => ({ section: m.sectionId, ...p }))),
          ...goalReviewsJson(inSection(reviews.get(cycle.week) ?? [])),
        })),
      };
      return `${JSON.stringify(out, null, 2)}\n`;
    }
    case 'csv': {
      const rows: string[][] = [];
      for (const { cycle, answers } of weeks) {
        for (const m of inSection(weekMetrics(definition, answers))) {
          for (const v of m.values) rows.push([cycle.week, 'metric', m.sectionId, v.id, v.label, String(v.value), v.unit, '', '']);
        }
        for (const e of inSection(weekEntries(definition, cycle.week, answers))) {
          rows.push([cycle.week, 'incident', e.sectionId, '', '', '', '', e.time, e.text]);
        }
      }
      return stringify(rows, { header: true, columns: ['week', 'type', 'section', 'metric', 'label', 'value', 'unit', 'time', 'text'] });
    }
  }
}

/** A section's state, and who it waits for when nobody answered it: `missing` / `away` only when not empty. */
function standingJson(standing: SectionStanding | undefined): { state?: SectionState; missing?: string[]; away?: string[] } {
  if (!standing) return {};
  return { state: standing.state, ...(standing.missing.length ? { missing: standing.missing } : {}), ...(standing.away.length ? { away: standing.away } : {}) };
}

function goalReviewsJson(reviews: readonly GoalReview[]): { goalReviews?: unknown[] } {
  const given = reviews.filter((r) => r.goals.some((g) => g.state));
  if (given.length === 0) return {};
  return {
    goalReviews: given.map((r) => ({
      section: r.sectionId,
      goalsWeek: r.goalsWeek,
      goals: r.goals.map((g) => ({ number: g.number, text: g.text, ...(g.state ? { status: g.state.status, ...(g.state.note ? { note: g.state.note } : {}) } : {}) })),
    })),
  };
}

function ownerRank(owners: readonly string[], owner: string): number {
  const at = owners.indexOf(owner);
  return at === -1 ? owners.length : at;
}

/** A problem the user can fix, printed without a stack trace (exit 1). */
export class ExportUsageError extends BotError {
  override name = 'ExportUsageError';
  constructor(message: string, options?: ErrorOptions) {
    super('input_invalid', message, options);
  }
}

/** `weekly-report export …`: parses the arguments, opens the store at MONGODB_URI, exports. */
export async function exportCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      template: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'markdown' },
      section: { type: 'string' },
      templates: { type: 'string', default: DEFAULT_TEMPLATES_DIR },
    },
    strict: true,
  });
  if (!values.template) throw new ExportUsageError('--template is required (e.g. payments-weekly)');
  for (const [flag, week] of [['--from', values.from], ['--to', values.to]] as const) {
    if (!week || !isIsoWeek(week)) throw new ExportUsageError(`${flag} expects an ISO week like 2024-W23, got "${week ?? ''}"`);
  }
  const format = values.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new ExportUsageError(`--format expects ${EXPORT_FORMATS.join(', ')}, got "${values.format}"`);
  if (!env.MONGODB_URI) throw new ExportUsageError('MONGODB_URI is not set: export reads the stored weeks from MongoDB');

  const team = await loadTeamById(values.template, PLATFORM_MODULES, values.templates);
  // stdout carries the export: log lines go to stderr.
  const logger = createLogger('export', { destination: pino.destination(2), level: env.LOG_LEVEL ?? 'warn' });
  const store = await openStore({ mongoUri: env.MONGODB_URI, logger, platforms: PLATFORM_NAMES });
  try {
    return await exportWeeks(store, team, { from: values.from!, to: values.to!, format, ...(values.section ? { sectionId: values.section } : {}) });
  } catch (error) {
    if (error instanceof RangeError) throw new ExportUsageError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}
