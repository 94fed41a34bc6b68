/**
 * Lines the report must not contain whatever the section: mentions that would notify everyone when the
 * report is posted, and headings that would break the report's structure (headings come from the template).
 */
import { codeLines } from './lines.ts';
import type { ReplyProblem } from './reply-error.ts';

// `@here` but not `ops@here.com`; `@all` but not `@allen`, `@all_hands` or `@all-hands` (a user group
// that happens to start with "all"). Slack's `<!here>` and Feishu's `<at user_id="all">` are caught in
// their raw form too, for replies pasted as plain text.
const MENTION_ALL =
  /(?<![\p{L}\p{N}_.])@(?:channel|here|everyone|all|_all)(?![A-Za-z0-9_]|-[A-Za-z0-9_])|@所有人|@全体成员|<!(?:channel|here|everyone)(?:\|[^>]*)?>|<at\s+user_id\s*=\s*["']?all["']?[^>]*>/iu;

/** The mention-all token in a line, as typed (`@here`, `@所有人`), if there is one. */
export function findMentionAll(line: string): string | undefined {
  return MENTION_ALL.exec(line)?.[0];
}

/** `# …` to `###### …`: a Markdown heading, which only the template may write. */
export function isHeading(line: string): boolean {
  return /^[ \t\u3000]{0,3}#{1,6}(?:[ \t\u3000]|$)/.test(line);
}

/**
 * The first line the report must not contain, as the problem to tell the owner. Mentions are refused
 * everywhere, code blocks too (the report may be posted where they would still notify); a `#` line
 * inside a code block is a shell comment, not a heading.
 */
export function findForbiddenLine(typed: readonly string[]): ReplyProblem | undefined {
  const code = codeLines(typed);
  for (const [i, line] of typed.entries()) {
    const token = findMentionAll(line);
    if (token) return { code: 'mention_all', line: line.trim(), lineNumber: i + 1, token };
    if (code[i] === undefined && isHeading(line)) return { code: 'heading', line: line.trim(), lineNumber: i + 1 };
  }
  return undefined;
}
