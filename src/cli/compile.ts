import { parseArgs } from 'node:util';
import { DEFAULT_TEMPLATES_DIR, loadTeamById } from '../config/definitions.ts';
import { BotError } from '../errors.ts';
import { compileReport, type SectionAnswer } from '../report/compile.ts';
import { parseReply } from '../report/parse/index.ts';
import { PLATFORM_MODULES } from '../platforms/modules.ts';
import { momentInWeek } from '../report/week.ts';
import { readRepliesDir } from '../seed/replies-dir.ts';
import { ArgumentError, weekArgument } from './args.ts';

export const COMPILE_USAGE = `  weekly-report compile --template <id> --week <YYYY-Www> --replies <dir>
                        [--created <ISO time>] [--format markdown|slack|feishu] [--templates <dir>]

  Compiles a week's report from replies written as owners type them in chat:
  <dir>/<section-id>.md, or <dir>/<section-id>/<owner>.md for a section with several owners.
  Prints the report (markdown), or as JSON exactly the messages the bot posts on a platform
  (slack: chat.postMessage arguments; feishu: the interactive cards).
  Created: --created, or else the week's scheduled opening (the team's schedule.open).
  --templates: the team definitions' folder; TEMPLATES_DIR, or else the project's templates/.

  Example:
    weekly-report compile --template payments-weekly --week 2024-W23 \\
      --created 2024-06-04T15:34:00+08:00 --replies seeds/2024-W23`;

/** Something the command line names is wrong (an unreadable folder, a reply that does not parse): exit 1, the message alone (src/errors.ts). */
class CompileInputError extends BotError {
  override name = 'CompileInputError';
  constructor(message: string, options?: ErrorOptions) {
    super('input_invalid', message, options);
  }
}

/**
 * `weekly-report compile …`: the report (or a platform's messages) as text; `warn` gets one line
 * per ignored file. `env`: TEMPLATES_DIR, the default of --templates.
 */
export async function compileCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = (line) => console.error(line),
): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      template: { type: 'string' },
      week: { type: 'string' },
      created: { type: 'string' },
      replies: { type: 'string' },
      format: { type: 'string', default: 'markdown' },
      templates: { type: 'string', default: env.TEMPLATES_DIR || DEFAULT_TEMPLATES_DIR },
    },
    strict: true,
  });
  if (!values.template) throw new ArgumentError('--template is required (e.g. payments-weekly)');
  const week = weekArgument('--week', values.week);
  if (!values.replies) throw new ArgumentError('--replies is required: a folder with one file per section id');
  const created = values.created === undefined ? undefined : new Date(values.created);
  if (created && Number.isNaN(created.getTime()))
    throw new ArgumentError(`--created expects an ISO time like 2024-06-04T15:34:00+08:00, got "${values.created}"`);
  const platform = PLATFORM_MODULES.find((m) => m.name === values.format);
  if (values.format !== 'markdown' && !platform) {
    throw new ArgumentError(`--format expects markdown or a platform (${PLATFORM_MODULES.map((m) => m.name).join(', ')}), got "${values.format}"`);
  }

  const team = await loadTeamById(values.template, PLATFORM_MODULES, values.templates);
  const { definition } = team;
  // Never the day it is run: a week's report says it was created when that week opened.
  const createdAt = created ?? momentInWeek(week, definition.schedule.open, definition.timeZone);
  const { replies, ignored } = await readRepliesDir(values.replies, definition).catch((error: NodeJS.ErrnoException) => {
    throw new CompileInputError(`--replies: cannot read ${values.replies} (${error.code ?? error.message})`);
  });
  for (const file of ignored) warn(`ignoring ${file}: its name matches no section id (or owner) of ${team.definition.id}`);

  const answers: SectionAnswer[] = [];
  const problems: string[] = [];
  for (const reply of replies) {
    const section = team.definition.sections.find((s) => s.id === reply.sectionId)!;
    const parsed = parseReply({ source: 'text', text: reply.text }, section, { locale: team.definition.locale });
    if (parsed.ok) answers.push({ sectionId: reply.sectionId, owner: reply.owner, content: parsed.content });
    else problems.push(`${reply.file}: ${parsed.error.message}`);
  }
  if (problems.length > 0) throw new CompileInputError(problems.join('\n'));

  const report = compileReport({ team, week, createdAt, answers });
  if (platform) return `${JSON.stringify(platform.reportPayloads(report), null, 2)}\n`;
  return report.markdown;
}
