import type { GoalMark, GoalStatus } from '../goals.ts';
import type { Locale } from '../locale.ts';
import { truncate } from '../truncate.ts';

/**
 * A goal review typed in chat, one goal per line: `目标 1 完成`, `目标2：进行中 等待评审`,
 * `goal 3 dropped: reason`, `- 目标 ４ ✅`. Forgiving about markers, spaces, full-width digits and
 * punctuation, and about the language (Chinese and English words work in either locale); strict
 * about what counts as a review at all: every line must start with 目标 / goal and a number, so that
 * an ordinary answer is never taken for one.
 */

export type GoalReviewParse =
  /** Not a review: the text goes to the section as an answer. */
  | { kind: 'not-a-review' }
  | { kind: 'marks'; marks: GoalMark[] }
  /** A review that cannot be stored as typed: what is wrong, on which line. */
  | { kind: 'refused'; lineNumber: number; line: string; message: string };

export interface GoalReviewOptions {
  /** How many goals there are to review; a number past it is refused. */
  goalCount: number;
  locale: Locale;
}

/** A note longer than this is a document, not a remark on a goal. */
export const MAX_GOAL_NOTE_CHARS = 500;

const STATUS_WORDS: Record<GoalStatus, string[]> = {
  done: ['已完成', '完成了', '完成', '已达成', '达成', 'done', 'completed', 'complete', 'finished', '✅', '☑️', '✔️', '✔', '√'],
  'in-progress': ['进行中', '推进中', '处理中', '部分完成', '未完成', '继续', 'in progress', 'in-progress', 'ongoing', 'wip', '🔄', '⏳'],
  dropped: ['已放弃', '放弃', '已取消', '取消', '不做了', 'dropped', 'drop', 'cancelled', 'canceled', 'abandoned', '❌', '✖️', '✗'],
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Longest first, so that 部分完成 is not read as 完成 with a note. */
const STATUS_LOOKUP = Object.entries(STATUS_WORDS)
  .flatMap(([status, words]) => words.map((word) => [word.toLowerCase(), status as GoalStatus] as const))
  .sort((a, b) => b[0].length - a[0].length);
const STATUS_PATTERN = new RegExp(`^(${STATUS_LOOKUP.map(([word]) => escapeRegExp(word)).join('|')})(?=$|[\\s:：,，;；。.、()（）\\-—~])`, 'iu');

/** `- `, `1. ` or `1、` before the goal (pasted from a list), then 目标 / goal, an optional #, and the number. */
const GOAL_PREFIX = /^\s*(?:[-*•·]\s*|\d{1,3}[.)、]\s*)?(?:目标|goal)\s*[#＃]?\s*([0-9０-９]{1,4})/iu;
const BEFORE_STATUS = /^[\s:：,，、.。)）\-—]*/u;
const BEFORE_NOTE = /^[\s:：,，;；、.。\-—~]*/u;

function asciiDigits(text: string): string {
  return text.replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10));
}

/** True when the text's first non-empty line starts like a goal review (a cheap test before anything is read from the store). */
export function looksLikeGoalReview(text: string): boolean {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '');
  return first !== undefined && GOAL_PREFIX.test(first);
}

export function parseGoalReview(text: string, options: GoalReviewOptions): GoalReviewParse {
  const lines = text.split(/\r?\n/);
  const typed = lines.map((line, i) => ({ line, lineNumber: i + 1 })).filter(({ line }) => line.trim() !== '');
  if (typed.length === 0 || !typed.every(({ line }) => GOAL_PREFIX.test(line))) return { kind: 'not-a-review' };

  const marks = new Map<number, GoalMark>();
  for (const { line, lineNumber } of typed) {
    const prefix = GOAL_PREFIX.exec(line)!;
    const goal = Number(asciiDigits(prefix[1]!));
    const refuse = (problem: GoalLineProblem) => ({
      kind: 'refused' as const,
      lineNumber,
      line,
      message: problemMessage(problem, { lineNumber, line, goal, ...options }),
    });
    if (goal < 1 || goal > options.goalCount) return refuse('number');
    const rest = line.slice(prefix[0].length).replace(BEFORE_STATUS, '');
    const status = STATUS_PATTERN.exec(rest);
    if (!status) return refuse('status');
    const note = unwrap(rest.slice(status[0].length).replace(BEFORE_NOTE, '').trim());
    if ([...note].length > MAX_GOAL_NOTE_CHARS) return refuse('note');
    // The same goal twice in one message: the later line wins, as it would in two messages.
    marks.delete(goal);
    marks.set(goal, { goal, status: statusOf(status[1]!), note });
  }
  return { kind: 'marks', marks: [...marks.values()] };
}

function statusOf(word: string): GoalStatus {
  const lower = word.toLowerCase();
  return STATUS_LOOKUP.find(([w]) => w === lower)![1];
}

/** `（等待评审）` → `等待评审`: a note typed in brackets. */
function unwrap(note: string): string {
  const match = /^[(（]([^()（）]*)[)）]$/u.exec(note);
  return match ? match[1]!.trim() : note;
}

type GoalLineProblem = 'number' | 'status' | 'note';

interface ProblemFacts extends GoalReviewOptions {
  lineNumber: number;
  line: string;
  goal: number;
}

const QUOTE_CHARS = 80;

function problemMessage(problem: GoalLineProblem, f: ProblemFacts): string {
  const line = truncate(f.line.trim(), QUOTE_CHARS);
  if (f.locale === 'en') {
    switch (problem) {
      case 'number':
        return `line ${f.lineNumber} (“${line}”): there ${f.goalCount === 1 ? 'was 1 goal' : `were ${f.goalCount} goals`} last week, so there is no goal ${f.goal}.`;
      case 'status':
        return `line ${f.lineNumber} (“${line}”): after the goal’s number, write done, in progress or dropped (or 完成 / 进行中 / 放弃), then a note if you like, e.g. “goal ${f.goal} in progress waiting for review”.`;
      case 'note':
        return `line ${f.lineNumber}: the note is longer than ${MAX_GOAL_NOTE_CHARS} characters; keep it to a sentence or two, or link a document.`;
    }
  }
  switch (problem) {
    case 'number':
      return `第 ${f.lineNumber} 行（“${line}”）：上周只有 ${f.goalCount} 个目标，没有目标 ${f.goal}。`;
    case 'status':
      return `第 ${f.lineNumber} 行（“${line}”）：目标编号后面请写 完成、进行中 或 放弃（也可以写 done / in progress / dropped），再写备注（可选），例如 “目标 ${f.goal} 进行中 等待评审”。`;
    case 'note':
      return `第 ${f.lineNumber} 行的备注超过 ${MAX_GOAL_NOTE_CHARS} 个字，请精简为一两句话，或附上文档链接。`;
  }
}
