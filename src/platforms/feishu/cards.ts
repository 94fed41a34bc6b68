import { z } from 'zod';
import type { AnswerForm, CommandButton, GoalChecklist, IncomingReply, OutgoingMessage } from '../platform.ts';
import { GOAL_STATUSES } from '../../report/goals.ts';
import { splitMarkdown } from '../../report/render/split.ts';
import { truncate } from '../../report/truncate.ts';

/**
 * Every message the bot sends on Feishu is an interactive card (JSON 2.0): text and Markdown look
 * the same wherever they appear, and any message can be updated in place with the same call
 * (im.v1.message.patch), which is what re-publishing a digest needs. Text and post messages could
 * only be updated with another API, and a card never becomes a post.
 */

/** Feishu rejects a card whose request body is over 30 KB (code 230025). */
export const FEISHU_CARD_LIMIT_BYTES = 30 * 1024;
/** Room left for the envelope (receive_id, uuid, header, config) around a card's Markdown. */
export const CARD_MARKDOWN_LIMIT_BYTES = 28_000;
/** A card input holds at most 1,000 characters; prefilled text is spread over several inputs. */
export const FORM_INPUT_MAX_CHARS = 1000;
/** Prefill per input, leaving room to add to it. */
const FORM_INPUT_PREFILL_CHARS = 800;
/** Inputs of the answer form are named answer_1, answer_2, …; their values are joined in order. */
export const FORM_INPUT_PREFIX = 'answer_';
/** Marks the submit button of our answer form, so other card actions are not mistaken for answers. */
export const ANSWER_ACTION = 'weekly-report.answer';

type PlainText = { tag: 'plain_text'; content: string; i18n_content?: Record<string, string> };

export type CardElement =
  | { tag: 'div'; text: PlainText }
  | { tag: 'markdown'; content: string }
  | { tag: 'hr' }
  | { tag: 'form'; name: string; elements: CardElement[] }
  | {
      tag: 'input';
      name: string;
      input_type: 'multiline_text';
      rows: number;
      auto_resize: boolean;
      max_rows: number;
      max_length: number;
      width: 'fill';
      default_value?: string;
      placeholder: PlainText;
      label?: PlainText;
    }
  | {
      tag: 'button';
      name: string;
      type: 'primary';
      text: PlainText;
      form_action_type?: 'submit';
      behaviors: { type: 'callback'; value: AnswerActionValue | { action: typeof COMMAND_ACTION; command: string } }[];
    }
  | {
      tag: 'select_static';
      name: string;
      placeholder: PlainText;
      width: 'fill';
      options: { text: PlainText; value: string }[];
      initial_option?: string;
      behaviors: { type: 'callback'; value: GoalActionValue }[];
    };

export interface FeishuCard {
  schema: '2.0';
  config: { update_multi: true; summary?: { content: string } };
  header?: { title: PlainText; subtitle?: PlainText; template: string };
  body: { elements: CardElement[] };
}

/** What the submit button sends back with the form's values. */
export interface AnswerActionValue {
  action: typeof ANSWER_ACTION;
  teamId: string;
  week: string;
  sectionId: string;
}

const plain = (content: string, i18n?: Record<string, string>): PlainText => ({
  tag: 'plain_text',
  content,
  ...(i18n ? { i18n_content: i18n } : {}),
});

/**
 * The card(s) of one message. Almost always one; a message whose card would pass Feishu's size
 * limit (a preview of a long report) becomes several, cut between blocks like the report.
 */
