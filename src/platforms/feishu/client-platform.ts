import { createHash } from 'node:crypto';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../log.ts';
import type { CompiledReport } from '../../report/compile.ts';
import type { Converted, ReplyTextOptions } from '../../report/parse/index.ts';
import type {
  ChatImage,
  ChatPlatform,
  MessageRef,
  OutgoingMessage,
  ReportDocuments,
  SendOptions,
  SentDirectLookup,
  UploadedFile,
  WireReply,
} from '../platform.ts';
import { messageCards, type FeishuCard } from './cards.ts';
import { FeishuDocs } from './docx/client.ts';
import { feishuReplyText } from './parse/reply.ts';
import { FeishuApiError, FeishuRateLimiter } from './rate-limit.ts';
import { feishuReportMessages } from './render-report.ts';

/** Feishu's `uuid` (send idempotency for one hour) is at most 50 characters. */
const UUID_LENGTH = 50;
/** The message replied to was withdrawn or deleted: no other way of replying helps. */
const MESSAGE_GONE = 230011;
/** im.v1.message.list takes at most 50 a page; a p2p chat gets a handful of the bot's cards a week. */
const LIST_PAGE_SIZE = 50;
const LIST_PAGES = 10;

export interface FeishuPlatformOptions {
  logger: Logger;
  limiter?: FeishuRateLimiter;
  /** Where people open the bot's documents (docx/client.ts docsBaseUrl); Feishu's main site by default. */
  docsBaseUrl?: string;
}

/**
 * The bot's outbound side on Feishu / Lark, through the SDK's Client: messages are interactive
 * cards (see cards.ts), sent to a user by open_id or to a chat by chat_id; a thread reply is a
 * reply with `reply_in_thread`, so a prompt's reminder and confirmations gather under the prompt
 * and a digest's report under its header. Every call goes through the rate limiter.
 */
export class FeishuPlatform implements ChatPlatform {
  readonly name = 'feishu' as const;
  private readonly limiter: FeishuRateLimiter;
  private readonly logger: Logger;
  private readonly quoteOnlyChats = new Set<string>();
  /** The p2p chat with each user the bot wrote to: Feishu has no way for a bot to look it up by user. */
  private readonly p2pChats = new Map<string, string>();
  /** The week's report as a Feishu document, for teams with `post.feishu.doc`. */
  readonly reportDocuments: ReportDocuments;

  constructor(
    private readonly client: lark.Client,
    options: FeishuPlatformOptions,
  ) {
    this.logger = options.logger;
    this.limiter = options.limiter ?? new FeishuRateLimiter({ logger: options.logger });
    this.reportDocuments = new FeishuDocs(client, { limiter: this.limiter, docsBaseUrl: options.docsBaseUrl ?? 'https://feishu.cn' });
  }

  async sendDirect(userId: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    const ref = await this.create('open_id', userId, message, options);
    this.p2pChats.set(userId, ref.channel);
    return ref;
  }

  /**
   * The bot's card in the user's p2p chat whose text begins as the lookup's message does, sent
   * since `since` (im.v1.message.list, oldest first). Without the chat's id (not learned from a
   * send in this process, nor given) it returns null: sending again with the same idempotency key
   * is then safe for an hour, because Feishu answers a repeated `uuid` with the first message.
   * Whether the listed card content keeps the card's text exactly as sent is unconfirmed; it is
   * matched as JSON-escaped text, which a simplified card content would keep too.
   */
  async findSentDirect(userId: string, lookup: SentDirectLookup): Promise<MessageRef | null> {
    const chat = lookup.channel ?? this.p2pChats.get(userId);
    if (!chat) return null;
    const firstLine = lookup.message.text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim();
    if (!firstLine) return null;
    const needle = JSON.stringify(firstLine).slice(1, -1);
    let pageToken: string | undefined;
    for (let page = 0; page < LIST_PAGES; page++) {
      const answer = await this.limiter.call('im.v1.message.list', null, () =>
        this.client.im.v1.message.list({
          params: {
            container_id_type: 'chat',
            container_id: chat,
            start_time: String(Math.floor(lookup.since.getTime() / 1000)),
            sort_type: 'ByCreateTimeAsc',
            page_size: LIST_PAGE_SIZE,
            ...(pageToken ? { page_token: pageToken } : {}),
          },
        }),
      );
      const found = answer.data?.items?.find((m) => m.sender?.sender_type === 'app' && m.msg_type === 'interactive' && m.body?.content.includes(needle));
      if (found?.message_id) return { channel: chat, messageId: found.message_id };
      pageToken = answer.data?.page_token;
      if (!answer.data?.has_more || !pageToken) return null;
    }
    throw new FeishuApiError(
      'im.v1.message.list',
      undefined,
      undefined,
      `more than ${LIST_PAGES * LIST_PAGE_SIZE} messages in ${chat} since ${lookup.since.toISOString()}; not looked further`,
    );
  }

