import type { RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import { shortenMarkdown } from '../../report/render/shorten.ts';
import { splitMarkdown } from '../../report/render/split.ts';
import type { IncomingCommand, OutgoingMessage, Respond } from '../platform.ts';
import { labelsFor } from './labels.ts';
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

/**
 * The command's answer as the body of its acknowledgement, seen by the caller only (what Slack
 * shows of an ack's text is ephemeral); null when it takes more than one message (then it goes
 * over response_url).
 */
export function ackAnswer(message: OutgoingMessage): RespondArguments | null {
  const parts = responseParts(message);
  if (parts.length !== 1) return null;
  const payload = messagePayload(parts[0]!);
  return { response_type: 'ephemeral', text: payload.text, ...(payload.blocks ? { blocks: payload.blocks } : {}) };
}

function responseParts(message: OutgoingMessage): OutgoingMessage[] {
  const markdown = message.markdown?.trim();
  if (!markdown || [...markdown].length <= SLACK_LIMITS.markdownPerMessage) return [message];
  const limit = SLACK_LIMITS.markdownPerMessage;
  let parts = splitMarkdown(markdown, { limit });
  // More than the response_url takes: shortened so that every section still shows (its start),
  // and the last message says so, rather than stopping before the last sections.
  for (let budget = RESPONSE_URL_USES * limit * 0.9; parts.length > RESPONSE_URL_USES && budget >= limit; budget *= 0.8) {
    parts = splitMarkdown(shortenMarkdown(markdown, Math.floor(budget), labelsFor(message.locale ?? 'zh-CN').shortened).text, { limit });
  }
  // Only headings past five messages' worth could still not fit: the cut then says what it left out.
  if (parts.length > RESPONSE_URL_USES) parts = [...parts.slice(0, RESPONSE_URL_USES - 1), labelsFor(message.locale ?? 'zh-CN').shortened];
  return parts.map((part, i) => ({
    text: i === 0 ? firstLine(message.text) : `(${i + 1}/${parts.length})`,
    markdown: part,
    ...(message.locale ? { locale: message.locale } : {}),
  }));
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '') ?? text;
}
