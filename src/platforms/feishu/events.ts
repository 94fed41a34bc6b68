import type * as lark from '@larksuiteoapi/node-sdk';
import { z } from 'zod';
import type { Logger } from '../../log.ts';
import type { IncomingCommand, IncomingReply, OutgoingMessage, Respond, Visibility } from '../platform.ts';
import type { Inbound } from '../inbound.ts';
import { ANSWER_ACTION, cardGoalChoice, COMMAND_ACTION, formAnswerText, GOAL_CHOICE_TOAST } from './cards.ts';
import { feishuReplyText, type FeishuReplyInput } from './parse/reply.ts';

/**
 * Feishu events → the shared handlers. The SDK's EventDispatcher hands each handler the event's
 * header and body merged into one object; these functions read that object (checked with zod:
 * a malformed event is logged and dropped, never half-handled), answer Feishu at once and do the
 * work in the background (Feishu redelivers an event it has not been answered within 3 s).
 *
 * Feishu has no event for an edited message (im.message.receive_v1 fires for new messages only, and
 * the SDK knows no update event), so on Feishu an owner changes an answer by replying again.
 */

export const COMMAND = '/weekly-report';
/** Bot menu items whose event_key is `weekly_report_<subcommand>` run that subcommand. */
export const MENU_KEY_PREFIX = 'weekly_report_';

const Mention = z.looseObject({ key: z.string(), id: z.looseObject({ open_id: z.string().optional() }).optional() });

const MessageEvent = z.looseObject({
  event_id: z.string().min(1),
  sender: z.looseObject({
    sender_id: z.looseObject({ open_id: z.string().min(1) }),
    sender_type: z.string().optional(),
  }),
  message: z.looseObject({
    message_id: z.string().min(1),
    root_id: z.string().optional(),
    parent_id: z.string().optional(),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(Mention).optional(),
  }),
});
type MessageEvent = z.infer<typeof MessageEvent>;

const MenuEvent = z.looseObject({
  event_id: z.string().min(1),
  event_key: z.string(),
  operator: z.looseObject({ operator_id: z.looseObject({ open_id: z.string().min(1) }) }),
});

