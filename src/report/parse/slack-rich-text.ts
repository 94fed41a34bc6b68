import { z } from 'zod';
import { converting, emphasise, readPart, type Converted } from './converted.ts';
import type { ReplyTextOptions } from './reply-input.ts';
import { slackTextToPlain } from './slack-text.ts';

/**
 * A Slack message's `blocks` as plain lines. The Slack client sends what the owner typed as one
 * `rich_text` block: paragraphs as `rich_text_section`, each run of list items at one depth as a
 * `rich_text_list` (`indent` is the depth, `offset` continues the numbering after a nested list),
 * quotes and code blocks. Lists come out as `- ` / `N. ` lines nested by 4 spaces, which the line
 * parser reads like any typed list.
 * (https://docs.slack.dev/reference/block-kit/blocks/rich-text-block)
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
const DateElement = z.looseObject({ timestamp: z.number(), fallback: z.string().optional() });
// Inline types Slack adds over time (team, canvas, …): their text if they carry one.
const OtherInline = z.looseObject({ text: z.string().optional() });

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

export function slackRichTextToPlain(blocks: unknown, options: ReplyTextOptions = {}): Converted {
  return converting(() => {
    const lines: string[] = [];
    readPart(z.array(Typed), blocks, 'blocks').forEach((block, b) => {
      const where = `blocks[${b}]`;
      if (block.type === 'rich_text') {
        readPart(RichText, block, where).elements.forEach((element, e) => {
          lines.push(...elementLines(element, `${where}.elements[${e}]`, options));
        });
      } else if (block.type === 'section') {
        const text = readPart(SectionBlock, block, where).text?.text;
        if (text !== undefined) lines.push(...slackTextToPlain(text, options).split('\n'));
      }
    });
    return lines.join('\n');
  });
}

function elementLines(element: z.infer<typeof Typed>, where: string, options: ReplyTextOptions): string[] {
  switch (element.type) {
    case 'rich_text_section':
      return splitParagraph(inlineText(readPart(Container, element, where).elements, where, options));
    case 'rich_text_quote':
      return splitParagraph(inlineText(readPart(Container, element, where).elements, where, options)).map((line) =>
        `> ${line}`.trimEnd(),
      );
    case 'rich_text_preformatted':
      // Code keeps its characters: no emphasis, no display names.
      return splitParagraph(inlineText(readPart(Container, element, where).elements, where, {}, false));
    case 'rich_text_list': {
      const list = readPart(List, element, where);
      const depth = list.indent ?? 0;
      const start = (list.offset ?? 0) + 1;
      return list.elements.flatMap((item, i) => {
        const marker = list.style === 'ordered' ? `${start + i}. ` : '- ';
        const [first = '', ...rest] = splitParagraph(inlineText(item.elements, `${where}.elements[${i}]`, options));
        // A line break inside an item (shift-enter) continues it: indent it under the item's text.
        return [NEST.repeat(depth) + marker + first, ...rest.map((line) => (line === '' ? '' : NEST.repeat(depth + 1) + line))];
      });
    }
    default: {
      // An element type newer than this parser: keep its text if it has inline elements.
      const unknown = Container.safeParse(element);
      return unknown.success ? splitParagraph(inlineText(unknown.data.elements, where, options)) : [];
    }
  }
}

/** A block ends its own last line, so a trailing newline in its text adds nothing; a second one is a blank line. */
function splitParagraph(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

function inlineText(
  elements: readonly z.infer<typeof Typed>[],
  where: string,
  options: ReplyTextOptions,
  styled = true,
): string {
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
    case 'usergroup':
      return `@${readPart(Usergroup, element, where).usergroup_id}`;
    case 'emoji':
      return `:${readPart(Emoji, element, where).name}:`;
    case 'broadcast':
      // Kept as text so the parser can tell the owner to remove it: the report must not notify everyone.
      return `@${readPart(Broadcast, element, where).range}`;
    case 'date': {
      const date = readPart(DateElement, element, where);
      return date.fallback ?? String(date.timestamp);
    }
    default:
      return readPart(OtherInline, element, where).text ?? '';
  }
}

function marks(style: z.infer<typeof Style>): string[] {
  if (!style) return [];
  // Code wins: emphasis inside backticks would be printed literally.
  if (style.code) return ['`'];
  return [style.bold ? '**' : '', style.italic ? '_' : '', style.strike ? '~~' : ''].filter((m) => m !== '');
}
