import type { BotContext } from '../../src/bot/context.ts';
import type { Respond } from '../../src/platforms/platform.ts';
import { compileSection } from '../../src/report/compile.ts';
import type { SectionDefinition, Team } from '../../src/report/definition.ts';
import { shiftWeek } from '../../src/report/week.ts';
import { quoted, replaceWord, retype, type AcrossWeeksCommand } from './command.ts';
import { sendLongAnswer } from './long-answer.ts';
import { messagesFor } from '../texts/messages.ts';
import { countInstead, isCountOutOfRange, loadWeeks, parseWeekCount } from './week-history.ts';

export const DEFAULT_HISTORY_WEEKS = 4;

export type HistoryRequest =
  | { section: SectionDefinition; weeks: number }
  | { problem: 'no-section' }
  | { problem: 'unknown-section'; word: string }
  /** The section is known; the count after it (the last word) is out of 1..52. */
  | { problem: 'bad-count'; word: string };

/** `history <section> [weeks]`: a section by id or title (`o1`, `【O1 业务服务】`, `O1 业务服务`). */
export function parseHistoryArgs(team: Team, args: readonly string[]): HistoryRequest {
  const last = args.length > 1 ? args.at(-1)! : undefined;
  const count = last === undefined ? undefined : parseWeekCount(last);
  const name = (count === undefined ? args : args.slice(0, -1)).join(' ');
  if (name === '') return { problem: 'no-section' };
  const plain = (title: string) => title.replace(/^【|】$/g, '').toLowerCase();
  const find = (words: string) => team.definition.sections.find((s) => s.id === words.toLowerCase() || plain(s.title) === plain(words));
  const section = find(name);
  if (section) return { section, weeks: count ?? DEFAULT_HISTORY_WEEKS };
  // A section's name and then a number out of 1..52: the count is what is wrong.
  if (last !== undefined && isCountOutOfRange(last) && find(args.slice(0, -1).join(' '))) return { problem: 'bad-count', word: last };
  return { problem: 'unknown-section', word: name };
}

/** The section as each stored week printed it, oldest first. */
export async function sectionHistory(ctx: BotContext, team: Team, section: SectionDefinition, endWeek: string, weeks: number) {
  const wanted = Array.from({ length: weeks }, (_, i) => shiftWeek(endWeek, -i));
  const stored = await loadWeeks(ctx, team, wanted);
  return stored.map(({ cycle, answers }) => ({
    week: cycle.week,
    markdown: compileSection(
      section,
      answers.filter((a) => a.sectionId === section.id),
    ).markdown,
  }));
}

/** `/weekly-report history <section> [weeks]`: the section week by week, in as many messages as it takes. */
export async function runHistoryCommand(ctx: BotContext, request: AcrossWeeksCommand, respond: Respond): Promise<void> {
  const { team } = request;
  const { definition } = team;
  const text = messagesFor(definition.locale);
  const parsed = parseHistoryArgs(team, request.args);
  const ids = definition.sections.map((s) => s.id);
  if ('problem' in parsed) {
    const answer =
      parsed.problem === 'no-section'
        ? text.chooseSection(ids)
        : parsed.problem === 'unknown-section'
          ? text.unknownSection(quoted(parsed.word), ids)
          : text.weekCountOutOfRange(
              quoted(parsed.word),
              retype('history', replaceWord(request.args, request.args.length - 1, countInstead(parsed.word, DEFAULT_HISTORY_WEEKS)), request.teamId),
            );
    return respond({ text: answer }, 'caller');
  }
  const weeks = await sectionHistory(ctx, team, parsed.section, request.currentWeek, parsed.weeks);
  if (weeks.length === 0) return respond({ text: text.historyNone(parsed.section.title) }, 'caller');
  await sendLongAnswer(ctx, request.command, respond, {
    blocks: weeks.map((w) => text.historyWeek(w.week, w.markdown)),
    separator: '\n\n———\n\n',
    markdown: true,
    filename: `${definition.id}-history-${parsed.section.id}-${weeks[0]!.week}-${weeks.at(-1)!.week}.md`,
    locale: definition.locale,
  });
}
