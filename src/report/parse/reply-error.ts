/**
 * Why a reply was not accepted, told to the owner in chat in the team's language: what is wrong,
 * the line it is on, and what to type instead.
 */

export const REPLY_ERROR_CODES = ['empty', 'too_long', 'entry_without_time', 'heading', 'mention_all', 'invalid_payload'] as const;
export type ReplyErrorCode = (typeof REPLY_ERROR_CODES)[number];

import type { Locale } from '../locale.ts';
import { truncate } from '../truncate.ts';

/** The language of the messages the owner is told. */
export type ReplyLocale = Locale;

export interface ReplyError {
  code: ReplyErrorCode;
  /** The offending line as the owner typed it (after the platform's markup is read), when there is one. */
  line?: string;
  /** 1-based, counting the reply's lines as the owner sees them. */
  lineNumber?: number;
  message: string;
}

/** A reply this long is a pasted document, not a section: the report stays readable in chat. */
export const MAX_REPLY_CHARS = 20_000;

export type ReplyProblem =
  | { code: 'empty'; sectionTitle: string }
  | { code: 'too_long'; length: number; limit: number }
  | { code: 'entry_without_time'; line: string; lineNumber: number; notePrefixes: readonly string[] }
  | { code: 'heading'; line: string; lineNumber: number }
  | { code: 'mention_all'; line: string; lineNumber: number; token: string }
  | { code: 'invalid_payload'; detail: string };

export function replyError(problem: ReplyProblem, locale: ReplyLocale): ReplyError {
  const message = locale === 'en' ? english(problem) : chinese(problem);
  if ('line' in problem) return { code: problem.code, line: problem.line, lineNumber: problem.lineNumber, message };
  return { code: problem.code, message };
}

const QUOTE_LIMIT = 80;

/** Quotes a line in the message, shortened so a pasted paragraph does not flood the chat. */
function quoted(line: string): string {
  return truncate(line.trim(), QUOTE_LIMIT + 1);
}

function withoutHashes(line: string): string {
  return line.trim().replace(/^#+[ \t\u3000]*/, '');
}

function chinese(problem: ReplyProblem): string {
  switch (problem.code) {
    case 'empty':
      return `${problem.sectionTitle}的回复是空的。请直接输入本周的内容，每行一条。`;
    case 'too_long':
      return (
        `回复太长：这个部分合计 ${problem.length} 个字符，上限是 ${problem.limit} 个。这条消息没有加入，已保存的内容不变。` +
        '请精简：编辑或撤回之前的消息，或在表单中整体修改；细节可以写进文档，在这里只贴文档链接。'
      );
    case 'entry_without_time': {
      const notes = problem.notePrefixes.length ? `如果这是备注，请以 ${problem.notePrefixes.map((p) => `“${p}”`).join(' 或 ')} 开头；` : '';
      return (
        `第 ${problem.lineNumber} 行没有时间：“${quoted(problem.line)}”。` +
        '每条事件都要以日期和时间开头，例如：06/03 18:31 由于…导致…（也可以写 6月3日 18:31 或 2024-06-03 18:31）。' +
        notes +
        '如果这是上一条事件的补充，请紧接在那一行下面写，中间不要空行。'
      );
    }
    case 'heading':
      return (
        `第 ${problem.lineNumber} 行是标题：“${quoted(problem.line)}”。` +
        `周报的标题由模板生成，回复里不能写标题。请删掉行首的 #，直接写内容，例如：“${quoted(withoutHashes(problem.line))}”。`
      );
    case 'mention_all':
      return `第 ${problem.lineNumber} 行会通知所有人：“${quoted(problem.line)}”。` + `周报发布时不能 @所有人，请删掉 “${problem.token}” 后重新发送。`;
    case 'invalid_payload':
      return `无法读取这条消息（${problem.detail}）。请把内容作为普通文字重新发送。`;
  }
}

function english(problem: ReplyProblem): string {
  switch (problem.code) {
    case 'empty':
      return `Your reply for ${problem.sectionTitle} is empty. Type this week's items here, one per line.`;
    case 'too_long':
      return (
        `Too long: the section would have ${problem.length} characters, and the limit is ${problem.limit}. This message was not added; what was stored is unchanged. ` +
        'Shorten it: edit or delete earlier messages, or change it all in the form; or put the details in a document and paste its link here.'
      );
    case 'entry_without_time': {
      const notes = problem.notePrefixes.length ? ` If it is a note, start it with ${problem.notePrefixes.map((p) => `"${p}"`).join(' or ')}.` : '';
      return (
        `Line ${problem.lineNumber} has no time: "${quoted(problem.line)}". ` +
        'Each entry must start with its date and time, for example: 06/03 18:31 Settlement delayed because … (2024-06-03 18:31 works too).' +
        notes +
        ' If it adds to the entry above, put it on the next line with no blank line in between.'
      );
    }
    case 'heading':
      return (
        `Line ${problem.lineNumber} is a heading: "${quoted(problem.line)}". ` +
        'Headings come from the report template, so replies cannot add them. ' +
        `Remove the # at the start and write the content, e.g. "${quoted(withoutHashes(problem.line))}".`
      );
    case 'mention_all':
      return (
        `Line ${problem.lineNumber} would notify everyone: "${quoted(problem.line)}". ` +
        `The report must not notify everyone; remove "${problem.token}" and send it again.`
      );
    case 'invalid_payload':
      return `This message could not be read (${problem.detail}). Please send the content again as plain text.`;
  }
}
