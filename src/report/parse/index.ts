/** The reply parser: an owner's reply as plain text in (adapters convert their platforms' payloads), a section's content out. */
export { parseReply, type ParseReplyOptions, type ParseReplyResult, type ReplySection } from './parse-reply.ts';
export type { ReplyInput, ReplyTextOptions } from './reply-input.ts';
export { MAX_REPLY_CHARS, REPLY_ERROR_CODES, type ReplyError, type ReplyErrorCode, type ReplyLocale } from './reply-error.ts';
export { replyInputOf } from './reply-text.ts';
export { converting, emphasise, PayloadError, readPart, type Converted } from './converted.ts';
export { splitLines, readMarker, joinContinuation, type ReplyLine, type Marker, type MarkerKind } from './lines.ts';
export { parseListItems } from './list-items.ts';
export { formatFreeText } from './free-text.ts';
export { parseEntries, type ParsedEntries } from './entries.ts';
export { normaliseLinks } from './links.ts';