  async postToChannel(channel: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    return this.create('chat_id', channel, message, options);
  }

  async replyInThread(parent: MessageRef, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    const cards = messageCards(message);
    let first: MessageRef | null = null;
    for (const [i, card] of cards.entries()) {
      const ref = await this.reply(parent, 'interactive', cardJson(card), partKey(options?.idempotencyKey, i));
      first ??= ref;
    }
    return first!;
  }

  async updateMessage(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    const [card, ...rest] = messageCards(message);
    // The report is rendered in parts that each fit; only an unusually long other message can get here.
    if (rest.length > 0) this.logger.warn({ messageId: ref.messageId }, 'Feishu: updated message was too long for one card; only its start is shown');
    await this.limiter.call('im.v1.message.patch', ref.channel, () =>
      this.client.im.v1.message.patch({ path: { message_id: ref.messageId }, data: { content: JSON.stringify(card!) } }),
    );
  }

  renderReport(report: CompiledReport): OutgoingMessage[] {
    return feishuReportMessages(report);
  }

  replyText(input: WireReply, options: ReplyTextOptions): Converted {
    return feishuReplyText(input, options);
  }

  async uploadFile(channel: string, file: UploadedFile, thread?: MessageRef): Promise<MessageRef> {
    const uploaded = await this.limiter.call('im.v1.file.create', null, () =>
      this.client.im.v1.file.create({
        data: { file_type: 'stream', file_name: file.filename, file: typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content },
      }),
    );
    // The SDK returns the answer's `data` here, or null when Feishu refused the file.
    if (!uploaded?.file_key) throw new FeishuApiError('im.v1.file.create', undefined, undefined, 'no file_key in the answer');
    const content = JSON.stringify({ file_key: uploaded.file_key });
    if (thread) return this.reply(thread, 'file', content, undefined);
    return this.send('chat_id', channel, 'file', content, undefined);
  }

  /**
   * The picture in a card (its `img` element), so it shows in the chat rather than as a file to
   * download: uploaded first with im.v1.image.create (`message` images), which gives its image_key.
   */
  async postImage(channel: string, image: ChatImage, thread?: MessageRef, options?: SendOptions): Promise<MessageRef> {
    const uploaded = await this.limiter.call('im.v1.image.create', null, () =>
      this.client.im.v1.image.create({ data: { image_type: 'message', image: image.png } }),
    );
    // As for files, the SDK returns the answer's `data`, or null when Feishu refused the image.
    if (!uploaded?.image_key) throw new FeishuApiError('im.v1.image.create', undefined, undefined, 'no image_key in the answer');
    const card = {
      schema: '2.0',
      config: { update_multi: true, summary: { content: image.title } },
      header: { title: { tag: 'plain_text', content: image.title }, template: 'blue' },
      body: {
        elements: [{ tag: 'img', img_key: uploaded.image_key, alt: { tag: 'plain_text', content: image.title }, scale_type: 'fit_horizontal', preview: true }],
      },
    };
    if (thread) return this.reply(thread, 'interactive', JSON.stringify(card), options?.idempotencyKey);
    return this.send('chat_id', channel, 'interactive', JSON.stringify(card), options?.idempotencyKey);
  }

