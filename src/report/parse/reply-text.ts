import type { Converted } from './converted.ts';
import { feishuPostToPlain, feishuTextToPlain } from './feishu.ts';
import type { ReplyInput, ReplyTextOptions } from './reply-input.ts';
import { slackRichTextToPlain } from './slack-rich-text.ts';
import { slackTextToPlain } from './slack-text.ts';

/** Any reply as the plain text the owner meant, ready for the line parser. */
export function replyText(input: ReplyInput, options: ReplyTextOptions = {}): Converted {
  switch (input.source) {
    case 'text':
      return { ok: true, text: input.text };
    case 'slack-text':
      return { ok: true, text: slackTextToPlain(input.text, options) };
    case 'slack-rich-text':
      return slackRichTextToPlain(input.blocks, options);
    case 'feishu-text':
      return feishuTextToPlain(input.content, options);
    case 'feishu-post':
      return feishuPostToPlain(input.content, options);
  }
}
