/**
 * What an owner's reply looks like when it reaches the parser, one variant per way it can arrive.
 * The platform adapters only pick the right variant; every conversion to lines lives here in parse/.
 */
export type ReplyInput =
  /** Plain text as typed, or a file (seeds, the console adapter). */
  | { source: 'text'; text: string }
  /** A Slack message's `text` field: mrkdwn with Slack's `<…>` tokens and `&amp;` `&lt;` `&gt;` escapes. */
  | { source: 'slack-text'; text: string }
  /** A Slack message's `blocks` (the `rich_text` block the client sends). */
  | { source: 'slack-rich-text'; blocks: unknown[] }
  /** A Feishu `text` message's `content`, a JSON string like `{"text":"…"}`. */
  | { source: 'feishu-text'; content: string }
  /** A Feishu `post` message's `content`, a JSON string, with or without a locale wrapper. */
  | { source: 'feishu-post'; content: string };

export type ReplySource = ReplyInput['source'];

export interface ReplyTextOptions {
  /** Display names by platform user id, used for mentions (`<@U123>` → `@Lead`). */
  userNames?: Record<string, string>;
}
