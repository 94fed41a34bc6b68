import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeFeishuDocs } from './feishu-docs.ts';
import { ApiError, imageFormat, multipartParts, ok, rateLimited, readRaw, type Answer } from './feishu-wire.ts';

/**
 * A local server that speaks the Feishu Open API as @larksuiteoapi/node-sdk calls it, for the
 * endpoints the bot uses. Point the real `lark.Client` at it with `domain: fake.url`.
 *
 * It checks what Feishu checks (the bearer tenant token, receive_id_type, msg_type, content JSON,
 * the 30 KB limit of cards and posts → 230025, the card form rules), honours `uuid` idempotency
 * for an hour, keeps the chats' state (messages by chat and by id, threads, files), records every
 * call, and can be told to throttle (99991400 with `x-ogw-ratelimit-reset`).
 */

export const FEISHU_CARD_LIMIT_BYTES = 30 * 1024;
export const FEISHU_TEXT_LIMIT_BYTES = 150 * 1024;
const RECEIVE_ID_TYPES = ['open_id', 'user_id', 'union_id', 'email', 'chat_id'];
const MSG_TYPES = ['text', 'post', 'interactive', 'file', 'image', 'share_chat', 'share_user', 'audio', 'media', 'sticker'];
const FILE_TYPES = ['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'];
const IMAGE_TYPES = ['message', 'avatar'];
/** im.v1.image.create takes images up to 10 MB. */
const IMAGE_LIMIT_BYTES = 10 * 1024 * 1024;
const UUID_WINDOW_MS = 60 * 60 * 1000;

export interface FakeUser {
  open_id: string;
  name: string;
  email?: string;
}

export interface FakeChat {
  chat_id: string;
  chat_type: 'p2p' | 'group';
  /** For p2p chats: the user the bot talks to. */
  user?: string;
}

export interface FakeMessage {
  message_id: string;
  chat_id: string;
  msg_type: string;
  /** The content JSON string as sent (or as last updated). */
  content: string;
  /** 'bot' or the open_id of the person who wrote it. */
  sender: string;
  parent_id?: string;
  root_id?: string;
  thread_id?: string;
  create_time: number;
  /** How many times it was patched or updated. */
  edits: number;
}

export interface FakeFile {
  file_key: string;
  file_name: string;
  file_type: string;
  content: Buffer;
}

export interface FakeImage {
  image_key: string;
  image_type: string;
  /** What the leading bytes say it is: png, jpeg, gif, webp or bmp. */
  format: string;
  content: Buffer;
}

export interface RecordedCall {
  api: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** Bytes of the request body. */
  size: number;
  status: number;
  code: number;
  /** The receiver the call was charged to for rate limiting (open_id or chat_id), if any. */
  receiver?: string;
  /** ms, on the fake's clock (see FakeFeishuOptions.clock). */
  at: number;
}

export interface FakeFeishuOptions {
  appId?: string;
  appSecret?: string;
  botOpenId?: string;
  /** Message times and the `uuid` hour: ms since the epoch. Date.now by default. */
  now?: () => number;
  /**
   * The time its throttling counts in and its calls are recorded at (`RecordedCall.at`): the pacing
   * clock of the bot under test (its VirtualClock, say), so that the limits hold at the pace the
   * bot keeps, not at the speed the test runs. `now` by default.
   */
  clock?: { now(): number };
}

export class FakeFeishuOpenApi {
  readonly appId: string;
  readonly appSecret: string;
  readonly botOpenId: string;
  readonly users = new Map<string, FakeUser>();
  readonly chats = new Map<string, FakeChat>();
  readonly messages = new Map<string, FakeMessage>();
  readonly files = new Map<string, FakeFile>();
  readonly images = new Map<string, FakeImage>();
  readonly calls: RecordedCall[] = [];
  /** Documents, drive media and wiki nodes (feishu-docs.ts). */
  readonly docs = new FakeFeishuDocs();
  private readonly tokens = new Set<string>();
  private readonly uuids = new Map<string, { at: number; answer: Answer }>();
  private readonly now: () => number;
  private readonly callTime: () => number;
  private server: Server | null = null;
  private nextId = 1;
  private storm: { remaining: number; resetSeconds: number; status: number; apis: string[] | null } | null = null;
  private qps: { perReceiver: number; resetSeconds: number } | null = null;
  private readonly threadless = new Set<string>();

