/** The reply parser: an owner's chat reply (plain text, Slack or Feishu) in, a section's content out. */
export { parseReply, type ParseReplyOptions, type ParseReplyResult, type ReplySection } from './parse-reply.ts';
export type { ReplyInput, ReplySource, ReplyTextOptions } from './reply-input.ts';
export { MAX_REPLY_CHARS, REPLY_ERROR_CODES, type ReplyError, type ReplyErrorCode, type ReplyLocale } from './reply-error.ts';
export { replyText } from './reply-text.ts';
export type { Converted } from './converted.ts';
export { slackTextToPlain } from './slack-text.ts';
export { slackRichTextToPlain } from './slack-rich-text.ts';
export { feishuPostToPlain, feishuTextToPlain } from './feishu.ts';
export { splitLines, readMarker, joinContinuation, type ReplyLine, type Marker, type MarkerKind } from './lines.ts';
export { parseListItems } from './list-items.ts';
export { formatFreeText } from './free-text.ts';
export { parseEntries, type ParsedEntries } from './entries.ts';
export { normaliseLinks } from './links.ts';
