import { z } from 'zod';
import { converting, emphasise, PayloadError, readPart, type Converted } from '../../../report/parse/converted.ts';
import type { ReplyTextOptions } from '../../../report/parse/reply-input.ts';
import { slackTextToPlain } from './slack-text.ts';

/**
 * A Slack message's `blocks` as plain lines. The Slack client sends what the owner typed as one
 * `rich_text` block: paragraphs as `rich_text_section`, each run of list items at one depth as a
 * `rich_text_list` (`indent` is the depth, `offset` continues the numbering after a nested list),
 * quotes and code blocks. Lists come out as `- ` / `N. ` lines nested by 4 spaces, quotes as `> `
 * lines and code blocks fenced with ```, which the line parser reads like anything typed.
 * (https://docs.slack.dev/reference/block-kit/blocks/rich-text-block)
 *
 * Slack shows each of these elements as a block of its own, and the text says so: a blank line ends a
 * list or a quote before what follows it, so a paragraph typed after a list is not read as the last
 * item wrapped (nor, in Markdown, a line after a quote as more of the quote). Every element keeps the
 * text people saw; one with no text this converter can find is refused, never dropped.
 */

const Typed = z.looseObject({ type: z.string() });
const Style = z
  .looseObject({
    bold: z.boolean().optional(),
    italic: z.boolean().optional(),
    strike: z.boolean().optional(),
    code: z.boolean().optional(),
  })
  .optional();
const Text = z.looseObject({ text: z.string(), style: Style });
const Link = z.looseObject({ url: z.string(), text: z.string().optional(), style: Style });
const User = z.looseObject({ user_id: z.string() });
const Channel = z.looseObject({ channel_id: z.string() });
const Usergroup = z.looseObject({ usergroup_id: z.string() });
const Emoji = z.looseObject({ name: z.string() });
const Broadcast = z.looseObject({ range: z.string() });
// Clients send the timestamp as a number, some as a string of digits; the fallback is what people saw.
const DateElement = z.looseObject({
  timestamp: z.union([z.number(), z.string()]),
  format: z.string().optional(),
  fallback: z.string().optional(),
});
// What an element type newer than this converter may carry that people saw, in order of preference.
const VISIBLE_FIELDS = ['text', 'fallback', 'value', 'name', 'url'] as const;

const Inlines = z.array(Typed);
const Container = z.looseObject({ elements: Inlines });
const List = z.looseObject({
  style: z.enum(['bullet', 'ordered']),
  elements: z.array(Container),
  indent: z.number().int().min(0).optional(),
  offset: z.number().int().min(0).optional(),
});
const RichText = z.looseObject({ elements: z.array(Typed) });
// Apps post `section` blocks with mrkdwn text; read them rather than lose them.
const SectionBlock = z.looseObject({ text: z.looseObject({ text: z.string() }).optional() });

const NEST = '    ';

type BlockKind = 'paragraph' | 'list' | 'quote' | 'code';

/** One element's lines, and what kind of block Slack shows it as. */
interface Block {
  kind: BlockKind;
  lines: string[];
  /** Lists: their depth and style, to tell a sibling list from a nested one. */
  indent?: number;
  style?: 'bullet' | 'ordered';
}

export function slackRichTextToPlain(blocks: unknown, options: ReplyTextOptions = {}): Converted {
  return converting(() => {
    const read: Block[] = [];
    readPart(z.array(Typed), blocks, 'blocks').forEach((block, b) => {
      const where = `blocks[${b}]`;
      if (block.type === 'rich_text') {
        readPart(RichText, block, where).elements.forEach((element, e) => {
          read.push(elementBlock(element, `${where}.elements[${e}]`, options));
        });
      } else if (block.type === 'section') {
        const text = readPart(SectionBlock, block, where).text?.text;
        if (text !== undefined) read.push({ kind: 'paragraph', lines: slackTextToPlain(text, options).split('\n') });
      }
    });
    return joinBlocks(read).join('\n');
  });
}

/**
 * The blocks' lines, with a blank line where one block would otherwise run into the next: after a
 * list or a quote (unless one is there already), and between an ordered list and a bullet list that
 * Slack shows beside it at the same depth (the line parser would nest the bullets under the last
 * ordered item: see outline.ts).
 */
function joinBlocks(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  // The style of the last list at each depth since the last block that was not a list.
  const styles = new Map<number, 'bullet' | 'ordered'>();
  let previous: Block | undefined;
  for (const block of blocks) {
    if (block.lines.length === 0) continue;
    let sibling = false;
    if (block.kind === 'list') {
      const depth = block.indent ?? 0;
      for (const key of [...styles.keys()]) if (key > depth) styles.delete(key);
      sibling = block.style === 'bullet' && styles.get(depth) === 'ordered';
      if (block.style) styles.set(depth, block.style);
    } else {
      styles.clear();
    }
    const ends = (previous?.kind === 'list' && block.kind !== 'list') || previous?.kind === 'quote' || sibling;
    if (ends && out.at(-1) !== '' && block.lines[0] !== '') out.push('');
    out.push(...block.lines);
    previous = block;
  }
  return out;
}

