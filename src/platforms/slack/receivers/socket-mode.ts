import { defaultProcessEventErrorHandler, webApi, type App, type Receiver, type ReceiverEvent, type Logger as SlackLogger } from '@slack/bolt';
import WebSocket from 'ws';

/**
 * Slack's Socket Mode with no gap when Slack refreshes a connection.
 *
 * Slack recycles Socket Mode connections routinely: it sends `{"type":"disconnect","reason":
 * "warning"}`, later `"refresh_requested"`, then drops the socket. @slack/socket-mode (2.0.7 under
 * Bolt 4, and 3.1.0 under Bolt 5 alike) closes the socket as soon as either arrives and opens the
 * next one about 5 s later (SocketModeClient.onWebSocketMessage → websocket.disconnect(), then
 * the 'close' listener → delayReconnectAttempt), so for those seconds nothing reaches the bot.
 *
 * This receiver opens the new connection first and closes the old one once the new one has said
 * `hello` (and the old one has sent the acks it owes). While both are open, Slack may deliver on
 * either, and redelivers on the new one what was not acked on the old one:
 * - an ack goes back on the socket its envelope came in on;
 * - an envelope id seen before is not processed again: it is acked again, with the first ack's
 *   answer, on the socket it came in on this time (or processed, if the first was never acked).
 *
 * A connection lost without warning (the network) is replaced at once, then with a backoff; one
 * that has heard nothing from Slack (not even a pong) for a while is replaced like a refresh.
 */

/** How long Slack has to say `hello` on a new connection. */
const HELLO_TIMEOUT_MS = 10_000;
/** The client pings this often; Slack's pongs (and its own pings) show that the socket is alive. */
const PING_INTERVAL_MS = 5_000;
/** Silence after which a connection is taken as dead (a half-open TCP connection sees no error). */
const SILENCE_TIMEOUT_MS = 30_000;
/** A replaced connection is closed when it owes no ack, or after this long (Slack's ack deadline). */
const DRAIN_TIMEOUT_MS = 3_000;
/** Waits between attempts to open a connection after one failed; the last repeats. */
const RECONNECT_DELAYS_MS = [0, 1_000, 2_000, 5_000, 10_000, 30_000];
/** Slack may not answer a close frame; the socket is dropped after this long. */
const CLOSE_HANDSHAKE_MS = 1_000;
/** Envelope ids remembered for duplicates (Slack redelivers within minutes). */
const REMEMBERED_ENVELOPES = 10_000;

export interface SocketModeReceiverOptions {
  appToken: string;
  /** The Web API base URL (apps.connections.open goes there), ending in a slash. */
  apiUrl: string;
  logger: SlackLogger;
  helloTimeoutMs?: number;
  pingIntervalMs?: number;
  silenceTimeoutMs?: number;
  drainTimeoutMs?: number;
  reconnectDelaysMs?: readonly number[];
  /** How long a closing connection waits for Slack's close frame before dropping the socket. */
  closeHandshakeMs?: number;
}

/** A message from Slack on a Socket Mode connection. */
interface SocketMessage {
  type?: string;
  reason?: string;
  envelope_id?: string;
  payload?: Record<string, unknown>;
  retry_attempt?: number;
  retry_reason?: string;
}

type Envelope = SocketMessage & { envelope_id: string };

interface Delivery {
  /** The payload of the ack, once the envelope was acked. */
  ack?: Record<string, unknown>;
  /** Resolves true when it is acked, false when its processing ended without an ack. */
  answered: Promise<boolean>;
}

export class OverlappingSocketModeReceiver implements Receiver {
  private app: App | undefined;
  private readonly logger: SlackLogger;
  private readonly client: webApi.WebClient;
  private readonly connections = new Set<SocketConnection>();
  private readonly deliveries = new Map<string, Delivery>();
  /** The connection being opened, if any: a refresh and a loss at the same time share it. */
  private opening: Promise<SocketConnection | undefined> | undefined;
  private stopping = false;
  private nextId = 1;
  private wakeRetry: (() => void) | undefined;

