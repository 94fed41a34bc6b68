import type { BlockAction, StaticSelectAction, types } from '@slack/bolt';
import { z } from 'zod';
import { GOAL_STATUSES } from '../../report/goals.ts';
import { splitMarkdown } from '../../report/render/split.ts';
import type { CommandButton, GoalChecklist, IncomingReply, OutgoingMessage } from '../platform.ts';
import { answerButton } from './answer-form.ts';
import { truncate } from '../../report/truncate.ts';
import type { Locale } from '../../report/locale.ts';
import { labelsFor } from './labels.ts';

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
 * - with `goalReview`, the checklist `text` quotes becomes a section with a menu per goal;
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
  } else if (message.answerForm || message.goalReview || length(escapeMrkdwn(message.text)) > SLACK_LIMITS.messageText) {
    blocks = textBlocks(message);
  }
  if (message.commands?.length) blocks = [...(blocks ?? textBlocks(message)), commandButtons(message.commands)];
  if (message.answerForm) blocks = [...(blocks ?? []), answerButton(message.answerForm)];
  if (!blocks) return { text: escapeMrkdwn(message.text) };
  return { text: escapeMrkdwn(fallback), blocks: fitBlocks(blocks, message.locale) };
}

/** Text as mrkdwn sections of at most 3,000 characters each, cut between paragraphs, then lines. */
export function sectionBlocks(text: string): Block[] {
  if (text.trim() === '') return [];
  const parts = splitMarkdown(text, { limit: SLACK_LIMITS.sectionText, measure: (t) => length(escapeMrkdwn(t)) });
  return parts.map((part) => ({ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(part) } }));
}

/** The text as section blocks, with the goal checklist it quotes as menus. */
function textBlocks(message: OutgoingMessage): Block[] {
  const checklist = message.goalReview;
  const at = checklist ? message.text.indexOf(checklist.text) : -1;
  if (!checklist || at < 0 || checklist.items.length > MAX_GOAL_MENUS) return sectionBlocks(message.text);
  return [...sectionBlocks(message.text.slice(0, at)), ...goalChecklistBlocks(checklist), ...sectionBlocks(message.text.slice(at + checklist.text.length))];
}

/** The action id of each goal's menu; its block id says which goal of which review (GoalBlockId). */
export const GOAL_REVIEW_ACTION_ID = 'weekly_report_goal_review';
/** More goals than this stay numbered lines (typed answers still work): a message holds 50 blocks. */
export const MAX_GOAL_MENUS = 20;

const GoalBlockId = z.object({ t: z.string().min(1), w: z.string().min(1), s: z.string().min(1), g: z.number().int().min(1) });

/** Last week's goals, each a section with a menu of done / in progress / dropped (its current state chosen). */
export function goalChecklistBlocks(checklist: GoalChecklist): Block[] {
  const options = checklist.statuses.map((s) => ({ text: { type: 'plain_text' as const, text: truncate(s.label, 75) }, value: s.value }));
  return [
    ...sectionBlocks(checklist.title),
    ...checklist.items.map((item): Block => {
      const chosen = options.find((o) => o.value === item.status);
      const blockId: z.infer<typeof GoalBlockId> = { t: checklist.teamId, w: checklist.week, s: checklist.sectionId, g: item.goal };
      return {
        type: 'section',
        block_id: `goal:${JSON.stringify(blockId)}`,
        text: { type: 'mrkdwn', text: escapeMrkdwn(truncate(`${item.goal}. ${item.text}`, SLACK_LIMITS.sectionText)) },
        accessory: {
          type: 'static_select',
          action_id: GOAL_REVIEW_ACTION_ID,
          placeholder: { type: 'plain_text', text: checklist.placeholder },
          options,
          ...(chosen ? { initial_option: chosen } : {}),
        },
      };
    }),
    { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(checklist.hint) }] },
  ];
}

/**
 * A goal chosen in a checklist's menu, as the reply the handlers read; null when the action is not
 * one of ours. The confirmation goes to the prompt's thread.
 */
export function goalChoiceReply(body: BlockAction<StaticSelectAction>, action: StaticSelectAction): IncomingReply | null {
  const status = GOAL_STATUSES.find((s) => s === action.selected_option?.value);
  let ref: z.infer<typeof GoalBlockId> | null = null;
  try {
    const parsed = action.block_id.startsWith('goal:') ? GoalBlockId.safeParse(JSON.parse(action.block_id.slice('goal:'.length))) : null;
    ref = parsed?.success ? parsed.data : null;
  } catch {
    ref = null;
  }
  const channel = body.channel?.id ?? body.container?.channel_id;
  const promptTs = body.message?.ts ?? body.container?.message_ts;
  if (!status || !ref || typeof channel !== 'string') return null;
  const rawText = `goal ${ref.g} ${status}`;
  return {
    sender: { platform: 'slack', userId: body.user.id },
    // One interaction, one trigger id: a replayed delivery of it is stored once.
    eventId: `goal-choice:${body.trigger_id}`,
    channel,
    ...(typeof promptTs === 'string' ? { replyTo: promptTs } : {}),
    goalReview: { teamId: ref.t, week: ref.w, sectionId: ref.s, goal: ref.g, status },
    input: { source: 'text', text: rawText },
    rawText,
    rawPayload: { block_id: action.block_id, selected: action.selected_option.value, action_ts: action.action_ts },
  };
}

/** The action id of a button that runs a `/weekly-report` command; its value is the command text. */
export const COMMAND_ACTION_ID = 'weekly_report_command';

function commandButtons(commands: readonly CommandButton[]): Block {
  return {
    type: 'actions',
    block_id: 'commands',
    elements: commands.map((c, i) => ({
      type: 'button',
      action_id: `${COMMAND_ACTION_ID}_${i}`,
      text: { type: 'plain_text', text: c.label },
      value: c.command,
    })),
  };
}

function markdownBlock(text: string): Block {
  return { type: 'markdown', text };
}

/**
 * Past 50 blocks Slack refuses the message: keep the first ones and say that the rest was cut,
 * naming the headings (sections) it held, so that a cut never passes for the end.
 */
function fitBlocks(blocks: Block[], locale: Locale = 'zh-CN'): Block[] {
  if (blocks.length <= SLACK_LIMITS.blocksPerMessage) return blocks;
  const last = blocks.at(-1)!;
  const keepLast = last.type === 'actions';
  const room = SLACK_LIMITS.blocksPerMessage - 1 - (keepLast ? 1 : 0);
  const hidden = blocks.slice(room, keepLast ? -1 : undefined).flatMap(headingsOf);
  const note = truncate(labelsFor(locale).cut(hidden), SLACK_LIMITS.sectionText);
  const cut: Block = { type: 'context', elements: [{ type: 'mrkdwn', text: note }] };
  return [...blocks.slice(0, room), cut, ...(keepLast ? [last] : [])];
}

/** The Markdown headings in a section or markdown block's text, as they read. */
function headingsOf(block: Block): string[] {
  const text = block.type === 'section' ? block.text?.text : block.type === 'markdown' ? block.text : undefined;
  return (text ?? '').split('\n').flatMap((line) => /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1] ?? []);
}