function elementBlock(element: z.infer<typeof Typed>, where: string, options: ReplyTextOptions): Block {
  switch (element.type) {
    case 'rich_text_section':
      return { kind: 'paragraph', lines: splitParagraph(inlineText(readPart(Container, element, where).elements, where, options)) };
    case 'rich_text_quote':
      return { kind: 'quote', lines: quoteLines(inlineText(readPart(Container, element, where).elements, where, options)) };
    case 'rich_text_preformatted':
      // Code keeps its characters: no emphasis, no display names.
      return { kind: 'code', lines: fenced(inlineText(readPart(Container, element, where).elements, where, {}, false)) };
    case 'rich_text_list': {
      const list = readPart(List, element, where);
      const depth = list.indent ?? 0;
      const start = (list.offset ?? 0) + 1;
      const lines = list.elements.flatMap((item, i) => {
        const marker = list.style === 'ordered' ? `${start + i}. ` : '- ';
        const [first = '', ...rest] = splitParagraph(inlineText(item.elements, `${where}.elements[${i}]`, options));
        // A line break inside an item (shift-enter) continues it: indent it under the item's text.
        return [NEST.repeat(depth) + marker + first, ...rest.map((line) => (line === '' ? '' : NEST.repeat(depth + 1) + line))];
      });
      return { kind: 'list', lines, indent: depth, style: list.style };
    }
    default: {
      // An element type newer than this converter: its inline elements if it has them, else its text.
      const container = Container.safeParse(element);
      if (container.success) return { kind: 'paragraph', lines: splitParagraph(inlineText(container.data.elements, where, options)) };
      return { kind: 'paragraph', lines: splitParagraph(visibleText(element, where)) };
    }
  }
}

/** A block ends its own last line, so a trailing newline in its text adds nothing; a second one is a blank line. */
function splitParagraph(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * A quote as `> ` lines. Empty lines at its edges show nothing in Slack and go; one inside stays as
 * `>`, a paragraph break within the quote.
 */
function quoteLines(text: string): string[] {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift();
  while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop();
  return lines.map((line) => `> ${line}`.trimEnd());
}

/** A code block between ``` fences, longer ones when the code itself holds a run of backticks. */
function fenced(text: string): string[] {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence, ...splitParagraph(text), fence];
}

function inlineText(elements: readonly z.infer<typeof Typed>[], where: string, options: ReplyTextOptions, styled = true): string {
  return elements.map((element, i) => inline(element, `${where}.elements[${i}]`, options, styled)).join('');
}

function inline(element: z.infer<typeof Typed>, where: string, options: ReplyTextOptions, styled: boolean): string {
  switch (element.type) {
    case 'text': {
      const text = readPart(Text, element, where);
      return styled ? emphasise(text.text, marks(text.style)) : text.text;
    }
    case 'link': {
      const link = readPart(Link, element, where);
      // A pasted URL arrives without `text`; it stays bare here and becomes `[url](url)` like a typed one.
      const shown = link.text && link.text !== link.url ? `[${link.text}](${link.url})` : link.url;
      return styled ? emphasise(shown, marks(link.style)) : (link.text ?? link.url);
    }
    case 'user': {
      const id = readPart(User, element, where).user_id;
      return `@${options.userNames?.[id] ?? id}`;
    }
    case 'channel':
      return `#${readPart(Channel, element, where).channel_id}`;
    case 'usergroup': {
      // User group ids (S…) never collide with user ids (U…, W…), so one map of names serves both.
      const id = readPart(Usergroup, element, where).usergroup_id;
      return `@${options.userNames?.[id] ?? id}`;
    }
    case 'emoji':
      return `:${readPart(Emoji, element, where).name}:`;
    case 'broadcast':
      // Kept as text so the parser can tell the owner to remove it: the report must not notify everyone.
      return `@${readPart(Broadcast, element, where).range}`;
    case 'date': {
      const date = readPart(DateElement, element, where);
      if (date.fallback !== undefined) return date.fallback;
      const seconds = Number(date.timestamp);
      if (!Number.isFinite(seconds) || String(date.timestamp).trim() === '') {
        throw new PayloadError(`${where}.timestamp: expected a Unix time in seconds, got ${JSON.stringify(date.timestamp)}`);
      }
      return formatDate(seconds, date.format);
    }
    default:
      // `color` (`#FFFFFF` as typed) and types Slack adds over time.
      return visibleText(element, where);
  }
}

/** The text an element of a type this converter does not know carries, or a refusal naming it. */
function visibleText(element: z.infer<typeof Typed>, where: string): string {
  const record = element as Record<string, unknown>;
  for (const field of VISIBLE_FIELDS) {
    const value = record[field];
    if (typeof value === 'string') return value;
  }
  throw new PayloadError(`${where}: a "${element.type}" element with no text to show (none of ${VISIBLE_FIELDS.join(', ')})`);
}

/**
 * A date element without the fallback text Slack normally sends, written from its timestamp. The
 * converter knows no time zone, so times are UTC and say so.
 */
function formatDate(timestamp: number, format = '{date_num} {time}'): string {
  const iso = new Date(timestamp * 1000).toISOString();
  const [day = '', clock = ''] = iso.split('T');
  let hasTime = false;
  const text = format.replace(/\{(\w+)\}/g, (token, name: string) => {
    if (name === 'time' || name === 'time_secs' || name === 'ago') hasTime = true;
    if (name === 'time') return clock.slice(0, 5);
    if (name === 'time_secs') return clock.slice(0, 8);
    if (name === 'ago') return `${day} ${clock.slice(0, 5)}`;
    return name.startsWith('date') ? day : token;
  });
  return hasTime ? `${text} UTC` : text;
}

function marks(style: z.infer<typeof Style>): string[] {
  if (!style) return [];
  // Code wins: emphasis inside backticks would be printed literally.
  if (style.code) return ['`'];
  return [style.bold ? '**' : '', style.italic ? '_' : '', style.strike ? '~~' : ''].filter((m) => m !== '');
}
