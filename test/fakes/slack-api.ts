import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

/**
 * A local server that speaks the part of Slack's Web API the bot uses, so that the real WebClient
 * (and the real Bolt App) can be tested without Slack. It records every call, validates the
 * arguments of each method and answers errors the way Slack does (`{ ok: false, error }`), checks
 * the bearer token, can answer 429 with Retry-After, and keeps what channels show (messages,
 * threads, edits, uploaded files) so that tests read back what people would see.
 *
 * Also here: `signedPost`, which sends a request to the app signed like Slack signs them.
 */

export interface FakeUser {
  id: string;
  name: string;
  realName?: string;
  email?: string;
  tz?: string;
}

export interface FakeSlackOptions {
  /** The only bot token the fake accepts. */
  token: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  users?: FakeUser[];
  /** Channels (public or private) the bot is a member of. */
  channels?: string[];
  /**
   * Socket Mode: `apps.connections.open` takes this app-level token (and no bot token) and
   * answers a URL of a local Socket Mode server (test/fakes/slack-socket-mode.ts).
   */
  socketMode?: { appToken: string; connectionUrl: () => string };
  /**
   * The time its rate limits count in and its calls are recorded at (`RecordedCall.at`): the
   * pacing clock of the bot under test (its VirtualClock, say), so that the limits hold at the
   * pace the bot keeps, not at the speed the test runs. Date.now by default.
   */
  clock?: { now(): number };
  /**
   * The bot token's scopes, for the methods that check one here (canvases.*): a method whose scope
   * is missing answers `missing_scope` with `needed` and `provided`, as Slack does. Every scope when unset.
   */
  scopes?: string[];
  /**
   * Whether the workspace's plan (or its admins) allow canvases: `disabled` answers
   * `canvas_disabled_user_team` to canvases.create and canvases.edit. Enabled when unset.
   */
  canvases?: 'enabled' | 'disabled';
}

/** A canvas as canvases.create made it and canvases.edit changed it. */
export interface FakeCanvas {
  id: string;
  title?: string;
  /** The channel it is tabbed in (canvases.create `channel_id`). */
  channel?: string;
  markdown: string;
  /** Times canvases.edit changed it. */
  edits: number;
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  /** ms, on the fake's clock (since the epoch by default) */
  at: number;
  outcome: 'ok' | 'error' | 'rate_limited';
  error?: string;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  user: string;
  botId?: string;
  text: string;
  blocks?: unknown[];
  files?: string[];
  /** Message metadata the app attached (chat.postMessage `metadata`). */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Times it was changed with chat.update. */
  edits: number;
}

export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  title?: string;
  /** Set once the bytes were posted to the upload URL. */
  content?: string;
  /** The same bytes as uploaded, for a binary file (a chart's PNG) that UTF-8 text would garble. */
  bytes?: Buffer;
  channel?: string;
  threadTs?: string;
  completed: boolean;
}

export interface FakeView {
  id: string;
  hash: string;
  triggerId: string;
  view: Record<string, unknown>;
}

export interface FakeResponse {
  /** The response_url path id. */
  id: string;
  body: Record<string, unknown>;
  at: number;
}

type Args = Record<string, unknown>;
type Answer = Record<string, unknown> & { ok: boolean };

class SlackError extends Error {
  constructor(
    readonly error: string,
    readonly detail?: string,
  ) {
    super(error);
  }
}

