import { parseArgs } from 'node:util';
import { DEFAULT_TEMPLATES_DIR, loadTeamById } from '../config/definitions.ts';
import { BotError } from '../errors.ts';
import { compileReport, type SectionAnswer } from '../report/compile.ts';
import { parseReply } from '../report/parse/index.ts';
import { PLATFORM_MODULES } from '../platforms/modules.ts';
import { isIsoWeek } from '../report/week.ts';
import { readRepliesDir } from '../seed/replies-dir.ts';

export const COMPILE_USAGE = `  weekly-report compile --template <id> --week <YYYY-Www> --replies <dir>
                        [--created <ISO time>] [--format markdown|slack|feishu] [--templates <dir>]

  Compiles a week's report from replies written as owners type them in chat:
  <dir>/<section-id>.md, or <dir>/<section-id>/<owner>.md for a section with several owners.
  Prints the report (markdown), or as JSON exactly the messages the bot posts on a platform
  (slack: chat.postMessage arguments; feishu: the interactive cards).

  Example:
    weekly-report compile --template payments-weekly --week 2024-W23 \\
      --created 2024-06-04T15:34:00+08:00 --replies seeds/2024-W23`;

/** A problem the user can fix; printed without a stack trace, exit code 1 (src/errors.ts). */
class UsageError extends BotError {
  override name = 'UsageError';
  constructor(message: string, options?: ErrorOptions) {
    super('input_invalid', message, options);
  }
}

/** `weekly-report compile …`: the report (or a platform's messages) as text; `warn` gets one line per ignored file. */
export async function compileCommand(args: string[], warn: (line: string) => void = (line) => console.error(line)): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      template: { type: 'string' },
      week: { type: 'string' },
      created: { type: 'string' },
      replies: { type: 'string' },
      format: { type: 'string', default: 'markdown' },
      templates: { type: 'string', default: DEFAULT_TEMPLATES_DIR },
    },
    strict: true,
  });
  if (!values.template) throw new UsageError('--template is required (e.g. payments-weekly)');
  if (!values.week || !isIsoWeek(values.week)) throw new UsageError(`--week expects an ISO week like 2024-W23, got "${values.week ?? ''}"`);
  if (!values.replies) throw new UsageError('--replies is required: a folder with one file per section id');
  const createdAt = values.created ? new Date(values.created) : new Date();
  if (Number.isNaN(createdAt.getTime())) throw new UsageError(`--created expects an ISO time like 2024-06-04T15:34:00+08:00, got "${values.created}"`);
  const platform = PLATFORM_MODULES.find((m) => m.name === values.format);
  if (values.format !== 'markdown' && !platform) {
    throw new UsageError(`--format expects markdown or a platform (${PLATFORM_MODULES.map((m) => m.name).join(', ')}), got "${values.format}"`);
  }

  const team = await loadTeamById(values.template, PLATFORM_MODULES, values.templates);
  const { replies, ignored } = await readRepliesDir(values.replies, team.definition).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--replies: cannot read ${values.replies} (${error.code ?? error.message})`);
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
  if (problems.length > 0) throw new UsageError(problems.join('\n'));

  const report = compileReport({ team, week: values.week, createdAt, answers });
  if (platform) return `${JSON.stringify(platform.reportPayloads(report), null, 2)}\n`;
  return report.markdown;
}
