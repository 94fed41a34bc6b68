/**
 * An owner's reply as the parser reads it: plain text as the owner meant it. Each platform adapter
 * converts its own wire formats (Slack mrkdwn and rich_text, Feishu text and post) to this before
 * the reply is parsed; a payload it could not read arrives as `unreadable`, so the owner is told.
 */
export type ReplyInput =
  /** Plain text as typed, or converted from a platform's payload. */
  | { source: 'text'; text: string }
  /** A platform payload that did not have the shape its platform documents. */
  | { source: 'unreadable'; detail: string };

export interface ReplyTextOptions {
  /** Display names by platform user id, used for mentions (`<@U123>` → `@Lead`). */
  userNames?: Record<string, string>;
}
