import type { Converted } from './converted.ts';
import type { ReplyInput } from './reply-input.ts';

/** A converter's result as the parser's input. */
export function replyInputOf(converted: Converted): ReplyInput {
  return converted.ok ? { source: 'text', text: converted.text } : { source: 'unreadable', detail: converted.detail };
}