const CardActionEvent = z.looseObject({
  event_id: z.string().min(1),
  operator: z.looseObject({ open_id: z.string().min(1) }),
  action: z.looseObject({
    value: z.unknown().optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
  }),
  context: z.looseObject({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
});

const AnswerValue = z.looseObject({
  action: z.literal(ANSWER_ACTION),
  teamId: z.string().min(1),
  week: z.string().min(1),
  sectionId: z.string().min(1),
});

/** What a received message is for the bot. */
export type MessageIntent =
  { kind: 'reply'; reply: IncomingReply } | { kind: 'command'; eventId: string; command: IncomingCommand; chatId: string } | { kind: 'ignore'; reason: string };

/**
 * A message from a person: in the p2p chat with the bot, a text starting with `/weekly-report` is a
 * command and any other text or post is a reply; in a group only a command that @mentions the bot
 * counts (the bot does not read group conversation).
 */
export function messageIntent(data: unknown, botOpenId: string | null): MessageIntent {
  const parsed = MessageEvent.safeParse(data);
  if (!parsed.success) return { kind: 'ignore', reason: `malformed im.message.receive_v1: ${parsed.error.issues[0]?.message ?? ''}` };
  const event = parsed.data;
  const { message } = event;
  if (event.sender.sender_type && event.sender.sender_type !== 'user') return { kind: 'ignore', reason: 'not sent by a person' };
  const userId = event.sender.sender_id.open_id;
  const p2p = message.chat_type === 'p2p';

  if (message.message_type === 'text') {
    const command = commandText(event, botOpenId, p2p);
    if (command !== null) {
      return {
        kind: 'command',
        eventId: event.event_id,
        chatId: message.chat_id,
        command: { sender: { platform: 'feishu', userId }, text: command, channel: message.chat_id },
      };
    }
  }
  if (!p2p) return { kind: 'ignore', reason: 'group message that is not a command to the bot' };

  let input: FeishuReplyInput;
  if (message.message_type === 'text') input = { source: 'feishu-text', content: message.content };
  else if (message.message_type === 'post') input = { source: 'feishu-post', content: message.content };
  else return { kind: 'ignore', reason: `a ${message.message_type} message is not a reply the report can hold` };

  const converted = feishuReplyText(input);
  // Prefer the thread's root: a reply to the bot's reminder (itself in the prompt's thread) answers the prompt.
  const replyTo = nonEmpty(message.root_id) ?? nonEmpty(message.parent_id);
  return {
    kind: 'reply',
    reply: {
      sender: { platform: 'feishu', userId },
      eventId: event.event_id,
      channel: message.chat_id,
      messageId: message.message_id,
      ...(replyTo ? { replyTo } : {}),
      input,
      rawText: converted.ok ? converted.text : message.content,
      rawPayload: { message_id: message.message_id, message_type: message.message_type, content: message.content },
    },
  };
}

/** The text after `/weekly-report`, with @mentions of the bot taken out; null when it is not a command. */
function commandText(event: MessageEvent, botOpenId: string | null, p2p: boolean): string | null {
  const { message } = event;
  let text: string;
  try {
    const content = JSON.parse(message.content) as { text?: unknown };
    if (typeof content.text !== 'string') return null;
    text = content.text;
  } catch {
    return null;
  }
  const mentions = message.mentions ?? [];
  // Without the bot's own id (bot info unavailable), any @mention in a group is taken as the bot's:
  // without the group-message scope, Feishu only delivers group messages that mention the bot.
  const ofBot = mentions.filter((m) => (botOpenId ? m.id?.open_id === botOpenId : true));
  if (!p2p && ofBot.length === 0) return null;
  for (const mention of ofBot) text = text.split(mention.key).join(' ');
  const match = /^\s*\/weekly-report(?:\s+([\s\S]*))?$/i.exec(text);
  if (!match) return null;
  return (match[1] ?? '').trim();
}

const RecalledEvent = z.looseObject({ event_id: z.string().min(1), message_id: z.string().min(1), chat_id: z.string().min(1) });

/**
 * A recalled (withdrawn) message: its part leaves the answer it was in. Feishu does not say who
 * recalled it (only its sender, or a chat admin, can), so the sender is left empty and the handler
 * goes by the stored message.
 */
export function recalledMessage(data: unknown): IncomingReply | null {
  const parsed = RecalledEvent.safeParse(data);
  if (!parsed.success) return null;
  return {
    sender: { platform: 'feishu', userId: '' },
    eventId: parsed.data.event_id,
    channel: parsed.data.chat_id,
    messageId: parsed.data.message_id,
    deleted: true,
    input: { source: 'text', text: '' },
    rawText: '',
  };
}

/** A bot menu click: `weekly_report_status` → `status`. Null for menu items that are not ours. */
export function menuCommand(data: unknown): { eventId: string; command: IncomingCommand } | null {
  const parsed = MenuEvent.safeParse(data);
  if (!parsed.success || !parsed.data.event_key.startsWith(MENU_KEY_PREFIX)) return null;
  const userId = parsed.data.operator.operator_id.open_id;
  const text = parsed.data.event_key.slice(MENU_KEY_PREFIX.length).replace(/_/g, ' ').trim();
  // The menu lives in the p2p chat with the bot; the event names no chat, so answers go to the user.
  return { eventId: parsed.data.event_id, command: { sender: { platform: 'feishu', userId }, text, channel: userId } };
}

const CommandValue = z.looseObject({ action: z.literal(COMMAND_ACTION), command: z.string().min(1) });

/** A card button that runs a command (e.g. "publish anyway"), as the person who pressed it. */
export function cardCommand(data: unknown): { eventId: string; command: IncomingCommand; chatId: string | null } | null {
  const parsed = CardActionEvent.safeParse(data);
  if (!parsed.success) return null;
  const { action, operator, context } = parsed.data;
  const value = CommandValue.safeParse(typeof action.value === 'string' ? safeJson(action.value) : action.value);
  if (!value.success) return null;
  const chatId = context?.open_chat_id ?? null;
  return {
    eventId: parsed.data.event_id,
    command: { sender: { platform: 'feishu', userId: operator.open_id }, text: value.data.command, channel: chatId ?? operator.open_id },
    chatId,
  };
}

/** A submitted answer form as a reply; null for card actions that are not our form's submit. */
export function cardAnswer(data: unknown): IncomingReply | null {
  const parsed = CardActionEvent.safeParse(data);
  if (!parsed.success) return null;
  const { action, operator, context } = parsed.data;
  const value = AnswerValue.safeParse(typeof action.value === 'string' ? safeJson(action.value) : action.value);
  if (!value.success || !action.form_value) return null;
  const text = formAnswerText(action.form_value);
  return {
    sender: { platform: 'feishu', userId: operator.open_id },
    eventId: parsed.data.event_id,
    channel: context?.open_chat_id ?? operator.open_id,
    form: { teamId: value.data.teamId, week: value.data.week, sectionId: value.data.sectionId },
    input: { source: 'text', text },
    rawText: text,
    rawPayload: { form_value: action.form_value, open_message_id: context?.open_message_id },
  };
}

/** The answer to a card action: a toast in the user's language (Feishu picks from i18n). */
export const SUBMITTED_TOAST = {
  toast: {
    type: 'success',
    content: 'Submitted',
    i18n: { zh_cn: '已提交，确认消息稍后发到这里', en_us: 'Submitted; a confirmation follows in this chat' },
  },
} as const;

/** A toast saying what is wrong with a submitted form; the owner fixes it in the form and submits again. */
export function problemToast(problem: string): { toast: { type: 'error'; content: string } } {
  return { toast: { type: 'error', content: problem } };
}

export interface FeishuEventDeps {
  inbound: Inbound;
  /** Sends a command's answers; the platform's sendDirect / postToChannel. */
  send: {
    direct(userId: string, message: OutgoingMessage): Promise<unknown>;
    chat(chatId: string, message: OutgoingMessage): Promise<unknown>;
  };
  botOpenId: () => string | null;
  logger: Logger;
}

/** Registers the bot's events and the card callback on the dispatcher (webhook and long connection alike). */
export function registerFeishuEvents(dispatcher: lark.EventDispatcher, deps: FeishuEventDeps): void {
  const { inbound, logger } = deps;

  const runCommand = (eventId: string, command: IncomingCommand, chatId: string | null) => {
    // Commands change things (publish, remind): a redelivered event must not run one twice.
    void inbound.dispatch({ platform: 'feishu', eventId, userId: command.sender.userId, kind: 'command', dedupe: true }, (h) =>
      h.onCommand(command, commandRespond(deps, command.sender.userId, chatId)),
    );
  };
  const runReply = (reply: IncomingReply, kind: string) => {
    // recordSubmission deduplicates on the event id: a redelivered reply stores nothing new.
    void inbound.dispatch({ platform: 'feishu', eventId: reply.eventId, userId: reply.sender.userId, kind }, (h) => h.onReply(reply));
  };

  dispatcher.register({
    'im.message.receive_v1': (data: unknown) => {
      const intent = messageIntent(data, deps.botOpenId());
      if (intent.kind === 'ignore') logger.debug({ reason: intent.reason }, 'Feishu message ignored');
      else if (intent.kind === 'reply') runReply(intent.reply, 'reply');
      else runCommand(intent.eventId, intent.command, intent.chatId);
    },
    'im.message.recalled_v1': (data: unknown) => {
      const recall = recalledMessage(data);
      if (recall) runReply(recall, 'recall');
    },
    'application.bot.menu_v6': (data: unknown) => {
      const menu = menuCommand(data);
      if (menu) runCommand(menu.eventId, menu.command, null);
      else logger.debug('Feishu menu event ignored: not a weekly_report_ item');
    },
    // The callback must be answered within 3 s: the text is checked at once (pure, no I/O), a
    // problem is shown in a toast with the form left as it is, and a good answer is stored after.
    'card.action.trigger': (data: unknown) => {
      const button = cardCommand(data);
      if (button) {
        runCommand(button.eventId, button.command, button.chatId);
        return {};
      }
      // A goal marked in a prompt's checklist: stored once per event id, confirmed in the prompt's thread.
      const goalChoice = cardGoalChoice(data);
      if (goalChoice) {
        runReply(goalChoice, 'goal review');
        return GOAL_CHOICE_TOAST;
      }
      const reply = cardAnswer(data);
      if (!reply?.form) return {};
      const problem = inbound.handlers.checkForm(reply.sender, reply.form, reply.rawText);
      if (problem !== null) return problemToast(problem);
      runReply(reply, 'form');
      return SUBMITTED_TOAST;
    },
  });
}

/** `caller` answers go to the user's p2p chat with the bot; `channel` answers to the chat the command came from. */
function commandRespond(deps: FeishuEventDeps, userId: string, chatId: string | null): Respond {
  return async (message: OutgoingMessage, visibility: Visibility = 'caller') => {
    if (visibility === 'channel' && chatId) await deps.send.chat(chatId, message);
    else await deps.send.direct(userId, message);
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