  constructor(options: FakeFeishuOptions = {}) {
    this.appId = options.appId ?? 'cli_fake_app';
    this.appSecret = options.appSecret ?? 'fake-app-secret';
    this.botOpenId = options.botOpenId ?? 'ou_fake_bot';
    this.now = options.now ?? Date.now;
    const clock = options.clock;
    this.callTime = clock ? () => clock.now() : this.now;
  }

  // ---- lifecycle ----

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    if (!this.server) throw new Error('fake Feishu Open API not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }

  // ---- setting up the tenant ----

  addUser(user: FakeUser): this {
    this.users.set(user.open_id, user);
    return this;
  }

  addGroup(chatId: string): this {
    this.chats.set(chatId, { chat_id: chatId, chat_type: 'group' });
    return this;
  }

  /** The p2p chat between the bot and a user (created the first time either side writes). */
  p2pChatOf(openId: string): FakeChat {
    const chatId = `oc_p2p_${openId}`;
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { chat_id: chatId, chat_type: 'p2p', user: openId };
      this.chats.set(chatId, chat);
    }
    return chat;
  }

  // ---- throttling ----

  /** The next `count` calls (of the given APIs, or any) are refused with 99991400. */
  rateLimitStorm(count: number, options: { resetSeconds?: number; status?: 429 | 400; apis?: string[] } = {}): void {
    this.storm = { remaining: count, resetSeconds: options.resetSeconds ?? 1, status: options.status ?? 429, apis: options.apis ?? null };
  }

  /** Refuses (99991400) calls past `perReceiver` per second to one user or chat, as Feishu does. */
  limitPerReceiver(perReceiver: number, resetSeconds = 1): void {
    this.qps = { perReceiver, resetSeconds };
  }

  /**
   * Refuses thread replies (`reply_in_thread`) in a chat. Whether every kind of Feishu chat takes
   * thread replies is not documented; the bot must cope with one that does not.
   */
  refuseThreadsIn(chatId: string): void {
    this.threadless.add(chatId);
  }

  // ---- what people do ----

  /**
   * A person writes to the bot (in their p2p chat unless `chatId` is given), optionally as a reply
   * to `replyTo` (in its thread when `inThread`). Returns the stored message; build the event for
   * it with feishu-webhook.ts.
   */
  userWrites(openId: string, message: { msgType: 'text' | 'post'; content: string; chatId?: string; replyTo?: string; inThread?: boolean }): FakeMessage {
    const chat = message.chatId ? this.chats.get(message.chatId) : this.p2pChatOf(openId);
    if (!chat) throw new Error(`fake Feishu: no chat ${message.chatId}`);
    const parent = message.replyTo ? this.messages.get(message.replyTo) : undefined;
    if (message.replyTo && !parent) throw new Error(`fake Feishu: no message ${message.replyTo} to reply to`);
    return this.store({
      chat_id: chat.chat_id,
      msg_type: message.msgType,
      content: message.content,
      sender: openId,
      ...(parent ? this.replyFields(parent, message.inThread ?? true) : {}),
    });
  }

  // ---- reading the state ----

