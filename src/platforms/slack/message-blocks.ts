import type { types } from '@slack/bolt';
import { splitMarkdown } from '../../report/render/split.ts';
import type { CommandButton, OutgoingMessage } from '../platform.ts';
import { answerButton } from './answer-form.ts';
import { truncate } from '../../report/truncate.ts';

type Block = types.KnownBlock;

/** Slack's limits (https://docs.slack.dev/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  /** `text` is truncated at 40,000; 4,000 is what Slack recommends. */
  messageText: 4_000,
  sectionText: 3_000,
  blocksPerMessage: 50,
  /** Cumulative over the markdown blocks of one message. */
  markdownPerMessage: 12_000,
} as const;

/** The text of a notification or a client without blocks: short, never the whole message. */
const FALLBACK_CHARS = 3_000;

export interface SlackMessagePayload {
  text: string;
  blocks?: Block[];
}

/** mrkdwn needs `&`, `<`, `>` escaped, or Slack reads them as its own tokens (links, mentions). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const length = (text: string) => [...text].length;

/**
 * An outgoing message as `chat.postMessage` / `chat.update` arguments:
 * - with `markdown`, a `markdown` block renders it; when the text quotes the markdown (a
 *   confirmation around a preview), the text around it becomes section blocks;
 * - with `answerForm`, the text in section blocks and the button that opens the form;
 * - otherwise plain `text`, or section blocks of at most 3,000 characters when it is longer
 *   than Slack's 4,000.
 */
export function messagePayload(message: OutgoingMessage): SlackMessagePayload {
  const fallback = truncate(message.text, FALLBACK_CHARS);
  const markdown = message.markdown?.trim();
  let blocks: Block[] | undefined;
  if (markdown && length(markdown) <= SLACK_LIMITS.markdownPerMessage) {
    const at = message.text.indexOf(markdown);
    blocks =
      at >= 0
        ? [...sectionBlocks(message.text.slice(0, at)), markdownBlock(markdown), ...sectionBlocks(message.text.slice(at + markdown.length))]
        : [markdownBlock(markdown)];
  } else if (message.answerForm || length(escapeMrkdwn(message.text)) > SLACK_LIMITS.messageText) {
    blocks = sectionBlocks(message.text);
  }
  if (message.commands?.length) blocks = [...(blocks ?? sectionBlocks(message.text)), commandButtons(message.commands)];
  if (message.answerForm) blocks = [...(blocks ?? []), answerButton(message.answerForm)];
  if (!blocks) return { text: escapeMrkdwn(message.text) };
  return { text: escapeMrkdwn(fallback), blocks: fitBlocks(blocks) };
}

/** Text as mrkdwn sections of at most 3,000 characters each, cut between paragraphs, then lines. */
export function sectionBlocks(text: string): Block[] {
  if (text.trim() === '') return [];
  const parts = splitMarkdown(text, { limit: SLACK_LIMITS.sectionText, measure: (t) => length(escapeMrkdwn(t)) });
  return parts.map((part) => ({ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(part) } }));
}

/** The action id of a button that runs a `/weekly-report` command; its value is the command text. */
export const COMMAND_ACTION_ID = 'weekly_report_command';

function commandButtons(commands: readonly CommandButton[]): Block {
  return {
    type: 'actions',
    block_id: 'commands',
    elements: commands.map((c, i) => ({ type: 'button', action_id: `${COMMAND_ACTION_ID}_${i}`, text: { type: 'plain_text', text: c.label }, value: c.command })),
  };
}

function markdownBlock(text: string): Block {
  return { type: 'markdown', text };
}

/** Past 50 blocks Slack refuses the message: keep the first ones and say that the rest was cut. */
function fitBlocks(blocks: Block[]): Block[] {
  if (blocks.length <= SLACK_LIMITS.blocksPerMessage) return blocks;
  const last = blocks.at(-1)!;
  const keepLast = last.type === 'actions';
  const room = SLACK_LIMITS.blocksPerMessage - 1 - (keepLast ? 1 : 0);
  const cut: Block = { type: 'context', elements: [{ type: 'mrkdwn', text: '…' }] };
  return [...blocks.slice(0, room), cut, ...(keepLast ? [last] : [])];
}