export function messageCards(message: OutgoingMessage): FeishuCard[] {
  const card = messageCard(message);
  if (requestBytes(card) <= FEISHU_CARD_LIMIT_BYTES) return [card];
  // A report or preview (text and Markdown the same) stays Markdown; anything else is cut as text.
  const asMarkdown = message.markdown !== undefined && message.markdown === message.text;
  const parts = splitMarkdown(message.text, { limit: CARD_MARKDOWN_LIMIT_BYTES, measure: cardTextBytes });
  const cards: FeishuCard[] = parts.map((part) => ({
    schema: '2.0',
    config: { update_multi: true, summary: { content: summaryOf(part) } },
    body: { elements: [asMarkdown ? { tag: 'markdown', content: part } : { tag: 'div', text: plain(part) }] },
  }));
  // The form in a card of its own after the text: with a long prefill it alone may be most of a card.
  if (message.answerForm) cards.push(formCard(message.answerForm));
  return cards;
}

/**
 * A card holding only the answer form. A prefill too long for one card (a section near its
 * 20,000-character limit, in CJK) is left out: the form then starts empty and still replaces the
 * answer as a whole, and the text it would have held is in the card(s) before it.
 */
function formCard(form: AnswerForm): FeishuCard {
  const card = (prefill: string): FeishuCard => ({
    schema: '2.0',
    config: { update_multi: true, summary: { content: summaryOf(form.title) } },
    header: { title: plain(form.title), subtitle: plain(form.week), template: 'blue' },
    body: { elements: answerFormElements({ ...form, prefill }) },
  });
  const whole = card(form.prefill);
  return requestBytes(whole) <= FEISHU_CARD_LIMIT_BYTES ? whole : card('');
}

/**
 * One card: the text, with the part that is Markdown (the report, a preview, last week's text)
 * rendered as Markdown and the rest as plain text, so that an owner's words are never read as
 * formatting; then, for a prompt, the answer form.
 */
export function messageCard(message: OutgoingMessage): FeishuCard {
  const form = message.answerForm;
  const markdown = message.markdown ?? (form?.prefill ? form.prefill : undefined);
  const elements: CardElement[] = [];
  const checklist = message.goalReview;
  if (markdown === undefined) {
    elements.push(...textElements(message.text, checklist));
  } else {
    const at = message.text.indexOf(markdown);
    const before = at >= 0 ? message.text.slice(0, at).trim() : '';
    const after = at >= 0 ? message.text.slice(at + markdown.length).trim() : '';
    if (before) elements.push(...textElements(before, checklist));
    elements.push({ tag: 'markdown', content: markdown });
    if (after) elements.push(...textElements(after, checklist));
  }
  for (const command of message.commands ?? []) elements.push(commandButton(command));
  if (form) elements.push({ tag: 'hr' }, ...answerFormElements(form));
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: summaryOf(message.text) } },
    ...(form ? { header: { title: plain(form.title), subtitle: plain(form.week), template: 'blue' } } : {}),
    body: { elements },
  };
}

/** Plain text, with the goal checklist it quotes (a prompt's) as a menu per goal. */
function textElements(text: string, checklist: GoalChecklist | undefined): CardElement[] {
  const at = checklist && checklist.items.length <= MAX_GOAL_MENUS ? text.indexOf(checklist.text) : -1;
  if (!checklist || at < 0) return [{ tag: 'div', text: plain(text) }];
  const before = text.slice(0, at).trim();
  const after = text.slice(at + checklist.text.length).trim();
  return [
    ...(before ? [{ tag: 'div', text: plain(before) } as const] : []),
    ...goalChecklistElements(checklist),
    ...(after ? [{ tag: 'div', text: plain(after) } as const] : []),
  ];
}

/** Marks the menus of a goal checklist, so that their callbacks are told from other card actions. */
export const GOAL_ACTION = 'weekly-report.goal';
/** More goals than this stay numbered lines (typed answers still work), keeping the card small. */
export const MAX_GOAL_MENUS = 20;

/** What a goal's menu sends back with the option chosen. */
export interface GoalActionValue {
  action: typeof GOAL_ACTION;
  teamId: string;
  week: string;
  sectionId: string;
  goal: number;
}