  constructor(private readonly options: SocketModeReceiverOptions) {
    this.logger = options.logger;
    // The app-level token only opens connections; the bot token makes every other call.
    this.client = new webApi.WebClient(options.appToken, {
      slackApiUrl: options.apiUrl,
      logger: options.logger,
      retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
      timeout: 10_000,
    });
  }

  init(app: App): void {
    this.app = app;
  }

  /** Resolves once the first connection is open; rejects when Slack refuses it (e.g. a wrong token). */
  async start(): Promise<void> {
    this.stopping = false;
    try {
      await this.connect();
    } catch (error) {
      throw new Error(
        `Slack did not open a Socket Mode connection for SLACK_APP_TOKEN (apps.connections.open at ${this.options.apiUrl}): ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeRetry?.();
    await Promise.all([...this.connections].map((c) => c.close()));
  }

  /** Connections that have said hello and are not closed yet (tests, health). */
  get openConnections(): number {
    return [...this.connections].filter((c) => c.state === 'live').length;
  }

  private async connect(): Promise<SocketConnection> {
    const opened = await this.client.apps.connections.open({});
    if (!opened.url) throw new Error('apps.connections.open answered without a URL');
    if (this.stopping) throw new Error('the receiver is stopping');
    const connection = new SocketConnection(this.nextId++, opened.url, this.options, {
      envelope: (c, envelope) => void this.receive(c, envelope),
      refreshRequested: (c, reason) => this.replace(c, `Slack asked to refresh it (${reason})`),
      silent: (c) => this.replace(c, 'it has heard nothing from Slack'),
      closed: (c, code) => this.onClosed(c, code),
      problem: (c, error) => this.logger.warn(`Socket Mode connection #${c.id}: ${error.message}`),
    });
    this.connections.add(connection);
    await connection.ready;
    this.logger.info(`Socket Mode connection #${connection.id} open`);
    return connection;
  }

