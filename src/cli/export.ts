import { parseArgs } from 'node:util';
import pino from 'pino';
import { stringify } from 'csv-stringify/sync';
import { DEFAULT_TEMPLATES_DIR, loadTeamById } from '../config/definitions.ts';
import { BotError } from '../errors.ts';
import { createLogger } from '../log.ts';
import { messagesFor } from '../../handlers/texts/messages.ts';
import { PLATFORM_MODULES, PLATFORM_NAMES } from '../platforms/modules.ts';
import { compileReport, compileSection } from '../report/compile.ts';
import type { Team } from '../report/definition.ts';
import { weekEntries, weekMetrics } from '../report/across-weeks/week-data.ts';
import { openStore, StoreUnreachableError } from '../store/index.ts';
import type { Cycle, LatestSubmission, Store } from '../store/store.ts';
import { goalReviewsOfWeek } from '../../handlers/cycle/goals.ts';
import { weekAnswers } from '../../handlers/cycle/week-answers.ts';
import { awayInWeek } from '../../handlers/owners/away.ts';
import { teamInWeek } from '../../handlers/owners/people.ts';
import { weekStanding, type SectionStanding, type SectionState } from '../report/section-answers.ts';
import type { GoalReview } from '../report/goals.ts';
import { ArgumentError, weekArgument } from './args.ts';

export const EXPORT_FORMATS = ['markdown', 'json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * How long the CLI waits for the database before it gives up with one line (the bot waits for
 * ever, retrying: src/store/mongo/connect.ts). A person is waiting; a database that answers at all
 * answers well within it.
 */
export const CONNECT_TIMEOUT_MS = 3_000;

export const EXPORT_USAGE = `  weekly-report export --template <id> --from <YYYY-Www> --to <YYYY-Www>
                       [--format markdown|json|csv] [--section <id>] [--drafts] [--templates <dir>]

  Exports the stored weeks (MONGODB_URI) from --from to --to, both included:
  markdown: each week's document exactly as published, or with --section that section week by week;
  json: each week's sections with their state (answered, skipped, missing, away, as status counts
        them) and structured answers (items, entries), metrics, metric problems and goal reviews;
  csv: one row per metric value and per incident (entries section).
  Weeks not published yet are left out; --drafts exports them too, marked as drafts.
  A range with no week to export, or a database not reached within ${CONNECT_TIMEOUT_MS / 1000} s: exit 1.`;

export interface ExportOptions {
  from: string;
  to: string;
  format: ExportFormat;
  /** Only this section (markdown: its compiled text per week; json and csv: its data). */
  sectionId?: string;
  /** Weeks not published yet too, marked as drafts; without it they are left out. */
  drafts?: boolean;
}

/** More weeks than any report keeps: ten years. */
const MAX_EXPORTED_WEEKS = 520;

const isDraft = (cycle: Cycle): boolean => cycle.status !== 'published';

/**
 * The stored weeks from..to (both included) of a team, oldest first, with each week's answers as
 * published (week-answers.ts); drafts (weeks not published yet) only when asked for. None is an ExportUsageError that
 * says which weeks there are.
 */
async function storedWeeks(store: Store, team: Team, options: ExportOptions): Promise<{ cycle: Cycle; answers: LatestSubmission[] }[]> {
  const { id } = team.definition;
  const { from, to } = options;
  // ISO week ids of four-digit years sort as strings.
  const stored = (await store.listCycles(id, MAX_EXPORTED_WEEKS)).sort((a, b) => a.week.localeCompare(b.week));
  const inRange = stored.filter((c) => c.week >= from && c.week <= to);
  const cycles = options.drafts ? inRange : inRange.filter((c) => !isDraft(c));
  if (cycles.length === 0) {
    if (inRange.length > 0) {
      const drafts = inRange.map((c) => c.week);
      const [are, them] = drafts.length === 1 ? ['is', 'it as a draft'] : ['are', 'them as drafts'];
      throw new ExportUsageError(
        `no published week of ${id} from ${from} to ${to}: ${drafts.join(', ')} ${are} not published yet; add --drafts to export ${them}`,
      );
    }
    const there = stored.length > 0 ? `stored: ${stored[0]!.week} to ${stored.at(-1)!.week}` : `nothing is stored for ${id} yet`;
    throw new ExportUsageError(`no stored week of ${id} from ${from} to ${to} (${there})`);
  }
  return Promise.all(cycles.map(async (cycle) => ({ cycle, answers: await weekAnswers(store, id, cycle.week) })));
}

