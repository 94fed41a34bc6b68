import { z } from 'zod';
import { converting, emphasise, PayloadError, readPart, type Converted } from '../../../report/parse/converted.ts';
import type { ReplyTextOptions } from '../../../report/parse/reply-input.ts';

/**
 * Feishu (Lark) message content as plain lines. `content` is the JSON string of the
 * im.message.receive_v1 event. A `post` is paragraphs (the outer array), each an array of inline
 * elements; the Feishu client sends lists as paragraphs whose text starts with the marker and the
 * indentation, so the line parser reads them like typed text.
 * (https://open.feishu.cn/document/server-docs/im-v1/message-content-description/message_content)
 */

const TextContent = z.looseObject({ text: z.string() });

export function feishuTextToPlain(content: string, options: ReplyTextOptions = {}): Converted {
  return converting(() => {
    const { text } = readPart(TextContent, parseJson(content), 'content');
    // Messages sent through the API carry `<at user_id="ou_…">Name</at>`; received ones carry `@_user_1`.
    return text.replace(/<at\s+user_id\s*=\s*"([^"]*)"\s*>([^<]*)<\/at>/g, (_m, id: string, name: string) => mention(id, name, options));
  });
}

const Typed = z.looseObject({ tag: z.string() });
const Paragraphs = z.array(z.array(Typed));
const Post = z.looseObject({ title: z.string().optional(), content: Paragraphs });
// The locales Feishu writes, in the order we prefer when a post carries several translations.
const LOCALES = ['zh_cn', 'en_us', 'ja_jp', 'zh_hk', 'zh_tw'] as const;

const TextElement = z.looseObject({
  text: z.string(),
  style: z.array(z.string()).optional(),
  un_escape: z.boolean().optional(),
});
const LinkElement = z.looseObject({ href: z.string(), text: z.string().optional(), style: z.array(z.string()).optional() });
const AtElement = z.looseObject({ user_id: z.string(), user_name: z.string().optional() });
const EmotionElement = z.looseObject({ emoji_type: z.string() });
const CodeBlockElement = z.looseObject({ text: z.string() });
const MarkdownElement = z.looseObject({ text: z.string() });
const OtherElement = z.looseObject({ text: z.string().optional() });

export function feishuPostToPlain(content: string, options: ReplyTextOptions = {}): Converted {
  return converting(() => {
    const post = readPost(parseJson(content));
    const lines: string[] = [];
    if (post.title) lines.push(post.title);
    post.content.forEach((paragraph, p) => {
      const text = paragraph.map((element, e) => inline(element, `content[${p}][${e}]`, options)).join('');
      lines.push(...text.split('\n'));
    });
    return lines.join('\n');
  });
}

/** Received posts are `{title, content}`; posts sent through the API wrap that in a locale (`{"zh_cn":{…}}`). */
function readPost(raw: unknown): z.infer<typeof Post> {
  const direct = Post.safeParse(raw);
  if (direct.success) return direct.data;
  if (raw && typeof raw === 'object') {
    const record = raw as Record<string, unknown>;
    const locale = LOCALES.find((key) => key in record) ?? Object.keys(record)[0];
    if (locale !== undefined) return readPart(Post, record[locale], `content.${locale}`);
  }
  return readPart(Post, raw, 'content');
}

function inline(element: z.infer<typeof Typed>, where: string, options: ReplyTextOptions): string {
  switch (element.tag) {
    case 'text': {
      const text = readPart(TextElement, element, where);
      return emphasise(text.un_escape ? unescapeHtml(text.text) : text.text, marks(text.style));
    }
    case 'a': {
      const link = readPart(LinkElement, element, where);
      // A pasted URL arrives with the URL as its text; it becomes `[url](url)` like a typed one.
      const shown = link.text && link.text !== link.href ? `[${link.text}](${link.href})` : link.href;
      return emphasise(shown, marks(link.style));
    }
    case 'at': {
      const at = readPart(AtElement, element, where);
      return mention(at.user_id, at.user_name, options);
    }
    case 'emotion':
      return `:${readPart(EmotionElement, element, where).emoji_type}:`;
    case 'code_block':
      return readPart(CodeBlockElement, element, where).text.replace(/\n$/, '');
    case 'md':
      return readPart(MarkdownElement, element, where).text;
    // Images and files are attachments, not text (the report is text only); a divider `hr` separates
    // paragraphs, which the paragraph breaks around it already do.
    case 'img':
    case 'media':
    case 'hr':
      return '';
    default:
      return readPart(OtherElement, element, where).text ?? '';
  }
}

/** `all` is Feishu's @所有人: kept as text so the parser can tell the owner to remove it. */
function mention(userId: string, name: string | undefined, options: ReplyTextOptions): string {
  if (userId === 'all') return '@所有人';
  return `@${options.userNames?.[userId] ?? (name || userId)}`;
}

function marks(style: readonly string[] | undefined): string[] {
  if (!style) return [];
  const out: string[] = [];
  if (style.includes('bold')) out.push('**');
  if (style.includes('italic')) out.push('_');
  if (style.includes('lineThrough')) out.push('~~');
  return out;
}

// `un_escape: true` marks text written with HTML entities (`&nbsp;`), as the Feishu API allows.
const HTML_ENTITIES: Record<string, string> = { nbsp: ' ', lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", '#39': "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(nbsp|lt|gt|amp|quot|apos|#39);/g, (entity, name: string) => HTML_ENTITIES[name] ?? entity);
}

function parseJson(content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch {
    throw new PayloadError(`content is not JSON: ${content.slice(0, 40)}`);
  }
}
