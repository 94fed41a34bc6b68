import type { AnswerForm, CommandButton, OutgoingMessage } from '../platform.ts';
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
  return parts.map((part, i) => {
    const last = i === parts.length - 1;
    return {
      schema: '2.0',
      config: { update_multi: true, summary: { content: summaryOf(part) } },
      body: {
        elements: [
          asMarkdown ? { tag: 'markdown', content: part } : { tag: 'div', text: plain(part) },
          ...(last && message.answerForm ? answerFormElements(message.answerForm) : []),
        ],
      },
    };
  });
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
  if (markdown === undefined) {
    elements.push({ tag: 'div', text: plain(message.text) });
  } else {
    const at = message.text.indexOf(markdown);
    const before = at >= 0 ? message.text.slice(0, at).trim() : '';
    const after = at >= 0 ? message.text.slice(at + markdown.length).trim() : '';
    if (before) elements.push({ tag: 'div', text: plain(before) });
    elements.push({ tag: 'markdown', content: markdown });
    if (after) elements.push({ tag: 'div', text: plain(after) });
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

/** The value of a card button that runs a `/weekly-report` command for whoever presses it. */
export const COMMAND_ACTION = 'weekly-report.command';

function commandButton(command: CommandButton): CardElement {
  return { tag: 'button', name: `command_${command.command.replace(/\W+/g, '_')}`, type: 'primary', text: plain(command.label), behaviors: [{ type: 'callback', value: { action: COMMAND_ACTION, command: command.command } }] };
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
      ? { label: plain(form.locale === 'en' ? `Part ${i + 1}/${chunks.length}` : `第 ${i + 1}/${chunks.length} 段`, { zh_cn: `第 ${i + 1}/${chunks.length} 段`, en_us: `Part ${i + 1}/${chunks.length}` }) }
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