/** The export as text, from a store: the CLI's core, so that it can be tested on any Store. */
export async function exportWeeks(store: Store, team: Team, options: ExportOptions): Promise<string> {
  const { definition } = team;
  const section = options.sectionId ? definition.sections.find((s) => s.id === options.sectionId) : undefined;
  if (options.sectionId && !section) {
    throw new RangeError(`--section: ${definition.id} has no section "${options.sectionId}" (sections: ${definition.sections.map((s) => s.id).join(', ')})`);
  }
  const weeks = await storedWeeks(store, team, options);
  const inSection = <T extends { sectionId: string }>(rows: T[]) => (section ? rows.filter((r) => r.sectionId === section.id) : rows);
  // A draft's document starts with a line that says so, in the team's language.
  const draftMark = (cycle: Cycle) => (isDraft(cycle) ? `${messagesFor(definition.locale).draftBanner(cycle.week)}\n\n` : '');

  switch (options.format) {
    case 'markdown':
      if (section) {
        return weeks
          .map(
            ({ cycle, answers }) =>
              `# ${cycle.week}\n\n${draftMark(cycle)}${
                compileSection(
                  section,
                  answers.filter((a) => a.sectionId === section.id),
                ).markdown
              }\n`,
          )
          .join('\n');
      }
      // Each week exactly as published: the cycle's creation time and its latest revisions.
      return (
        await Promise.all(
          weeks.map(async ({ cycle, answers }) => {
            const goalReviews = await goalReviewsOfWeek(store, definition, cycle.week);
            return draftMark(cycle) + compileReport({ team, week: cycle.week, createdAt: cycle.createdAt, answers, goalReviews }).markdown;
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
          ...(isDraft(cycle) ? { draft: true } : {}),
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
                .map((a) => ({
                  owner: a.owner,
                  revision: a.revision,
                  receivedAt: a.receivedAt.toISOString(),
                  ...(a.skipped ? { skipped: true } : {}),
                  content: a.content,
                })),
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
        const status = isDraft(cycle) ? 'draft' : 'published';
        for (const m of inSection(weekMetrics(definition, answers))) {
          for (const v of m.values) rows.push([cycle.week, 'metric', m.sectionId, v.id, v.label, String(v.value), v.unit, '', '', status]);
        }
        for (const e of inSection(weekEntries(definition, cycle.week, answers))) {
          rows.push([cycle.week, 'incident', e.sectionId, '', '', '', '', e.time, e.text, status]);
        }
      }
      return stringify(rows, { header: true, columns: ['week', 'type', 'section', 'metric', 'label', 'value', 'unit', 'time', 'text', 'status'] });
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
      goals: r.goals.map((g) => ({
        number: g.number,
        text: g.text,
        ...(g.state ? { status: g.state.status, ...(g.state.note ? { note: g.state.note } : {}) } : {}),
      })),
    })),
  };
}

function ownerRank(owners: readonly string[], owner: string): number {
  const at = owners.indexOf(owner);
  return at === -1 ? owners.length : at;
}

/** What the command line names is wrong (a section the team does not have, a range with no week), printed without a stack trace (exit 1). */
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
      drafts: { type: 'boolean', default: false },
      templates: { type: 'string', default: env.TEMPLATES_DIR || DEFAULT_TEMPLATES_DIR },
    },
    strict: true,
  });
  // What the command line itself gets wrong is said before anything is read or connected to.
  if (!values.template) throw new ArgumentError('--template is required (e.g. payments-weekly)');
  const from = weekArgument('--from', values.from);
  const to = weekArgument('--to', values.to);
  if (from > to) throw new ArgumentError(`--from (${from}) is after --to (${to}): swap them, e.g. --from ${to} --to ${from}`);
  const format = values.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new ArgumentError(`--format expects ${EXPORT_FORMATS.join(', ')}, got "${values.format}"`);
  if (!env.MONGODB_URI)
    throw new ExportUsageError('MONGODB_URI is not set (in the environment or in .env in the working directory): export reads the stored weeks from MongoDB');

  const team = await loadTeamById(values.template, PLATFORM_MODULES, values.templates);
  // stdout carries the export. The CLI says what went wrong in a line of its own; the store's log
  // lines (to stderr) only when LOG_LEVEL asks for them.
  const logger = createLogger('export', { destination: pino.destination(2), level: env.LOG_LEVEL || 'silent' });
  const store = await openStore({
    mongoUri: env.MONGODB_URI,
    logger,
    platforms: PLATFORM_NAMES,
    serverSelectionTimeoutMS: CONNECT_TIMEOUT_MS,
    retry: { maxAttempts: 1 },
  }).catch((error: unknown) => {
    if (!(error instanceof StoreUnreachableError)) throw error;
    throw new StoreUnreachableError(
      `MongoDB unreachable at ${error.where} (gave up after ${CONNECT_TIMEOUT_MS / 1000} s): ${error.reason}; check MONGODB_URI (in the environment or .env) and that the database is running`,
      { where: error.where, reason: error.reason, cause: error },
    );
  });
  try {
    return await exportWeeks(store, team, { from, to, format, drafts: values.drafts, ...(values.section ? { sectionId: values.section } : {}) });
  } catch (error) {
    if (error instanceof RangeError) throw new ExportUsageError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}