  /** Messages of a chat in order; top-level only unless `all`. */
  chatMessages(chatId: string, options: { all?: boolean } = {}): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.chat_id === chatId && (options.all || !m.root_id));
  }

  /** The replies under a message (its thread), in order. */
  threadOf(rootId: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.root_id === rootId);
  }

  callsTo(api: string): RecordedCall[] {
    return this.calls.filter((c) => c.api === api);
  }

  // ---- the server ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readRaw(req);
    const record: RecordedCall = {
      api: 'unknown',
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      size: raw.length,
      status: 200,
      code: 0,
      at: this.callTime(),
    };
    let answer: Answer;
    try {
      answer = await this.route(req, url, raw, record);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      answer = { status: error.status, body: { code: error.code, msg: error.message }, headers: error.headers };
    }
    record.status = answer.status;
    record.code = typeof answer.body.code === 'number' ? answer.body.code : 0;
    this.calls.push(record);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  private async route(req: IncomingMessage, url: URL, raw: Buffer, record: RecordedCall): Promise<Answer> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const isJson = (req.headers['content-type'] ?? '').includes('application/json');
    const json = (): Record<string, unknown> => {
      if (!isJson && raw.length > 0) throw new ApiError(400, 9499, 'expected application/json');
      try {
        const parsed = raw.length ? (JSON.parse(raw.toString('utf8')) as unknown) : {};
        if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
        record.body = parsed;
        return parsed as Record<string, unknown>;
      } catch {
        throw new ApiError(400, 9499, 'request body is not JSON');
      }
    };

    if (method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') {
      record.api = 'auth.v3.tenant_access_token.internal';
      const body = json();
      if (body.app_id !== this.appId || body.app_secret !== this.appSecret) throw new ApiError(400, 10014, 'app secret invalid');
      const token = `t-fake-${randomBytes(8).toString('hex')}`;
      this.tokens.add(token);
      return ok({ tenant_access_token: token, expire: 7200 }, false);
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) throw new ApiError(400, 99991661, 'Missing access token for authorization');
    if (!this.tokens.has(bearer)) throw new ApiError(400, 99991663, 'Invalid access token for authorization');

    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/open-apis/bot/v3/info') {
      record.api = 'bot.v3.info';
      return ok({ bot: { open_id: this.botOpenId, app_name: 'Weekly report (fake)', activate_status: 2 } }, false);
    }
    if (method === 'POST' && path === '/open-apis/im/v1/messages') {
      record.api = 'im.v1.message.create';
      const body = json();
      return this.createMessage(url, body, raw.length, record);
    }
    if (method === 'POST' && (match = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(path))) {
      record.api = 'im.v1.message.reply';
      const body = json();
      return this.replyMessage(decodeURIComponent(match[1]!), body, raw.length, record);
    }
    if ((method === 'PATCH' || method === 'PUT') && (match = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(path))) {
      record.api = method === 'PATCH' ? 'im.v1.message.patch' : 'im.v1.message.update';
      const body = json();
      return this.updateMessage(method, decodeURIComponent(match[1]!), body, raw.length, record);
    }
    if (method === 'GET' && path === '/open-apis/im/v1/messages') {
      record.api = 'im.v1.message.list';
      this.throttle(record, null);
      return this.listMessages(url);
    }
    if (method === 'GET' && (match = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(path))) {
      record.api = 'im.v1.message.get';
      const message = this.messages.get(decodeURIComponent(match[1]!));
      if (!message) throw new ApiError(400, 230001, 'message not found');
      return ok({ items: [messageView(message)] });
    }
    if (method === 'POST' && path === '/open-apis/im/v1/files') {
      record.api = 'im.v1.file.create';
      this.throttle(record, null);
      return this.createFile(req, raw, record);
    }
    if (method === 'POST' && path === '/open-apis/im/v1/images') {
      record.api = 'im.v1.image.create';
      this.throttle(record, null);
      return this.createImage(req, raw, record);
    }
    if (method === 'GET' && (match = /^\/open-apis\/contact\/v3\/users\/([^/]+)$/.exec(path)) && match[1] !== 'batch_get_id') {
      record.api = 'contact.v3.user.get';
      this.throttle(record, null);
      if ((url.searchParams.get('user_id_type') ?? 'open_id') !== 'open_id') throw new ApiError(400, 99992402, 'field validation failed: user_id_type');
      const user = this.users.get(decodeURIComponent(match[1]!));
      if (!user) throw new ApiError(400, 41050, 'no user authority error');
      return ok({ user: { open_id: user.open_id, name: user.name, email: user.email ?? '', enterprise_email: '' } });
    }
    if (method === 'POST' && path === '/open-apis/contact/v3/users/batch_get_id') {
      record.api = 'contact.v3.user.batch_get_id';
      this.throttle(record, null);
      const body = json();
      const emails = Array.isArray(body.emails) ? (body.emails as unknown[]).filter((e): e is string => typeof e === 'string') : [];
      if (emails.length === 0 && !Array.isArray(body.mobiles)) throw new ApiError(400, 99992402, 'field validation failed: emails or mobiles');
      const users = [...this.users.values()];
      return ok({
        user_list: emails.map((email) => {
          const user = users.find((u) => u.email?.toLowerCase() === email.toLowerCase());
          return user ? { user_id: user.open_id, email } : { email };
        }),
      });
    }
    const docs = await this.docs.route(method, path, url, req, raw, json, {
      setApi: (api) => (record.api = api),
      setBody: (body) => (record.body = body),
      throttle: (_api, receiver) => this.throttle(record, receiver),
    });
    if (docs) return docs;
    throw new ApiError(404, 404, `fake Feishu Open API has no ${method} ${path}`);
  }

  private createMessage(url: URL, body: Record<string, unknown>, size: number, record: RecordedCall): Answer {
    const type = url.searchParams.get('receive_id_type');
    if (!type || !RECEIVE_ID_TYPES.includes(type)) throw new ApiError(400, 99992402, 'field validation failed: receive_id_type');
    const receiveId = body.receive_id;
    if (typeof receiveId !== 'string' || receiveId === '') throw new ApiError(400, 99992402, 'field validation failed: receive_id');
    let chat: FakeChat;
    if (type === 'chat_id') {
      const found = this.chats.get(receiveId);
      if (!found) throw new ApiError(400, 230002, 'Bot/User can NOT be out of the chat.');
      chat = found;
    } else if (type === 'open_id') {
      if (!this.users.has(receiveId)) throw new ApiError(400, 230013, 'Bot has NO availability to this user.');
      chat = this.p2pChatOf(receiveId);
    } else {
      throw new ApiError(400, 99992402, `fake Feishu supports receive_id_type open_id and chat_id, not ${type}`);
    }
    this.throttle(record, chat.chat_id === `oc_p2p_${receiveId}` ? receiveId : chat.chat_id);
    const { msgType, content } = this.validContent(body, size);
    return this.idempotent(body.uuid, () => ok(messageView(this.store({ chat_id: chat.chat_id, msg_type: msgType, content, sender: 'bot' }))));
  }

  /**
   * im.v1.message.list of a chat (container_id_type=chat): its messages, thread replies aside,
   * between start_time and end_time (seconds), oldest first unless sort_type says otherwise,
   * page_size (≤ 50, 20 by default) a page, paged with an opaque page_token.
   */
  private listMessages(url: URL): Answer {
    const q = (name: string) => url.searchParams.get(name) ?? undefined;
    if (q('container_id_type') !== 'chat') throw new ApiError(400, 99992402, 'field validation failed: container_id_type (the fake lists chats only)');
    const chatId = q('container_id');
    if (!chatId) throw new ApiError(400, 99992402, 'field validation failed: container_id');
    if (!this.chats.has(chatId)) throw new ApiError(400, 230002, 'Bot/User can NOT be out of the chat.');
    const seconds = (name: string): number | undefined => {
      const value = q(name);
      if (value === undefined) return undefined;
      if (!/^\d+$/.test(value)) throw new ApiError(400, 99992402, `field validation failed: ${name}`);
      return Number(value) * 1000;
    };
    const start = seconds('start_time');
    const end = seconds('end_time');
    const sort = q('sort_type') ?? 'ByCreateTimeAsc';
    if (sort !== 'ByCreateTimeAsc' && sort !== 'ByCreateTimeDesc') throw new ApiError(400, 99992402, 'field validation failed: sort_type');
    const pageSize = Number(q('page_size') ?? 20);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) throw new ApiError(400, 99992402, 'field validation failed: page_size');
    const token = q('page_token');
    const offset = token === undefined ? 0 : Number(/^p(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'))?.[1] ?? NaN);
    if (!Number.isInteger(offset)) throw new ApiError(400, 99992402, 'field validation failed: page_token');
    const all = [...this.messages.values()]
      .filter((m) => m.chat_id === chatId && !m.thread_id && (start === undefined || m.create_time >= start) && (end === undefined || m.create_time <= end))
      .sort((a, b) => (sort === 'ByCreateTimeAsc' ? 1 : -1) * (a.create_time - b.create_time || messageNumber(a) - messageNumber(b)));
    const page = all.slice(offset, offset + pageSize);
    const more = offset + pageSize < all.length;
    return ok({ has_more: more, ...(more ? { page_token: Buffer.from(`p${offset + pageSize}`).toString('base64url') } : {}), items: page.map(messageView) });
  }

  private replyMessage(parentId: string, body: Record<string, unknown>, size: number, record: RecordedCall): Answer {
    const parent = this.messages.get(parentId);
    if (!parent) throw new ApiError(400, 230011, 'The message is not found or was withdrawn.');
    this.throttle(record, this.receiverOf(parent.chat_id));
    const { msgType, content } = this.validContent(body, size);
    const inThread = body.reply_in_thread === true;
    if (inThread && this.threadless.has(parent.chat_id)) throw new ApiError(400, 230001, 'Your request contains an invalid request parameter: reply_in_thread');
    return this.idempotent(body.uuid, () =>
      ok(messageView(this.store({ chat_id: parent.chat_id, msg_type: msgType, content, sender: 'bot', ...this.replyFields(parent, inThread) }))),
    );
  }

  private updateMessage(method: string, messageId: string, body: Record<string, unknown>, size: number, record: RecordedCall): Answer {
    const message = this.messages.get(messageId);
    if (!message) throw new ApiError(400, 230001, 'message not found');
    this.throttle(record, this.receiverOf(message.chat_id));
    if (message.sender !== 'bot') throw new ApiError(400, 230027, 'Lack of necessary permissions: the bot can only update its own messages');
    if (method === 'PATCH') {
      // im.v1.message.patch updates cards only.
      if (message.msg_type !== 'interactive') throw new ApiError(400, 230031, 'The message is not a card and cannot be patched');
      const { content } = this.validContent({ msg_type: 'interactive', content: body.content }, size);
      const before = JSON.parse(message.content) as CardShape;
      const after = JSON.parse(content) as CardShape;
      // Feishu updates only shared cards, declared so before and after, and keeps the JSON version.
      if (!sharedCard(before) || !sharedCard(after))
        throw new ApiError(400, 230099, 'the card must declare config.update_multi: true before and after the update');
      if ((before.schema ?? '1.0') !== (after.schema ?? '1.0')) throw new ApiError(400, 230099, 'a card cannot change its JSON version when updated');
      message.content = content;
    } else {
      if (message.msg_type !== 'text' && message.msg_type !== 'post') throw new ApiError(400, 230001, 'only text and post messages can be updated');
      const { msgType, content } = this.validContent(body, size);
      if (msgType !== message.msg_type) throw new ApiError(400, 230001, 'msg_type cannot change');
      message.content = content;
    }
    message.edits += 1;
    return ok({});
  }

  private async createFile(req: IncomingMessage, raw: Buffer, record: RecordedCall): Promise<Answer> {
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) throw new ApiError(400, 99992402, 'expected multipart/form-data');
    let form: FormData;
    try {
      form = await new Request('http://fake/upload', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
    } catch {
      throw new ApiError(400, 99992402, 'malformed multipart body');
    }
    const fileType = form.get('file_type');
    const fileName = form.get('file_name');
    const file = form.get('file');
    record.body = { file_type: fileType, file_name: fileName };
    if (typeof fileType !== 'string' || !FILE_TYPES.includes(fileType)) throw new ApiError(400, 99992402, 'field validation failed: file_type');
    if (typeof fileName !== 'string' || fileName === '') throw new ApiError(400, 99992402, 'field validation failed: file_name');
    // The SDK (through axios and form-data) sends a Buffer as a field without a filename; a stream as a file.
    const content = typeof file === 'string' ? Buffer.from(file, 'utf8') : file ? Buffer.from(await file.arrayBuffer()) : null;
    if (!content || content.length === 0) throw new ApiError(400, 234006, 'The file is empty');
    const fileKey = `file_v3_fake_${this.nextId++}`;
    this.files.set(fileKey, { file_key: fileKey, file_name: fileName, file_type: fileType, content });
    return ok({ file_key: fileKey });
  }

  /** im.v1.image.create: a message (or avatar) image of a format Feishu reads, at most 10 MB; answers its image_key. */
  private async createImage(req: IncomingMessage, raw: Buffer, record: RecordedCall): Promise<Answer> {
    const parts = multipartParts(req, raw);
    const imageType = parts.get('image_type')?.toString('utf8');
    const content = parts.get('image');
    record.body = { image_type: imageType };
    if (!imageType || !IMAGE_TYPES.includes(imageType)) throw new ApiError(400, 234001, 'Invalid request param: image_type');
    if (!content || content.length === 0) throw new ApiError(400, 234010, "File's size can't be 0.");
    if (content.length > IMAGE_LIMIT_BYTES) throw new ApiError(400, 234006, 'The file size exceed the max value.');
    const format = imageFormat(content);
    if (!format) throw new ApiError(400, 234011, "Can't recognize the image format.");
    const imageKey = `img_v3_fake_${this.nextId++}`;
    this.images.set(imageKey, { image_key: imageKey, image_type: imageType, format, content });
    return ok({ image_key: imageKey });
  }

  /** Checks msg_type and content as Feishu does; returns them. */
  private validContent(body: Record<string, unknown>, size: number): { msgType: string; content: string } {
    const msgType = body.msg_type;
    if (typeof msgType !== 'string' || !MSG_TYPES.includes(msgType)) throw new ApiError(400, 99992402, 'field validation failed: msg_type');
    if (typeof body.content !== 'string') throw new ApiError(400, 99992402, 'field validation failed: content must be a JSON string');
    let content: unknown;
    try {
      content = JSON.parse(body.content);
    } catch {
      throw new ApiError(400, 230001, 'Your request contains an invalid request parameter: content is not JSON');
    }
    const limit = msgType === 'text' ? FEISHU_TEXT_LIMIT_BYTES : FEISHU_CARD_LIMIT_BYTES;
    if ((msgType === 'text' || msgType === 'post' || msgType === 'interactive') && size > limit) {
      throw new ApiError(400, 230025, `The message is too long: ${size} bytes, the limit is ${limit}`);
    }
    const problem = contentProblem(msgType, content, this.files, this.images);
    if (problem) throw new ApiError(400, msgType === 'interactive' ? 230099 : 230001, problem);
    return { msgType, content: body.content };
  }

  private idempotent(uuid: unknown, send: () => Answer): Answer {
    if (uuid === undefined) return send();
    if (typeof uuid !== 'string' || uuid.length === 0 || uuid.length > 50)
      throw new ApiError(400, 99992402, 'field validation failed: uuid (at most 50 characters)');
    const earlier = this.uuids.get(uuid);
    if (earlier && this.now() - earlier.at < UUID_WINDOW_MS) return earlier.answer;
    const answer = send();
    this.uuids.set(uuid, { at: this.now(), answer });
    return answer;
  }

  /** Throttles one call as Feishu would, when told to; charges it to `receiver`. */
  private throttle(record: RecordedCall, receiver: string | null): void {
    if (receiver) record.receiver = receiver;
    const storm = this.storm;
    if (storm && storm.remaining > 0 && (!storm.apis || storm.apis.includes(record.api))) {
      storm.remaining -= 1;
      throw rateLimited(storm.status, storm.resetSeconds);
    }
    if (this.qps && receiver) {
      const since = this.callTime() - 1000;
      const recent = this.calls.filter((c) => c.receiver === receiver && c.at > since && c.code === 0).length;
      if (recent >= this.qps.perReceiver) throw rateLimited(429, this.qps.resetSeconds);
    }
  }

  private receiverOf(chatId: string): string {
    const chat = this.chats.get(chatId);
    return chat?.chat_type === 'p2p' && chat.user ? chat.user : chatId;
  }

  private replyFields(parent: FakeMessage, inThread: boolean): Pick<FakeMessage, 'parent_id' | 'root_id' | 'thread_id'> {
    const root = parent.root_id ?? parent.message_id;
    return { parent_id: parent.message_id, root_id: root, ...(inThread || parent.thread_id ? { thread_id: `omt_${root}` } : {}) };
  }

  private store(fields: Omit<FakeMessage, 'message_id' | 'create_time' | 'edits'>): FakeMessage {
    const message: FakeMessage = { message_id: `om_fake_${this.nextId++}`, create_time: this.now(), edits: 0, ...fields };
    this.messages.set(message.message_id, message);
    return message;
  }
}

