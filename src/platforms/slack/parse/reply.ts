import type { Converted, ReplyTextOptions } from '../../../report/parse/index.ts';
import type { WireReply } from '../../platform.ts';
import { slackRichTextToPlain } from './slack-rich-text.ts';
import { slackTextToPlain } from './slack-text.ts';

/** What a Slack message carries: its `blocks` when the client sent rich text, else its mrkdwn `text`. */
export type SlackReplyInput = { source: 'slack-rich-text'; blocks: unknown[] } | { source: 'slack-text'; text: string };

/** A Slack reply as the plain text the owner meant. */
export function slackReplyText(input: WireReply, options: ReplyTextOptions = {}): Converted {
  if (input.source === 'slack-rich-text') return slackRichTextToPlain(input.blocks, options);
  if (input.source === 'slack-text' && typeof input.text === 'string') return { ok: true, text: slackTextToPlain(input.text, options) };
  return { ok: false, detail: `not a Slack message format: ${input.source}` };
}