  /** A person's open_id from their e-mail (contact.v3.user.batchGetId), to map people across platforms. */
  async findUserByEmail(email: string): Promise<string | null> {
    const answer = await this.limiter.call('contact.v3.user.batchGetId', null, () =>
      this.client.contact.v3.user.batchGetId({ params: { user_id_type: 'open_id' }, data: { emails: [email] } }),
    );
    return answer.data?.user_list?.find((u) => u.email?.toLowerCase() === email.toLowerCase())?.user_id ?? null;
  }

  /** The bot's own open_id, to tell an @mention of the bot from one of somebody else. */
  async botOpenId(): Promise<string | null> {
    const answer = await this.limiter.call('bot.v3.info', null, () =>
      this.client.request<{ code?: number; msg?: string; bot?: { open_id?: string } }>({ method: 'GET', url: '/open-apis/bot/v3/info' }),
    );
    return answer.bot?.open_id ?? null;
  }

  private async create(type: 'open_id' | 'chat_id', receiver: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    const cards = messageCards(message);
    let first: MessageRef | null = null;
    for (const [i, card] of cards.entries()) {
      const ref = await this.send(type, receiver, 'interactive', cardJson(card), partKey(options?.idempotencyKey, i));
      first ??= ref;
    }
    return first!;
  }

  private async send(type: 'open_id' | 'chat_id', receiver: string, msgType: string, content: string, key: string | undefined): Promise<MessageRef> {
    const answer = await this.limiter.call('im.v1.message.create', receiver, () =>
      this.client.im.v1.message.create({
        params: { receive_id_type: type },
        data: { receive_id: receiver, msg_type: msgType, content, ...(key ? { uuid: feishuUuid(key) } : {}) },
      }),
    );
    return refOf('im.v1.message.create', answer.data, type === 'chat_id' ? receiver : undefined);
  }

  private async reply(parent: MessageRef, msgType: string, content: string, key: string | undefined): Promise<MessageRef> {
    // In a thread (话题) rather than a quote in the main chat: a digest's report stays under its
    // header, and a reminder under its prompt, where the owner's answer then goes too.
    const inThread = !this.quoteOnlyChats.has(parent.channel);
    try {
      return await this.replyOnce(parent, msgType, content, key, inThread);
    } catch (error) {
      // A chat that takes no threads (unconfirmed for every kind of p2p chat and group) still gets
      // the answer, as a quoted reply; the chat is remembered so the next reply goes straight there.
      if (!inThread || !(error instanceof FeishuApiError) || error.feishuCode === undefined || error.retryAfterMs !== null) throw error;
      if (error.feishuCode === MESSAGE_GONE) throw error;
      this.logger.warn({ chat: parent.channel, code: error.feishuCode }, 'Feishu refused a thread reply; replying with a quote instead');
      this.quoteOnlyChats.add(parent.channel);
      return this.replyOnce(parent, msgType, content, key, false);
    }
  }

  private async replyOnce(parent: MessageRef, msgType: string, content: string, key: string | undefined, inThread: boolean): Promise<MessageRef> {
    const answer = await this.limiter.call('im.v1.message.reply', parent.channel, () =>
      this.client.im.v1.message.reply({
        path: { message_id: parent.messageId },
        data: { msg_type: msgType, content, reply_in_thread: inThread, ...(key ? { uuid: feishuUuid(key) } : {}) },
      }),
    );
    return refOf('im.v1.message.reply', answer.data, parent.channel);
  }
}

function cardJson(card: FeishuCard): string {
  return JSON.stringify(card);
}

function refOf(api: string, data: { message_id?: string; chat_id?: string } | undefined, channel: string | undefined): MessageRef {
  const chat = data?.chat_id ?? channel;
  if (!data?.message_id || !chat) throw new FeishuApiError(api, undefined, undefined, 'no message_id or chat_id in the answer');
  return { channel: chat, messageId: data.message_id };
}

/** The idempotency key of the i-th card of a message that needed several. */
function partKey(key: string | undefined, index: number): string | undefined {
  if (!key) return undefined;
  return index === 0 ? key : `${key}#${index}`;
}

/**
 * Feishu's `uuid` from a send's idempotency key: a hash, because keys can be longer than the 50
 * characters Feishu allows, and the same key must always give the same uuid.
 */
export function feishuUuid(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, UUID_LENGTH);
}
