import { parseArgs } from 'node:util';
import { ArchiveLinks, DEFAULT_LINK_DAYS } from '../archive/links.ts';
import { DEFAULT_TEMPLATES_DIR, loadTeamById } from '../config/definitions.ts';
import { EnvError, parseEnv, publicUrlOf } from '../config/env.ts';
import { PLATFORM_MODULES } from '../platforms/modules.ts';
import { isoWeekOf, readWeek } from '../report/week.ts';
import { ArgumentError, weekArgument } from './args.ts';

export const ARCHIVE_LINK_USAGE = `  weekly-report archive-link --template <id> [--week <YYYY-Www>] [--days <N>] [--templates <dir>]

  Prints a signed link to the team's web archive (ARCHIVE_SECRET, PUBLIC_URL: docs/archive.md):
  every page of the team, or with --week that week's page only. It works for --days days
  (${DEFAULT_LINK_DAYS} by default, at most 365); rotating ARCHIVE_SECRET revokes it.

  Example:
    weekly-report archive-link --template payments-weekly --week 2024-W23`;

/** The longest a link may last: a year. A longer one would outlive any review of who holds it. */
const MAX_DAYS = 365;

/** The ISO week of --week, or an ArgumentError that ends with the command to type instead. */
function weekOrCorrection(value: string, retyped: (week: string) => string, now: Date): string {
  const reading = readWeek(value);
  if ('week' in reading) return reading.week;
  const instead = reading.problem === 'no-such-week' ? reading.nearest : (reading.suggestion ?? isoWeekOf(now, 'UTC'));
  try {
    return weekArgument('--week', value);
  } catch (error) {
    throw new ArgumentError(`${(error as Error).message}: ${retyped(instead)}`);
  }
}

/** `weekly-report archive-link …`: the link, on a line. `now`: when it is given (tests fix it). */
export async function archiveLinkCommand(args: string[], env: NodeJS.ProcessEnv = process.env, now = new Date()): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      template: { type: 'string' },
      week: { type: 'string' },
      days: { type: 'string' },
      templates: { type: 'string', default: env.TEMPLATES_DIR || DEFAULT_TEMPLATES_DIR },
    },
    strict: true,
  });
  const retyped = (replace: Record<string, string>) =>
    `weekly-report archive-link ${Object.entries({
      template: values.template ?? 'payments-weekly',
      ...(values.week ? { week: values.week } : {}),
      ...(values.days ? { days: values.days } : {}),
      ...replace,
    })
      .map(([k, v]) => `--${k} ${v}`)
      .join(' ')}`;
  if (!values.template) throw new ArgumentError(`--template is required: ${retyped({})}`);
  const week = values.week === undefined ? undefined : weekOrCorrection(values.week, (instead) => retyped({ week: instead }), now);
  const days = values.days === undefined ? DEFAULT_LINK_DAYS : Number(values.days);
  if (!/^\d+$/.test(values.days ?? '1') || days < 1 || days > MAX_DAYS) {
    throw new ArgumentError(
      `--days expects a whole number of days from 1 to ${MAX_DAYS}, got "${values.days ?? ''}": ${retyped({ days: String(DEFAULT_LINK_DAYS) })}`,
    );
  }
  const parsed = parseEnv(env);
  if (!parsed.ARCHIVE_SECRET)
    throw new EnvError('ARCHIVE_SECRET is not set (in the environment or in .env): the archive and its links are off (docs/archive.md)');
  const team = await loadTeamById(values.template, PLATFORM_MODULES, values.templates);
  const links = new ArchiveLinks(parsed.ARCHIVE_SECRET, publicUrlOf(parsed), days);
  const exp = links.expiryFrom(now);
  const id = team.definition.id;
  return `${week ? links.weekLink(id, week, exp) : links.teamLink(id, exp)}\n`;
}