/** Last week's goals, each its text and a menu of done / in progress / dropped (its current state chosen). */
export function goalChecklistElements(checklist: GoalChecklist): CardElement[] {
  const options = checklist.statuses.map((s) => ({ text: plain(s.label), value: s.value }));
  return [
    { tag: 'div', text: plain(checklist.title) },
    ...checklist.items.flatMap((item): CardElement[] => [
      { tag: 'div', text: plain(`${item.goal}. ${item.text}`) },
      {
        tag: 'select_static',
        name: `goal_${item.goal}`,
        placeholder: plain(checklist.placeholder),
        width: 'fill',
        options,
        ...(item.status ? { initial_option: item.status } : {}),
        behaviors: [
          { type: 'callback', value: { action: GOAL_ACTION, teamId: checklist.teamId, week: checklist.week, sectionId: checklist.sectionId, goal: item.goal } },
        ],
      },
    ]),
    { tag: 'div', text: plain(checklist.hint) },
  ];
}

const GoalChoiceEvent = z.looseObject({
  event_id: z.string().min(1),
  operator: z.looseObject({ open_id: z.string().min(1) }),
  action: z.looseObject({ value: z.unknown().optional(), option: z.string().optional() }),
  context: z.looseObject({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
});
const GoalChoiceValue = z.looseObject({
  action: z.literal(GOAL_ACTION),
  teamId: z.string().min(1),
  week: z.string().min(1),
  sectionId: z.string().min(1),
  goal: z.number().int().min(1),
});

/** A goal chosen in a checklist's menu (card.action.trigger), as the reply the handlers read; null for other card actions. */
export function cardGoalChoice(data: unknown): IncomingReply | null {
  const parsed = GoalChoiceEvent.safeParse(data);
  if (!parsed.success) return null;
  const { action, operator, context } = parsed.data;
  const raw = typeof action.value === 'string' ? safeJson(action.value) : action.value;
  const value = GoalChoiceValue.safeParse(raw);
  const status = GOAL_STATUSES.find((s) => s === action.option);
  if (!value.success || !status) return null;
  const rawText = `goal ${value.data.goal} ${status}`;
  return {
    sender: { platform: 'feishu', userId: operator.open_id },
    eventId: parsed.data.event_id,
    channel: context?.open_chat_id ?? operator.open_id,
    // The prompt's card: the confirmation goes to its thread.
    ...(context?.open_message_id ? { replyTo: context.open_message_id } : {}),
    goalReview: { teamId: value.data.teamId, week: value.data.week, sectionId: value.data.sectionId, goal: value.data.goal, status },
    input: { source: 'text', text: rawText },
    rawText,
    rawPayload: { value: raw, option: action.option, open_message_id: context?.open_message_id },
  };
}

/** The answer to a goal choice: a toast in the user's language; the confirmation follows in the thread. */
export const GOAL_CHOICE_TOAST = {
  toast: { type: 'success', content: 'Saved', i18n: { zh_cn: '已记录，确认消息稍后发到话题中', en_us: 'Saved; a confirmation follows in the thread' } },
} as const;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The value of a card button that runs a `/weekly-report` command for whoever presses it. */
export const COMMAND_ACTION = 'weekly-report.command';

function commandButton(command: CommandButton): CardElement {
  return {
    tag: 'button',
    name: `command_${command.command.replace(/\W+/g, '_')}`,
    type: 'primary',
    text: plain(command.label),
    behaviors: [{ type: 'callback', value: { action: COMMAND_ACTION, command: command.command } }],
  };
}

/** The prompt's form: the prefilled text in one or more inputs, and a submit button. */
function answerFormElements(form: AnswerForm): CardElement[] {
  const chunks = chunkPrefill(form.prefill);
  const inputs: CardElement[] = chunks.map((chunk, i) => ({
    tag: 'input',
    name: `${FORM_INPUT_PREFIX}${i + 1}`,
    input_type: 'multiline_text',
    rows: 6,
    auto_resize: true,
    max_rows: 20,
    max_length: FORM_INPUT_MAX_CHARS,
    width: 'fill',
    ...(chunk ? { default_value: chunk } : {}),
    placeholder: plain(form.locale === 'en' ? 'Write this week’s text here' : '在这里写本周的内容', {
      zh_cn: '在这里写本周的内容',
      en_us: 'Write this week’s text here',
    }),
    ...(chunks.length > 1
      ? {
          label: plain(form.locale === 'en' ? `Part ${i + 1}/${chunks.length}` : `第 ${i + 1}/${chunks.length} 段`, {
            zh_cn: `第 ${i + 1}/${chunks.length} 段`,
            en_us: `Part ${i + 1}/${chunks.length}`,
          }),
        }
      : {}),
  }));
  const value: AnswerActionValue = { action: ANSWER_ACTION, teamId: form.teamId, week: form.week, sectionId: form.sectionId };
  return [
    {
      tag: 'form',
      name: 'answer_form',
      elements: [
        ...inputs,
        {
          tag: 'button',
          name: 'submit',
          type: 'primary',
          text: plain(form.locale === 'en' ? 'Submit' : '提交', { zh_cn: '提交', en_us: 'Submit' }),
          form_action_type: 'submit',
          behaviors: [{ type: 'callback', value }],
        },
      ],
    },
  ];
}

/**
 * Prefill cut between lines into inputs of at most FORM_INPUT_PREFILL_CHARS (a longer line alone).
 * Joined with a newline, the inputs give the prefill back exactly; blank lines stay at the end of
 * an input rather than opening the next one.
 */
export function chunkPrefill(prefill: string): string[] {
  if ([...prefill].length <= FORM_INPUT_PREFILL_CHARS) return [prefill];
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of prefill.split('\n')) {
    // A single line longer than an input can hold is cut; the owner sees where in the form.
    for (const piece of cutChars(line, FORM_INPUT_MAX_CHARS)) {
      const added = [...piece].length + (current.length > 0 ? 1 : 0);
      if (current.length > 0 && size + added > FORM_INPUT_PREFILL_CHARS && piece !== '') {
        chunks.push(current);
        current = [piece];
        size = [...piece].length;
      } else {
        current.push(piece);
        size += added;
      }
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks.map((lines) => lines.join('\n'));
}

function cutChars(line: string, max: number): string[] {
  const chars = [...line];
  if (chars.length <= max) return [line];
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += max) pieces.push(chars.slice(i, i + max).join(''));
  return pieces;
}

/** The text of a submitted answer form: its inputs in order, joined by a newline, blank ones left out. */
export function formAnswerText(formValue: Record<string, unknown>): string {
  return Object.entries(formValue)
    .filter(([name, value]) => name.startsWith(FORM_INPUT_PREFIX) && typeof value === 'string' && value.trim() !== '')
    .sort(([a], [b]) => Number(a.slice(FORM_INPUT_PREFIX.length)) - Number(b.slice(FORM_INPUT_PREFIX.length)))
    .map(([, value]) => value as string)
    .join('\n')
    .trimEnd();
}

/** The report (or any long Markdown) cut into card-sized parts, between blocks, never inside an item. */
export function markdownParts(markdown: string): string[] {
  return splitMarkdown(markdown, { limit: CARD_MARKDOWN_LIMIT_BYTES, measure: cardTextBytes });
}

/**
 * Size of text inside a card inside a request: the card is JSON, sent as a JSON string, so the
 * text is escaped twice (a newline costs three bytes, a Chinese character three).
 */
export function cardTextBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(JSON.stringify(text)), 'utf8');
}

/** Bytes of the card as Feishu counts them: its JSON, as a string in the request body. */
export function requestBytes(card: FeishuCard): number {
  // The receive_id, msg_type and uuid around it add a little over a hundred bytes.
  return Buffer.byteLength(JSON.stringify(JSON.stringify(card)), 'utf8') + 200;
}

/** The line Feishu shows in the chat list and in notifications for a card. */
function summaryOf(text: string): string {
  const first = text.split('\n').find((line) => line.trim() !== '') ?? '';
  return truncate(first.trim(), 100);
}