  /** Opens a connection, retrying with a backoff until one is open or the receiver stops. */
  private openConnection(): Promise<SocketConnection | undefined> {
    this.opening ??= this.connectUntilOpen().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async connectUntilOpen(): Promise<SocketConnection | undefined> {
    const delays = this.options.reconnectDelaysMs ?? RECONNECT_DELAYS_MS;
    for (let attempt = 0; !this.stopping; attempt += 1) {
      try {
        return await this.connect();
      } catch (error) {
        if (this.stopping) break;
        const wait = delays[Math.min(attempt + 1, delays.length - 1)] ?? 0;
        const level = this.openConnections === 0 ? 'error' : 'warn';
        this.logger[level](`Socket Mode: could not open a connection (${(error as Error).message}); trying again in ${wait} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeRetry = undefined;
      }
    }
    return undefined;
  }

  /** A new connection first; the old one is closed once the new one is open and the old one owes no ack. */
  private replace(old: SocketConnection, why: string): void {
    if (old.replaced || this.stopping) return;
    old.replaced = true;
    this.logger.info(`Socket Mode connection #${old.id}: ${why}; opening the next one before closing it`);
    void (async () => {
      const fresh = await this.openConnection();
      if (!fresh) return;
      await old.drained(this.options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS);
      await old.close();
    })();
  }

  private onClosed(connection: SocketConnection, code: number): void {
    this.connections.delete(connection);
    if (this.stopping) return;
    if (connection.replaced) {
      this.logger.info(`Socket Mode connection #${connection.id} closed (${code})`);
    } else if (connection.wasLive) {
      this.logger.warn(`Socket Mode connection #${connection.id} was closed without warning (${code}); connecting again`);
    }
    if (this.openConnections === 0 && connection.wasLive) void this.openConnection();
  }

  private async receive(connection: SocketConnection, envelope: Envelope): Promise<void> {
    const id = envelope.envelope_id;
    const earlier = this.deliveries.get(id);
    if (earlier) return this.receiveAgain(connection, envelope, earlier);

    let answer!: (acked: boolean) => void;
    const delivery: Delivery = { answered: new Promise((resolve) => (answer = resolve)) };
    this.remember(id, delivery);
    const owed = connection.owe();
    const event: ReceiverEvent = {
      body: envelope.payload ?? {},
      retryNum: envelope.retry_attempt,
      retryReason: envelope.retry_reason,
      customProperties: {},
      // Never rejects: a listener that awaits ack() must go on (the work is spooled already);
      // an ack that could not be sent is sent again when Slack redelivers the envelope.
      ack: async (response?: unknown) => {
        if (delivery.ack) {
          this.logger.warn(`Socket Mode envelope ${id}: ack() was called again; ignored`);
          return;
        }
        delivery.ack = ackPayload(response);
        if (!connection.sendAck(id, delivery.ack))
          this.logger.debug(`Socket Mode envelope ${id}: connection #${connection.id} is closing; acked when Slack delivers it again`);
        owed();
        answer(true);
      },
    };
    try {
      await this.process(event);
    } finally {
      if (!delivery.ack) {
        // Not acked (the spool could not take it, or processing failed first): Slack delivers it
        // again, and that delivery is processed.
        this.deliveries.delete(id);
        owed();
        answer(false);
      }
    }
  }

  private async receiveAgain(connection: SocketConnection, envelope: Envelope, earlier: Delivery): Promise<void> {
    const owed = connection.owe();
    try {
      if (!(await earlier.answered)) return await this.receive(connection, envelope);
      this.logger.debug(`Socket Mode envelope ${envelope.envelope_id} delivered again on connection #${connection.id}; acked again, not processed again`);
      connection.sendAck(envelope.envelope_id, earlier.ack!);
    } finally {
      owed();
    }
  }

  private async process(event: ReceiverEvent): Promise<void> {
    if (!this.app) throw new Error('the Socket Mode receiver is not attached to an App');
    try {
      await this.app.processEvent(event);
    } catch (error) {
      // As Bolt's own SocketModeReceiver: logged, and not acked (Slack delivers it again) unless
      // retrying cannot help (an authorization error).
      if (await defaultProcessEventErrorHandler({ error: error as Error, logger: this.logger, event })) await event.ack();
    }
  }

  private remember(id: string, delivery: Delivery): void {
    this.deliveries.set(id, delivery);
    if (this.deliveries.size > REMEMBERED_ENVELOPES) {
      const oldest = this.deliveries.keys().next().value;
      if (oldest !== undefined) this.deliveries.delete(oldest);
    }
  }
}

/** What Bolt's ack() was given, as Slack expects it in `{envelope_id, payload}` (as SocketModeClient.send). */
function ackPayload(response: unknown): Record<string, unknown> {
  if (typeof response === 'string') return { text: response };
  return response && typeof response === 'object' ? { ...(response as Record<string, unknown>) } : {};
}

interface ConnectionEvents {
  envelope(connection: SocketConnection, envelope: Envelope): void;
  refreshRequested(connection: SocketConnection, reason: string): void;
  silent(connection: SocketConnection): void;
  closed(connection: SocketConnection, code: number): void;
  problem(connection: SocketConnection, error: Error): void;
}

/** One WebSocket to Slack: `ready` once Slack said hello; what it receives goes to `events`. */
class SocketConnection {
  state: 'connecting' | 'live' | 'closed' = 'connecting';
  wasLive = false;
  /** A replacement was opened (or is being opened) for it. */
  replaced = false;
  readonly ready: Promise<void>;
  private readonly socket: WebSocket;
  private readonly closedPromise: Promise<void>;
  private readonly timers: NodeJS.Timeout[] = [];
  private silenceTimer: NodeJS.Timeout | undefined;
  private settleReady!: (error?: Error) => void;
  /** Envelopes received here and not acked yet. */
  private owed = 0;
  private whenDrained: (() => void)[] = [];

  constructor(
    readonly id: number,
    url: string,
    private readonly options: SocketModeReceiverOptions,
    private readonly events: ConnectionEvents,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (error) => (error ? reject(error) : resolve());
    });
    // Whoever opened it awaits `ready`; a failure after that is reported through `closed`.
    this.ready.catch(() => {});
    this.socket = new WebSocket(url, { handshakeTimeout: options.helloTimeoutMs ?? HELLO_TIMEOUT_MS });
    this.closedPromise = new Promise((resolve) => this.socket.once('close', () => resolve()));
    const helloTimeout = options.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
    this.timers.push(
      setTimeout(() => {
        if (this.state !== 'connecting') return;
        this.settleReady(new Error(`Slack sent no hello within ${helloTimeout} ms`));
        this.socket.terminate();
      }, helloTimeout),
    );
    this.socket.on('message', (data, isBinary) => {
      this.heard();
      if (!isBinary) this.onMessage(data.toString());
    });
    this.socket.on('ping', () => this.heard());
    this.socket.on('pong', () => this.heard());
    this.socket.on('error', (error) => {
      if (this.state === 'connecting') this.settleReady(error);
      else this.events.problem(this, error);
    });
    this.socket.on('close', (code) => this.onClose(code));
  }

  /** Counts an envelope that needs an ack from here; call the function returned once it is answered. */
  owe(): () => void {
    this.owed += 1;
    let settled = false;
    return () => {
      if (settled) return;
      settled = true;
      this.owed -= 1;
      if (this.owed === 0) for (const resolve of this.whenDrained.splice(0)) resolve();
    };
  }

  /** Resolves when it owes no ack, or after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void> {
    if (this.owed === 0 || this.state === 'closed') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.whenDrained.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sends an ack; false when this socket can't take it any more (Slack then redelivers the envelope). */
  sendAck(envelopeId: string, payload: Record<string, unknown>): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify({ envelope_id: envelopeId, payload }), (error) => {
      if (error) this.events.problem(this, new Error(`the ack of ${envelopeId} was not sent: ${error.message}`));
    });
    return true;
  }