/** The creation order of a fake message id (`om_fake_<n>`), for messages created in the same millisecond. */
function messageNumber(message: FakeMessage): number {
  return Number(/(\d+)$/.exec(message.message_id)?.[1] ?? 0);
}

function messageView(message: FakeMessage): Record<string, unknown> {
  return {
    message_id: message.message_id,
    ...(message.root_id ? { root_id: message.root_id, parent_id: message.parent_id } : {}),
    ...(message.thread_id ? { thread_id: message.thread_id } : {}),
    msg_type: message.msg_type,
    create_time: String(message.create_time),
    update_time: String(message.create_time),
    deleted: false,
    updated: message.edits > 0,
    chat_id: message.chat_id,
    sender:
      message.sender === 'bot'
        ? { id: 'cli_fake_app', id_type: 'app_id', sender_type: 'app' }
        : { id: message.sender, id_type: 'open_id', sender_type: 'user' },
    body: { content: message.content },
  };
}

/** What Feishu would object to in a message's content, or null. */
function contentProblem(msgType: string, content: unknown, files: Map<string, FakeFile>, images: Map<string, FakeImage>): string | null {
  if (!content || typeof content !== 'object' || Array.isArray(content)) return 'content must be a JSON object';
  const record = content as Record<string, unknown>;
  switch (msgType) {
    case 'text':
      return typeof record.text === 'string' ? null : 'text content needs "text"';
    case 'post': {
      const post = Array.isArray(record.content) ? record : (Object.values(record)[0] as Record<string, unknown> | undefined);
      if (!post || !Array.isArray(post.content)) return 'post content needs "content" (paragraphs), directly or under a locale';
      const paragraphs = post.content as unknown[];
      if (!paragraphs.every((p) => Array.isArray(p) && p.every((e) => e && typeof e === 'object' && typeof (e as { tag?: unknown }).tag === 'string'))) {
        return 'post paragraphs must be arrays of elements with a tag';
      }
      return null;
    }
    case 'file':
      return typeof record.file_key === 'string' && files.has(record.file_key) ? null : 'file content needs the file_key of an uploaded file';
    case 'image':
      return typeof record.image_key === 'string' && images.get(record.image_key)?.image_type === 'message'
        ? null
        : 'image content needs the image_key of an uploaded message image';
    case 'interactive':
      return cardProblem(record, images);
    default:
      return null;
  }
}

