import type { AnswerPart } from '../../src/store/store.ts';

/** What one event does to an owner's answer. */
export type AnswerChange =
  /** A new message: appended. */
  | { kind: 'add'; part: AnswerPart }
  /** An edited message: replaces its own part (or is appended, when it was never stored). */
  | { kind: 'edit'; part: AnswerPart & { messageId: string } }
  /** A deleted message: its part is removed. */
  | { kind: 'delete'; messageId: string }
  /** A form: replaces the whole answer. */
  | { kind: 'replace'; part: AnswerPart }
  /** "Nothing this week": the answer becomes a skip. */
  | { kind: 'skip' }
  /** "Start over": the answer is emptied, and the next messages start it again. */
  | { kind: 'clear' };

/** The answer's parts after a change, in the order the owner sent them. Pure. */
export function applyChange(parts: readonly AnswerPart[], change: AnswerChange): AnswerPart[] {
  switch (change.kind) {
    case 'add':
      return [...parts, change.part];
    case 'edit': {
      const at = parts.findIndex((p) => p.messageId === change.part.messageId);
      return at < 0 ? [...parts, change.part] : parts.map((p, i) => (i === at ? change.part : p));
    }
    case 'delete':
      return parts.filter((p) => p.messageId !== change.messageId);
    case 'replace':
      return [change.part];
    case 'skip':
    case 'clear':
      return [];
  }
}

/** The answer as the parser reads it: the parts one after another, as if typed in one message. */
export function answerText(parts: readonly AnswerPart[]): string {
  return parts.map((p) => p.text).join('\n');
}

const SKIP_WORDS = new Set(['skip', '跳过', '本周无', 'nothing this week']);

/** "skip" / "跳过" / "本周无" typed alone: the owner has nothing this week. */
export function isSkip(text: string): boolean {
  return SKIP_WORDS.has(
    text
      .trim()
      .replace(/[.。!！]$/u, '')
      .toLowerCase(),
  );
}

const START_OVER_WORDS = new Set(['start over', '重写', '重新开始']);

/** "start over" / "重写" typed alone: the owner empties the answer to write it again. */
export function isStartOver(text: string): boolean {
  return START_OVER_WORDS.has(
    text
      .trim()
      .replace(/[.。!！]$/u, '')
      .toLowerCase(),
  );
}
