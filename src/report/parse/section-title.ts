/**
 * A first line that names a section: owners copy the title from last week's report or from the
 * prompt (`## 【O1 业务服务】`, `- 【贝易转】`, `【O1 业务服务】：`, `O1 业务服务:`). It is a label,
 * not content: the reply's own section drops it, and the reply handler can tell an owner who named
 * another section where the reply went.
 */

export interface TitledSection {
  id: string;
  title: string;
}

/** The section the reply's first non-blank line names, if it names one and says nothing else. */
export function sectionNamedByFirstLine<S extends TitledSection>(text: string, sections: readonly S[]): S | undefined {
  const first = firstLine(text.split(/\r\n?|\n/));
  if (first === undefined) return undefined;
  const named = titleKey(first.line);
  return named === '' ? undefined : sections.find((section) => titleKey(section.title) === named);
}

/**
 * The reply's lines with a first line naming `title` blanked, so the line numbers in error messages
 * stay the ones the owner sees.
 */
export function withoutTitleLine(typed: readonly string[], title: string): string[] {
  const first = firstLine(typed);
  const out = [...typed];
  if (first && titleKey(first.line) !== '' && titleKey(first.line) === titleKey(title)) out[first.index] = '';
  return out;
}

function firstLine(typed: readonly string[]): { line: string; index: number } | undefined {
  const index = typed.findIndex((line) => !/^[\s\u200B\uFEFF]*$/u.test(line));
  return index === -1 ? undefined : { line: typed[index] ?? '', index };
}

/**
 * A title reduced to its words: without a heading's `#`s or a bullet, emphasis, brackets
 * (【】 [] 「」 《》), a trailing colon, spaces, and case.
 */
function titleKey(line: string): string {
  return line
    .replace(/^[\s\uFEFF]*(?:#{1,6}|[-*+•·])[ \t\u3000]+/u, '')
    .replace(/[*_~`]/g, '')
    .replace(/[:：]\s*$/u, '')
    .replace(/[【】[\]「」《》\s\u3000]/gu, '')
    .toLowerCase();
}
