import type { SectionDefinition } from '../definition.ts';
import type { SectionContent } from '../model.ts';
import { parseEntries } from './entries.ts';
import { formatFreeText } from './free-text.ts';
import { findForbiddenLine } from './line-checks.ts';
import { normaliseNewlines, readReplyLines } from './lines.ts';
import { parseListItems } from './list-items.ts';
import { MAX_REPLY_CHARS, replyError, type ReplyError, type ReplyLocale, type ReplyProblem } from './reply-error.ts';
import type { ReplyInput } from './reply-input.ts';
import { withoutTitleLine } from './section-title.ts';

export interface ParseReplyOptions {
  /** The team's locale, for error messages. Default zh-CN. */
  locale?: ReplyLocale;
}

export type ParseReplyResult = { ok: true; content: SectionContent } | { ok: false; error: ReplyError };

/** What parseReply needs to know about the section the reply is for; a SectionDefinition is one. */
export interface ReplySection {
  kind: SectionDefinition['kind'];
  title: string;
  notePrefixes: readonly string[];
}

const BLANK = /^[\s\u200B\uFEFF]*$/u;

/**
 * Reads an owner's reply for one section. Pure: the same input gives the same content or error.
 * Owner text is data: template syntax such as `{{…}}` is kept verbatim and never evaluated.
 */
export function parseReply(input: ReplyInput, section: ReplySection, options: ParseReplyOptions = {}): ParseReplyResult {
  const fail = (problem: ReplyProblem): ParseReplyResult => ({
    ok: false,
    error: replyError(problem, options.locale ?? 'zh-CN'),
  });

  if (input.source === 'unreadable') return fail({ code: 'invalid_payload', detail: input.detail });
  const text = normaliseNewlines(input.text);

  const length = [...text].length;
  if (length > MAX_REPLY_CHARS) return fail({ code: 'too_long', length, limit: MAX_REPLY_CHARS });
  // A first line repeating the section's title (`## 【O1 业务服务】`) is a label, not an item.
  const typed = withoutTitleLine(text.split('\n'), section.title);
  if (typed.every((line) => BLANK.test(line))) return fail({ code: 'empty', sectionTitle: section.title });

  const forbidden = findForbiddenLine(typed);
  if (forbidden) return fail(forbidden);

  const lines = readReplyLines(typed);
  switch (section.kind) {
    case 'list': {
      const items = parseListItems(lines);
      if (items.length === 0) return fail({ code: 'empty', sectionTitle: section.title });
      return { ok: true, content: { kind: 'list', items } };
    }
    case 'text':
      return { ok: true, content: { kind: 'text', markdown: formatFreeText(lines) } };
    case 'entries': {
      const parsed = parseEntries(lines, section.notePrefixes);
      if (!parsed.ok) {
        const line = typed[parsed.line.number - 1] ?? parsed.line.raw;
        return fail({
          code: 'entry_without_time',
          line: line.trim(),
          lineNumber: parsed.line.number,
          notePrefixes: section.notePrefixes,
        });
      }
      return { ok: true, content: { kind: 'entries', ...parsed.value } };
    }
  }
}
