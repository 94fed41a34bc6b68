import { platformOf, type BotContext } from '../../src/bot/context.ts';
import type { IncomingCommand, Respond } from '../../src/platforms/platform.ts';
import type { Locale } from '../../src/report/locale.ts';
import { splitMarkdown } from '../../src/report/render/split.ts';
import { messagesFor } from '../texts/messages.ts';

/**
 * One message of a long answer, in characters, and in UTF-8 bytes over 3: within every platform's
 * limit for one message (Slack: a 12,000-character markdown block, 3,000-character sections of
 * which it takes 50; Feishu: a 30 KB card, where Chinese takes 3 bytes a character).
 */
export const ANSWER_PART_LIMIT = 8_000;
/** Slack's response_url takes 5 messages: an answer is at most that many. */
export const MAX_ANSWER_MESSAGES = 5;

const measure = (text: string) => Math.max([...text].length, Math.ceil(Buffer.byteLength(text, 'utf8') / 3));

export interface LongAnswer {
  /** The first message starts with it. */
  header?: string;
  /** What the answer lists (a week, an incident week): kept whole in one message when they fit. */
  blocks: readonly string[];
  /** Between two blocks. */
  separator?: string;
  /** Around each message's share of the blocks, e.g. a code fence that must open and close in each. */
  wrap?: (part: string) => string;
  /** The answer is Markdown, for platforms that render it. */
  markdown?: boolean;
  /** The last message ends with it. */
  footer?: string;
  /** The name of the file with the whole answer, when it needs more than MAX_ANSWER_MESSAGES. */
  filename: string;
  locale: Locale;
}

/** The blocks packed into parts of at most `limit`, whole where they fit, in order. */
export function packBlocks(blocks: readonly string[], separator: string, limit: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const block of blocks) {
    const pieces = measure(block) <= limit ? [block] : splitMarkdown(block, { limit, measure });
    for (const piece of pieces) {
      const joined = current === '' ? piece : current + separator + piece;
      if (measure(joined) <= limit) {
        current = joined;
      } else {
        parts.push(current);
        current = piece;
      }
    }
  }
  if (current !== '') parts.push(current);
  return parts;
}

/**
 * Answers the caller with an answer of any length, never cut silently: in as many messages as it
 * needs, each within every platform's limit and marked (2/3); past MAX_ANSWER_MESSAGES, the first
 * ones, a last message saying how much was shown, and the whole answer as a file in a direct
 * message to the caller.
 */
export async function sendLongAnswer(ctx: BotContext, command: IncomingCommand, respond: Respond, answer: LongAnswer): Promise<void> {
  const text = messagesFor(answer.locale);
  const wrap = answer.wrap ?? ((part: string) => part);
  const separator = answer.separator ?? '\n\n';
  // Room for the header, the (2/3) mark, the footer or the note, and what wrap adds.
  const room =
    Math.max(...[answer.header, answer.footer, text.answerTooLong(99, 99, answer.filename)].map((t) => (t ? measure(t) : 0))) + measure(wrap('')) + 64;
  const parts = packBlocks(answer.blocks, separator, ANSWER_PART_LIMIT - room);
  const fits = parts.length <= MAX_ANSWER_MESSAGES;
  const shown = fits ? parts : parts.slice(0, MAX_ANSWER_MESSAGES - 1);
  const messages = shown.map((part, i) => {
    const mark = parts.length > 1 ? text.answerPart(i + 1, parts.length) : undefined;
    return [i === 0 ? answer.header : undefined, mark, wrap(part)].filter((t) => t !== undefined && t !== '').join('\n\n');
  });
  if (!fits) messages.push(text.answerTooLong(shown.length, parts.length, answer.filename));
  if (answer.footer) messages[messages.length - 1] += `\n\n${answer.footer}`;

  for (const message of messages) await respond(answer.markdown ? { text: message, markdown: message } : { text: message }, 'caller');
  if (fits) return;
  const whole = [answer.header, answer.blocks.join(separator)].filter((t) => t !== undefined && t !== '').join('\n\n');
  const platform = platformOf(ctx, command.sender.platform);
  const dm = await platform.sendDirect(command.sender.userId, { text: text.answerFile(answer.filename) });
  await platform.uploadFile(dm.channel, { filename: answer.filename, title: answer.filename, content: `${whole}\n` });
}
