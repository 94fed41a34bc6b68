import { z } from 'zod';
import { type SlackReplyInput } from './parse/reply.ts';
import { slackTextToPlain } from './parse/slack-text.ts';
import type { IncomingReply } from '../platform.ts';

/**
 * Slack `message` events (Events API envelope) as the replies the handlers take. Only direct
 * messages to the bot count: new messages and thread replies, edits (`message_changed`) and
 * deletions (`message_deleted`). Everything else is ignored: other bots and the bot itself (its
 * prompts arrive as events too), joins and the other subtypes, and "edits" that only add a link preview.
 */

const Message = z.looseObject({
  type: z.literal('message').optional(),
  subtype: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  blocks: z.array(z.unknown()).optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
});
type Message = z.infer<typeof Message>;

const MessageEvent = Message.extend({
  type: z.literal('message'),
  channel: z.string(),
  channel_type: z.string().optional(),
  message: Message.optional(),
  previous_message: Message.optional(),
  deleted_ts: z.string().optional(),
});

const Envelope = z.looseObject({ event_id: z.string().min(1), event: z.unknown() });

/** Who the bot is, so that its own messages are not taken for replies. */
export interface BotIdentity {
  botUserId?: string;
  botId?: string;
}

/** Subtypes a person produces by typing: a plain message, or a thread reply also sent to the DM. */
const TYPED = new Set([undefined, 'thread_broadcast']);

export function replyFromMessageEvent(body: unknown, self: BotIdentity = {}): IncomingReply | null {
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) return null;
  const parsed = MessageEvent.safeParse(envelope.data.event);
  if (!parsed.success) return null;
  const event = parsed.data;
  if (event.channel_type !== 'im') return null;

  // The owner deleted a message: its part leaves the answer it was in.
  if (event.subtype === 'message_deleted' && event.deleted_ts && event.previous_message?.user) {
    const deleted = event.previous_message;
    if (deleted.bot_id || (self.botUserId && deleted.user === self.botUserId)) return null;
    return {
      sender: { platform: 'slack', userId: deleted.user! },
      eventId: envelope.data.event_id,
      channel: event.channel,
      messageId: event.deleted_ts,
      ...(deleted.thread_ts && deleted.thread_ts !== deleted.ts ? { replyTo: deleted.thread_ts } : {}),
      deleted: true,
      input: { source: 'text', text: '' },
      rawText: '',
      rawPayload: envelope.data.event,
    };
  }

  let message: Message;
  let edited = false;
  if (TYPED.has(event.subtype)) {
    message = event;
  } else if (event.subtype === 'message_changed' && event.message) {
    message = event.message;
    edited = true;
    // Slack "edits" a message to attach a link preview: same text, nothing new to store.
    if (event.previous_message && sameContent(event.previous_message, message)) return null;
  } else {
    return null;
  }
  if (!message.user || message.bot_id || message.subtype === 'bot_message') return null;
  if (self.botUserId && message.user === self.botUserId) return null;
  if (self.botId && message.bot_id === self.botId) return null;

  const text = message.text ?? '';
  const input: SlackReplyInput = hasRichText(message.blocks) ? { source: 'slack-rich-text', blocks: message.blocks! } : { source: 'slack-text', text };
  const replyTo = message.thread_ts && message.thread_ts !== message.ts ? message.thread_ts : undefined;
  return {
    sender: { platform: 'slack', userId: message.user },
    // The same on every retry of this delivery: the store keeps one submission per event id.
    eventId: envelope.data.event_id,
    channel: event.channel,
    messageId: message.ts,
    ...(replyTo ? { replyTo } : {}),
    ...(edited ? { edited: true } : {}),
    input,
    rawText: slackTextToPlain(text),
    rawPayload: envelope.data.event,
  };
}

function hasRichText(blocks: unknown[] | undefined): boolean {
  return (blocks ?? []).some((b) => typeof b === 'object' && b !== null && (b as { type?: unknown }).type === 'rich_text');
}

function sameContent(a: Message, b: Message): boolean {
  return (a.text ?? '') === (b.text ?? '') && JSON.stringify(a.blocks ?? []) === JSON.stringify(b.blocks ?? []);
}