/** Arguments that WebClient sends JSON-encoded inside a form body. */
const JSON_ARGS = ['blocks', 'view', 'files', 'attachments', 'metadata', 'document_content', 'changes'];

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  readonly messages: FakeMessage[] = [];
  readonly files: FakeFile[] = [];
  readonly views: FakeView[] = [];
  readonly responses: FakeResponse[] = [];
  readonly canvases: FakeCanvas[] = [];
  readonly ephemerals: { channel: string; user: string; text: string }[] = [];
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;

  private readonly users = new Map<string, FakeUser>();
  private readonly channels = new Set<string>();
  private readonly storms = new Map<string, { times: number; retryAfter: number }>();
  private readonly perSecond = new Map<string, { limit: number; retryAfter: number; served: number[] }>();
  private readonly failures: { method: string; error: string; times: number; when?: (args: Args) => boolean }[] = [];
  private readonly usedTriggers = new Set<string>();
  private seq = 0;
  /** Where message timestamps come from: a fixed base unless a test ties them to its clock. */
  private clock: (() => number) | null = null;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: FakeSlackOptions,
  ) {
    this.botUserId = options.botUserId ?? 'UBOT000001';
    this.botId = options.botId ?? 'BBOT000001';
    this.teamId = options.teamId ?? 'T0000TEST1';
    for (const user of options.users ?? []) this.users.set(user.id, user);
    for (const channel of options.channels ?? []) this.channels.add(channel);
  }

  static async start(options: FakeSlackOptions): Promise<FakeSlackApi> {
    // The server exists before the fake that answers on it (which needs its port).
    const ready: { fake?: FakeSlackApi } = {};
    const server = createServer((req, res) => {
      ready.fake!.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    ready.fake = new FakeSlackApi(server, `http://127.0.0.1:${port}/`, options);
    return ready.fake;
  }

  /** For WebClient's `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.url}api/`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- steering ----

  /** A storm: the next `times` calls of `method` answer 429 with Retry-After. */
  rateLimit(method: string, { times, retryAfter = 1 }: { times: number; retryAfter?: number }): void {
    this.storms.set(method, { times, retryAfter });
  }

  /** At most `limit` calls of `method` per second; the others answer 429 with Retry-After. */
  rateLimitPerSecond(method: string, { limit, retryAfter = 1 }: { limit: number; retryAfter?: number }): void {
    this.perSecond.set(method, { limit, retryAfter, served: [] });
  }

  /** The next `times` calls of `method` (for which `when` holds) answer `{ ok: false, error }`. */
  failNext(method: string, error: string, { times = 1, when }: { times?: number; when?: (args: Args) => boolean } = {}): void {
    this.failures.push({ method, error, times, when });
  }

  /**
   * Gives messages the ts Slack would at the test's clock (seconds since the epoch of `now()`,
   * plus a sequence), so that time bounds like conversations.history's `oldest` agree with it.
   */
  useClock(now: () => number): void {
    this.clock = now;
  }

  /** A response_url for a slash command or interaction payload, on this server. */
  responseUrl(): string {
    return `${this.url}response/R${this.next()}`;
  }

  /** A trigger id, usable once with views.open, like the ones in Slack's interaction payloads. */
  triggerId(): string {
    return `${this.next()}.trigger`;
  }

  /**
   * Records a message a person typed (in the client), so that the channel shows it; returns it
   * with the ts Slack would have given it, for the event sent to the app.
   */
  userMessage(message: { channel: string; user: string; text: string; blocks?: unknown[]; threadTs?: string }): FakeMessage {
    const stored: FakeMessage = { ...message, ts: this.nextTs(), edits: 0 };
    if (!message.threadTs) delete stored.threadTs;
    // A person writing to the bot opens the DM; the bot may answer there without conversations.open.
    this.channels.add(message.channel);
    this.messages.push(stored);
    return stored;
  }

  /** A person edits their message; returns the new version. */
  userEdit(channel: string, ts: string, text: string, blocks?: unknown[]): FakeMessage {
    const message = this.message(channel, ts);
    if (!message) throw new Error(`no message ${ts} in ${channel}`);
    message.text = text;
    if (blocks) message.blocks = blocks;
    message.edits += 1;
    return message;
  }

  // ---- reading back ----

  /** The DM channel between the bot and a user (as conversations.open answers it). */
  dmChannelOf(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  callsTo(method: string, outcome?: RecordedCall['outcome']): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (!outcome || c.outcome === outcome));
  }

  message(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** What the channel shows: its top-level messages, oldest first. */
  channelMessages(channel: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && !m.threadTs);
  }

  /** A thread's replies, oldest first. */
  threadReplies(channel: string, ts: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === ts);
  }

  /** Messages the bot posted in a channel (top level and threads). */
  botMessages(channel: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.user === this.botUserId);
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.url).pathname;
    const raw = await readBody(req);
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: 'method_not_allowed' });
    if (path.startsWith('/api/')) return this.handleApi(path.slice('/api/'.length), req, raw, res);
    if (path.startsWith('/upload/')) return this.handleUpload(path.slice('/upload/'.length), req, raw, res);
    if (path.startsWith('/response/')) {
      this.responses.push({ id: path.slice('/response/'.length), body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    send(res, 404, { ok: false, error: 'not_found' });
  }

  private handleApi(method: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    const args = parseArgs(req, raw);
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : typeof args.token === 'string' ? args.token : undefined;
    const call: RecordedCall = { method, args, token, at: this.options.clock?.now() ?? Date.now(), outcome: 'ok' };
    this.calls.push(call);

    const retryAfter = this.rateLimited(method, call.at);
    if (retryAfter !== undefined) {
      call.outcome = 'rate_limited';
      call.error = 'ratelimited';
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    try {
      if (!token) throw new SlackError('not_authed');
      // apps.connections.open takes the app-level token only; every other method the bot token only.
      const appLevel = method === 'apps.connections.open';
      const expected = appLevel ? this.options.socketMode?.appToken : this.options.token;
      if (token !== expected)
        throw new SlackError(token === (appLevel ? this.options.token : this.options.socketMode?.appToken) ? 'not_allowed_token_type' : 'invalid_auth');
      const failure = this.failures.find((f) => f.method === method && f.times > 0 && (!f.when || f.when(args)));
      if (failure) {
        failure.times -= 1;
        throw new SlackError(failure.error);
      }
      const handler = this.methods[method] ?? this.canvasMethods[method];
      if (!handler) throw new SlackError('unknown_method');
      const scope = METHOD_SCOPES[method];
      if (scope && this.options.scopes && !this.options.scopes.includes(scope)) {
        call.outcome = 'error';
        call.error = 'missing_scope';
        return send(res, 200, { ok: false, error: 'missing_scope', needed: scope, provided: this.options.scopes.join(',') });
      }
      send(res, 200, handler(args));
    } catch (error) {
      if (!(error instanceof SlackError)) throw error;
      call.outcome = 'error';
      call.error = error.error;
      send(res, 200, {
        ok: false,
        error: error.error,
        ...(error.detail ? { response_metadata: { messages: [`[ERROR] ${error.detail}`] } } : {}),
      });
    }
  }

  private rateLimited(method: string, now: number): number | undefined {
    const storm = this.storms.get(method);
    if (storm && storm.times > 0) {
      storm.times -= 1;
      return storm.retryAfter;
    }
    const limit = this.perSecond.get(method);
    if (limit) {
      limit.served = limit.served.filter((t) => now - t < 1000);
      if (limit.served.length >= limit.limit) return limit.retryAfter;
      limit.served.push(now);
    }
    return undefined;
  }

  private handleUpload(fileId: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    const file = this.files.find((f) => f.id === fileId);
    if (!file) {
      res.writeHead(404);
      res.end();
      return;
    }
    const content = fileBytes(req, raw);
    if (content.length !== file.length) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`length ${content.length} does not match ${file.length}`);
      return;
    }
    file.content = content.toString('utf8');
    file.bytes = Buffer.from(content);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${content.length}`);
  }

  // ---- methods ----

  private readonly methods: Record<string, (args: Args) => Answer> = {
    'apps.connections.open': () => {
      if (!this.options.socketMode) throw new SlackError('not_allowed_token_type');
      return { ok: true, url: this.options.socketMode.connectionUrl() };
    },

    'auth.test': () => ({
      ok: true,
      url: 'https://fake.slack.test/',
      team: 'Fake',
      user: 'weekly-report',
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
    }),

    'conversations.open': (args) => {
      const users = required(args, 'users').split(',');
      if (users.length !== 1) throw new SlackError('not_implemented', 'the fake opens DMs with one user only');
      const user = users[0]!;
      if (!this.users.has(user)) throw new SlackError('user_not_found');
      const id = this.dmChannelOf(user);
      this.channels.add(id);
      return { ok: true, channel: { id } };
    },

    'chat.postMessage': (args) => {
      const channel = this.knownChannel(args);
      const { text, blocks } = messageContent(args);
      const threadTs = optionalString(args, 'thread_ts');
      if (threadTs && !this.message(channel, threadTs)) throw new SlackError('thread_not_found');
      const metadata = messageMetadata(args);
      const message: FakeMessage = { channel, ts: this.nextTs(), user: this.botUserId, botId: this.botId, text, edits: 0 };
      if (blocks) message.blocks = blocks;
      if (threadTs) message.threadTs = threadTs;
      if (metadata) message.metadata = metadata;
      this.messages.push(message);
      return { ok: true, channel, ts: message.ts, message: { text, ts: message.ts, user: this.botUserId, bot_id: this.botId } };
    },

    // The channel's top-level messages (and thread parents), newest first, `limit` a page, paged
    // with an opaque cursor; metadata only with include_all_metadata. Tier 3 in Slack.
    'conversations.history': (args) => {
      const channel = this.knownChannel(args);
      const limit = args.limit === undefined ? 100 : Number(args.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 999) throw new SlackError('invalid_limit');
      const oldest = optionalString(args, 'oldest') ?? '0';
      const latest = optionalString(args, 'latest');
      const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
      const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true' || args.include_all_metadata === '1';
      if (!/^\d+(\.\d+)?$/.test(oldest) || (latest !== undefined && !/^\d+(\.\d+)?$/.test(latest))) throw new SlackError('invalid_ts_oldest');
      const after = (ts: string, bound: string) => (inclusive ? compareTs(ts, bound) >= 0 : compareTs(ts, bound) > 0);
      const before = (ts: string, bound: string) => (inclusive ? compareTs(ts, bound) <= 0 : compareTs(ts, bound) < 0);
      const all = this.channelMessages(channel)
        .filter((m) => after(m.ts, oldest) && (latest === undefined || before(m.ts, latest)))
        .sort((a, b) => compareTs(b.ts, a.ts));
      const cursor = optionalString(args, 'cursor');
      const start = cursor === undefined ? 0 : cursorOffset(cursor);
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return {
        ok: true,
        messages: page.map((m) => ({
          type: 'message',
          ts: m.ts,
          user: m.user,
          text: m.text,
          ...(m.botId ? { bot_id: m.botId } : {}),
          ...(m.blocks ? { blocks: m.blocks } : {}),
          ...(m.files ? { files: m.files.map((id) => ({ id })) } : {}),
          ...(this.threadReplies(channel, m.ts).length > 0 ? { thread_ts: m.ts, reply_count: this.threadReplies(channel, m.ts).length } : {}),
          ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
        })),
        has_more: more,
        pin_count: 0,
        response_metadata: { next_cursor: more ? Buffer.from(`next_ts:${start + limit}`).toString('base64') : '' },
      };
    },

    'chat.update': (args) => {
      const channel = this.knownChannel(args);
      const ts = required(args, 'ts');
      const message = this.message(channel, ts);
      if (!message) throw new SlackError('message_not_found');
      if (message.user !== this.botUserId) throw new SlackError('cant_update_message');
      const { text, blocks } = messageContent(args);
      message.text = text;
      if (blocks && blocks.length > 0) message.blocks = blocks;
      else delete message.blocks;
      message.edits += 1;
      return { ok: true, channel, ts, text };
    },

    'chat.postEphemeral': (args) => {
      const channel = this.knownChannel(args);
      const user = required(args, 'user');
      if (!this.users.has(user)) throw new SlackError('user_not_in_channel');
      const { text } = messageContent(args);
      this.ephemerals.push({ channel, user, text });
      return { ok: true, message_ts: this.nextTs() };
    },

    'views.open': (args) => {
      const triggerId = required(args, 'trigger_id');
      const view = args.view;
      if (!view || typeof view !== 'object') throw new SlackError('invalid_arguments', 'missing required field: view');
      if (this.usedTriggers.has(triggerId)) throw new SlackError('expired_trigger_id');
      this.usedTriggers.add(triggerId);
      validateModal(view as Record<string, unknown>);
      const stored: FakeView = { id: `V${this.next()}`, hash: `${this.next()}.hash`, triggerId, view: view as Record<string, unknown> };
      this.views.push(stored);
      return { ok: true, view: { ...stored.view, id: stored.id, hash: stored.hash, state: { values: {} } } };
    },

    'users.info': (args) => {
      const user = this.users.get(required(args, 'user'));
      if (!user) throw new SlackError('user_not_found');
      return { ok: true, user: userObject(user) };
    },

    'users.lookupByEmail': (args) => {
      const email = required(args, 'email');
      const user = [...this.users.values()].find((u) => u.email === email);
      if (!user) throw new SlackError('users_not_found');
      return { ok: true, user: userObject(user) };
    },

    'files.getUploadURLExternal': (args) => {
      const filename = required(args, 'filename');
      const length = Number(required(args, 'length'));
      if (!Number.isInteger(length) || length < 0) throw new SlackError('invalid_arguments', 'length must be a byte count');
      const file: FakeFile = { id: `F${this.next()}`, filename, length, completed: false };
      this.files.push(file);
      return { ok: true, upload_url: `${this.url}upload/${file.id}`, file_id: file.id };
    },

    'files.completeUploadExternal': (args) => {
      const list = args.files;
      if (!Array.isArray(list) || list.length === 0) throw new SlackError('invalid_arguments', 'missing required field: files');
      const channel = optionalString(args, 'channel_id');
      const threadTs = optionalString(args, 'thread_ts');
      if (threadTs && !channel) throw new SlackError('invalid_arguments', 'thread_ts requires channel_id');
      if (channel && !this.channels.has(channel)) throw new SlackError('channel_not_found');
      if (channel && threadTs && !this.message(channel, threadTs)) throw new SlackError('thread_not_found');
      const files = list.map((entry: { id?: unknown; title?: unknown }) => {
        const file = this.files.find((f) => f.id === entry.id);
        if (!file || file.content === undefined) throw new SlackError('file_not_found');
        if (file.completed) throw new SlackError('file_already_completed');
        file.completed = true;
        if (typeof entry.title === 'string') file.title = entry.title;
        if (channel) file.channel = channel;
        if (threadTs) file.threadTs = threadTs;
        return file;
      });
      if (channel) {
        const message: FakeMessage = { channel, ts: this.nextTs(), user: this.botUserId, botId: this.botId, text: '', files: files.map((f) => f.id), edits: 0 };
        if (threadTs) message.threadTs = threadTs;
        this.messages.push(message);
      }
      return { ok: true, files: files.map((f) => ({ id: f.id, name: f.filename, title: f.title ?? f.filename })) };
    },
  };

  // ---- canvases ----

  private canvasMethods: Record<string, (args: Args) => Answer> = {
    // A canvas owned by the bot, tabbed in `channel_id` when given (required on free plans).
    'canvases.create': (args) => {
      this.canvasesAllowed();
      const channel = optionalString(args, 'channel_id');
      if (channel && !this.channels.has(channel)) throw new SlackError('channel_not_found');
      const title = args.title === undefined ? undefined : typeof args.title === 'string' ? args.title : invalid('title must be a string');
      const markdown = args.document_content === undefined ? '' : canvasContent(args.document_content, 'canvas_creation_failed');
      const canvas: FakeCanvas = { id: `F${String(this.next()).padStart(9, '0')}`, markdown, edits: 0 };
      if (title !== undefined) canvas.title = title;
      if (channel) canvas.channel = channel;
      this.canvases.push(canvas);
      return { ok: true, canvas_id: canvas.id };
    },

    // One change a call (Slack: "only one operation per API call is currently supported"); the fake
    // applies a whole-document `replace` and the `insert_at_start` / `insert_at_end` appends.
    'canvases.edit': (args) => {
      this.canvasesAllowed();
      const canvas = this.canvases.find((c) => c.id === required(args, 'canvas_id'));
      if (!canvas) throw new SlackError('canvas_not_found');
      const changes = args.changes;
      if (!Array.isArray(changes) || changes.length === 0) throw new SlackError('invalid_arguments', 'missing required field: changes');
      if (changes.length > 1) throw new SlackError('invalid_arguments', 'only one operation per call is supported');
      const change = changes[0] as { operation?: unknown; section_id?: unknown; document_content?: unknown };
      const markdown = canvasContent(change.document_content, 'canvas_editing_failed');
      switch (change.operation) {
        case 'replace':
          if (change.section_id !== undefined) throw new SlackError('not_implemented', 'the fake replaces whole canvases only');
          canvas.markdown = markdown;
          break;
        case 'insert_at_start':
          canvas.markdown = `${markdown}\n${canvas.markdown}`;
          break;
        case 'insert_at_end':
          canvas.markdown = `${canvas.markdown}\n${markdown}`;
          break;
        default:
          throw new SlackError('invalid_arguments', `unsupported operation: ${String(change.operation)}`);
      }
      canvas.edits += 1;
      return { ok: true };
    },
  };

  private canvasesAllowed(): void {
    if (this.options.canvases === 'disabled') throw new SlackError('canvas_disabled_user_team');
  }

  private knownChannel(args: Args): string {
    const channel = required(args, 'channel');
    if (!this.channels.has(channel)) throw new SlackError('channel_not_found');
    return channel;
  }

  private next(): number {
    this.seq += 1;
    return this.seq;
  }

  private nextTs(): string {
    const n = this.next();
    if (this.clock) return `${Math.floor(this.clock() / 1000)}.${String(n).padStart(6, '0')}`;
    return `${1717400000 + n}.${String(n).padStart(6, '0')}`;
  }
}

// ---- argument checks, as Slack makes them ----

/** The scope each method checks on the bot token (FakeSlackOptions.scopes). */
const METHOD_SCOPES: Record<string, string> = {
  'canvases.create': 'canvases:write',
  'canvases.edit': 'canvases:write',
};

/** Slack's documented limit on a canvas's markdown: 1 MiB, counted in characters. */
export const CANVAS_MARKDOWN_LIMIT = 1_048_576;

/**
 * `document_content` as canvases take it: `{ type: 'markdown', markdown }`, at most
 * CANVAS_MARKDOWN_LIMIT characters, and only the elements canvases document: a heading deeper than
 * h3, an image or raw HTML outside code is refused with `failure` (canvas_creation_failed,
 * canvas_editing_failed), which is what a payload Slack cannot turn into a canvas gets.
 */
function canvasContent(value: unknown, failure: string): string {
  if (!value || typeof value !== 'object') throw new SlackError('invalid_arguments', 'document_content must be an object');
  const { type, markdown } = value as { type?: unknown; markdown?: unknown };
  if (type !== 'markdown') throw new SlackError('invalid_arguments', 'document_content.type must be markdown');
  if (typeof markdown !== 'string') throw new SlackError('invalid_arguments', 'missing required field: document_content.markdown');
  if ([...markdown].length > CANVAS_MARKDOWN_LIMIT) throw new SlackError('invalid_arguments', `markdown longer than ${CANVAS_MARKDOWN_LIMIT} characters`);
  const unsupported = unsupportedCanvasMarkdown(markdown);
  if (unsupported) throw new SlackError(failure, unsupported);
  return markdown;
}

/** The first element canvases do not document, outside code blocks and spans, or undefined. */
export function unsupportedCanvasMarkdown(markdown: string): string | undefined {
  let fence: string | null = null;
  for (const [index, line] of markdown.split('\n').entries()) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (opener && opener[0] === fence[0] && opener.length >= fence.length && line.trim() === opener) fence = null;
      continue;
    }
    if (opener) {
      fence = opener;
      continue;
    }
    const where = `line ${index + 1}`;
    if (/^ {0,3}#{4,6}(?:[ \t]|$)/.test(line)) return `${where}: headings deeper than h3 are not supported`;
    const text = line.replace(/(`+)[^`]*?\1/g, '');
    if (/(?<!\\)!\[[^\]]*\]\((?!@|#)/.test(text)) return `${where}: images are not supported`;
    if (/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^>]*)?>/.test(text)) return `${where}: HTML is not supported`;
  }
  return undefined;
}

function invalid(detail: string): never {
  throw new SlackError('invalid_arguments', detail);
}

function required(args: Args, name: string): string {
  const value = args[name];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value === '') throw new SlackError('invalid_arguments', `missing required field: ${name}`);
  return value;
}

function optionalString(args: Args, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** chat.postMessage `metadata`: an event type (letters, digits, underscores) and a payload object, or Slack refuses it. */
function messageMetadata(args: Args): FakeMessage['metadata'] {
  const metadata = args.metadata;
  if (metadata === undefined) return undefined;
  const m = metadata as { event_type?: unknown; event_payload?: unknown } | null;
  if (!m || typeof m !== 'object' || typeof m.event_type !== 'string' || !/^[A-Za-z0-9_]+$/.test(m.event_type)) throw new SlackError('invalid_metadata_format');
  if (!m.event_payload || typeof m.event_payload !== 'object' || Array.isArray(m.event_payload)) throw new SlackError('invalid_metadata_schema');
  return { event_type: m.event_type, event_payload: m.event_payload as Record<string, unknown> };
}

/** Orders two message timestamps (`seconds.sequence`) as numbers, without float rounding. */
function compareTs(a: string, b: string): number {
  const [as = '0', af = ''] = a.split('.');
  const [bs = '0', bf = ''] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}

function cursorOffset(cursor: string): number {
  const match = /^next_ts:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new SlackError('invalid_cursor');
  return Number(match[1]);
}

const LIMITS = {
  text: 40_000,
  blocks: 50,
  sectionText: 3_000,
  markdownTotal: 12_000,
  buttonValue: 2_000,
  modalBlocks: 100,
  modalTitle: 24,
  privateMetadata: 3_000,
  inputMax: 3_000,
};

function messageContent(args: Args): { text: string; blocks?: unknown[] } {
  const text = typeof args.text === 'string' ? args.text : '';
  const blocks = args.blocks;
  if (blocks !== undefined && !Array.isArray(blocks)) throw new SlackError('invalid_blocks_format');
  if (text === '' && (!blocks || blocks.length === 0)) throw new SlackError('no_text');
  if ([...text].length > LIMITS.text) throw new SlackError('msg_too_long');
  if (blocks) validateMessageBlocks(blocks);
  return blocks ? { text, blocks } : { text };
}

function validateMessageBlocks(blocks: unknown[]): void {
  if (blocks.length > LIMITS.blocks) throw new SlackError('invalid_blocks', `no more than ${LIMITS.blocks} items allowed [json-pointer:/blocks]`);
  let markdown = 0;
  blocks.forEach((block, i) => {
    const b = block as { type?: unknown; text?: { text?: unknown } | string; elements?: unknown[] };
    switch (b.type) {
      case 'section': {
        const text = typeof b.text === 'object' ? b.text?.text : undefined;
        if (typeof text !== 'string' || text === '') throw new SlackError('invalid_blocks', `missing text [json-pointer:/blocks/${i}/text]`);
        if ([...text].length > LIMITS.sectionText)
          throw new SlackError('invalid_blocks', `must be less than ${LIMITS.sectionText + 1} characters [json-pointer:/blocks/${i}/text/text]`);
        break;
      }
      case 'markdown':
        if (typeof b.text !== 'string' || b.text === '') throw new SlackError('invalid_blocks', `missing text [json-pointer:/blocks/${i}/text]`);
        markdown += [...b.text].length;
        break;
      case 'actions':
        for (const element of b.elements ?? []) {
          const e = element as { action_id?: unknown; value?: unknown };
          if (typeof e.action_id !== 'string') throw new SlackError('invalid_blocks', `missing action_id [json-pointer:/blocks/${i}]`);
          if (typeof e.value === 'string' && e.value.length > LIMITS.buttonValue)
            throw new SlackError('invalid_blocks', `value too long [json-pointer:/blocks/${i}]`);
        }
        break;
      case 'context':
      case 'divider':
      case 'rich_text':
      case 'header':
        break;
      default:
        throw new SlackError('invalid_blocks', `unsupported type: ${String(b.type)} [json-pointer:/blocks/${i}/type]`);
    }
  });
  if (markdown > LIMITS.markdownTotal) throw new SlackError('invalid_blocks', `markdown blocks exceed ${LIMITS.markdownTotal} characters`);
}

function validateModal(view: Record<string, unknown>): void {
  const fail = (detail: string) => {
    throw new SlackError('invalid_arguments', detail);
  };
  if (view.type !== 'modal') fail('view.type must be modal');
  const title = (view.title as { text?: unknown } | undefined)?.text;
  if (typeof title !== 'string' || title === '') fail('missing required field: title');
  if ([...(title as string)].length > LIMITS.modalTitle) fail(`must be less than ${LIMITS.modalTitle + 1} characters [json-pointer:/view/title/text]`);
  const metadata = view.private_metadata;
  if (typeof metadata === 'string' && metadata.length > LIMITS.privateMetadata) fail('private_metadata too long');
  const blocks = view.blocks;
  if (!Array.isArray(blocks) || blocks.length === 0) fail('missing required field: blocks');
  if ((blocks as unknown[]).length > LIMITS.modalBlocks) fail(`no more than ${LIMITS.modalBlocks} items allowed [json-pointer:/view/blocks]`);
  const hasInput = (blocks as { type?: unknown }[]).some((b) => b.type === 'input');
  if (hasInput && !(view.submit as { text?: unknown } | undefined)?.text) fail('a view with inputs needs a submit button');
  (blocks as { type?: unknown; block_id?: unknown; element?: Record<string, unknown> }[]).forEach((block, i) => {
    if (block.type !== 'input') return;
    const element = block.element ?? {};
    if (element.type !== 'plain_text_input' || typeof element.action_id !== 'string') fail(`unsupported input [json-pointer:/view/blocks/${i}]`);
    const max = typeof element.max_length === 'number' ? element.max_length : LIMITS.inputMax;
    if (max > LIMITS.inputMax) fail(`max_length must be at most ${LIMITS.inputMax} [json-pointer:/view/blocks/${i}/element/max_length]`);
    const initial = element.initial_value;
    if (typeof initial === 'string' && [...initial].length > max)
      fail(`initial_value longer than max_length [json-pointer:/view/blocks/${i}/element/initial_value]`);
  });
}

function userObject(user: FakeUser): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    real_name: user.realName ?? user.name,
    tz: user.tz ?? 'Asia/Shanghai',
    is_bot: false,
    profile: { real_name: user.realName ?? user.name, display_name: user.name, ...(user.email ? { email: user.email } : {}) },
  };
}

// ---- bodies ----

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseArgs(req: IncomingMessage, raw: Buffer): Args {
  const type = req.headers['content-type'] ?? '';
  const text = raw.toString('utf8');
  if (type.startsWith('application/json')) return text ? (JSON.parse(text) as Args) : {};
  const args: Args = { ...parseQuery(text) };
  for (const name of JSON_ARGS) {
    const value = args[name];
    if (typeof value === 'string') {
      try {
        args[name] = JSON.parse(value);
      } catch {
        // Slack answers invalid_arguments for these; the validators see a string and say so.
      }
    }
  }
  return args;
}

/** The file's bytes: the only file part of a multipart body (what WebClient sends), or the raw body. */
function fileBytes(req: IncomingMessage, raw: Buffer): Buffer {
  const type = req.headers['content-type'] ?? '';
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (!type.startsWith('multipart/form-data') || !boundary) return raw;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = raw.indexOf(delimiter);
  const headerEnd = raw.indexOf('\r\n\r\n', start);
  const end = raw.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd);
  return raw.subarray(headerEnd + 4, end);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

// ---- requests to the app, signed like Slack signs them ----

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  /** Seconds since the epoch; now by default. Bolt refuses requests older than 5 minutes. */
  timestamp?: number;
  /** x-slack-retry-num: Slack's redelivery of an event (1–3). */
  retryNum?: number;
  retryReason?: string;
  /** Send no signature headers at all. */
  unsigned?: boolean;
  /** Send this signature instead of the right one. */
  signature?: string;
}

/**
 * POSTs to the app as Slack does: events as `application/json`, slash commands and interactions
 * as `application/x-www-form-urlencoded` (exactly that: with a charset Bolt would parse JSON).
 */
export async function signedPost(
  url: string,
  body: string,
  contentType: string,
  secret: string,
  options: SignedPostOptions = {},
): Promise<{ status: number; body: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': contentType };
  if (!options.unsigned) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = options.signature ?? slackSignature(secret, timestamp, body);
  }
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}