  close(): Promise<void> {
    if (this.state !== 'closed') {
      if (this.socket.readyState === WebSocket.CONNECTING) {
        this.socket.terminate();
      } else {
        this.socket.close(1000);
        const drop = setTimeout(() => this.socket.terminate(), this.options.closeHandshakeMs ?? CLOSE_HANDSHAKE_MS);
        drop.unref();
        this.timers.push(drop);
      }
    }
    return this.closedPromise;
  }

  private onMessage(text: string): void {
    let message: SocketMessage;
    try {
      message = JSON.parse(text) as SocketMessage;
    } catch {
      this.events.problem(this, new Error('a message that is not JSON was ignored'));
      return;
    }
    if (message.type === 'hello') {
      if (this.state !== 'connecting') return;
      this.state = 'live';
      this.wasLive = true;
      this.watchSilence();
      this.settleReady();
    } else if (message.type === 'disconnect') {
      this.events.refreshRequested(this, message.reason ?? 'no reason given');
    } else if (typeof message.envelope_id === 'string') {
      this.events.envelope(this, message as Envelope);
    }
  }

  private watchSilence(): void {
    const silence = this.options.silenceTimeoutMs ?? SILENCE_TIMEOUT_MS;
    this.silenceTimer = setTimeout(() => this.events.silent(this), silence);
    const ping = setInterval(() => {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.ping();
    }, this.options.pingIntervalMs ?? PING_INTERVAL_MS);
    this.timers.push(this.silenceTimer, ping);
    for (const timer of this.timers) timer.unref();
  }

  private heard(): void {
    this.silenceTimer?.refresh();
  }

  private onClose(code: number): void {
    const wasConnecting = this.state === 'connecting';
    this.state = 'closed';
    for (const timer of this.timers) clearTimeout(timer);
    for (const resolve of this.whenDrained.splice(0)) resolve();
    if (wasConnecting) this.settleReady(new Error(`the connection closed before Slack said hello (${code})`));
    this.events.closed(this, code);
  }
}
