import type { Converted, ReplyTextOptions } from '../../../report/parse/index.ts';
import type { WireReply } from '../../platform.ts';
import { feishuPostToPlain, feishuTextToPlain } from './feishu-content.ts';

/** A Feishu message's `content` (a JSON string) with its message type. */
export type FeishuReplyInput = { source: 'feishu-text'; content: string } | { source: 'feishu-post'; content: string };

/** A Feishu reply as the plain text the owner meant. */
export function feishuReplyText(input: WireReply, options: ReplyTextOptions = {}): Converted {
  if (typeof input.content !== 'string') return { ok: false, detail: 'the message has no content' };
  if (input.source === 'feishu-text') return feishuTextToPlain(input.content, options);
  if (input.source === 'feishu-post') return feishuPostToPlain(input.content, options);
  return { ok: false, detail: `not a Feishu message format: ${input.source}` };
}