interface CardShape {
  schema?: string;
  config?: { update_multi?: boolean };
}

/** JSON 2.0 cards are shared unless said otherwise; 1.0 cards only when they say so. */
function sharedCard(card: CardShape): boolean {
  return card.schema === '2.0' ? card.config?.update_multi !== false : card.config?.update_multi === true;
}

const CARD_TAGS = new Set([
  'markdown',
  'div',
  'hr',
  'form',
  'input',
  'button',
  'column_set',
  'column',
  'img',
  'note',
  'collapsible_panel',
  'action',
  'select_static',
]);

/** Card JSON 2.0 rules the bot's cards must keep (a card breaking them is refused). */
function cardProblem(card: Record<string, unknown>, images: Map<string, FakeImage>): string | null {
  if (card.schema !== '2.0') {
    return Array.isArray(card.elements) ? null : 'card JSON 1.0 needs "elements"';
  }
  const body = card.body as { elements?: unknown } | undefined;
  if (!body || !Array.isArray(body.elements)) return 'card JSON 2.0 needs body.elements';
  const names = new Set<string>();
  const check = (elements: unknown[], inForm: boolean): string | null => {
    for (const element of elements) {
      if (!element || typeof element !== 'object') return 'card element must be an object';
      const e = element as Record<string, unknown>;
      if (typeof e.tag !== 'string' || !CARD_TAGS.has(e.tag)) return `unknown card element tag ${String(e.tag)}`;
      if (e.tag === 'markdown' && typeof e.content !== 'string') return 'markdown element needs content';
      if (e.tag === 'img' && (typeof e.img_key !== 'string' || images.get(e.img_key)?.image_type !== 'message')) {
        return `img element needs the img_key of an uploaded message image, got ${String(e.img_key)}`;
      }
      if (e.tag === 'form') {
        if (inForm) return 'a form cannot hold a form';
        if (typeof e.name !== 'string' || !e.name) return 'form needs a name';
        if (!Array.isArray(e.elements)) return 'form needs elements';
        const inner = check(e.elements, true);
        if (inner) return inner;
      }
      if (e.tag === 'input' || (e.tag === 'button' && inForm)) {
        if (inForm && (typeof e.name !== 'string' || !e.name)) return `${e.tag} in a form needs a name`;
        if (inForm && names.has(e.name as string)) return `duplicate component name ${String(e.name)}`;
        if (inForm) names.add(e.name as string);
      }
      if (e.tag === 'select_static') {
        const options = e.options as { value?: unknown }[] | undefined;
        if (!Array.isArray(options) || options.length === 0 || !options.every((o) => typeof o.value === 'string'))
          return 'select_static needs options with string values';
        if (e.initial_option !== undefined && !options.some((o) => o.value === e.initial_option))
          return 'select_static initial_option must be the value of one of its options';
      }
      if (e.tag === 'input') {
        const max = e.max_length ?? 1000;
        if (typeof max !== 'number' || max < 1 || max > 1000) return 'input max_length must be within [1, 1000]';
        if (typeof e.default_value === 'string' && [...e.default_value].length > max) return 'input default_value is longer than max_length';
      }
    }
    return null;
  };
  return check(body.elements, false);
}
