import type { RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import { splitMarkdown } from '../../report/render/split.ts';
import type { IncomingCommand, OutgoingMessage, Respond } from '../platform.ts';
import { messagePayload, SLACK_LIMITS } from './message-blocks.ts';

/** The slash command as the handlers take it; `/weekly-report` itself is not part of `text`. */
export function commandFromSlash(command: SlashCommand): IncomingCommand {
  return {
    sender: { platform: 'slack', userId: command.user_id },
    text: command.text ?? '',
    channel: command.channel_id,
  };
}

/** A response_url takes 5 messages in 30 minutes. */
const RESPONSE_URL_USES = 5;

/**
 * Respond over the command's response_url: `caller` is ephemeral (only the person who ran it
 * sees it), `channel` is posted in the channel for everyone. A Markdown answer longer than one
 * message allows (a long preview) is sent as several.
 */
export function respondVia(respond: RespondFn): Respond {
  return async (message, visibility = 'caller') => {
    const response_type = visibility === 'channel' ? 'in_channel' : 'ephemeral';
    for (const part of responseParts(message)) {
      const payload = messagePayload(part);
      const args: RespondArguments = { response_type, replace_original: false, text: payload.text, ...(payload.blocks ? { blocks: payload.blocks } : {}) };
      await respond(args);
    }
  };
}

function responseParts(message: OutgoingMessage): OutgoingMessage[] {
  const markdown = message.markdown?.trim();
  if (!markdown || [...markdown].length <= SLACK_LIMITS.markdownPerMessage) return [message];
  const parts = splitMarkdown(markdown, { limit: SLACK_LIMITS.markdownPerMessage }).slice(0, RESPONSE_URL_USES);
  return parts.map((part, i) => ({ text: i === 0 ? firstLine(message.text) : `(${i + 1}/${parts.length})`, markdown: part }));
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '') ?? text;
}
