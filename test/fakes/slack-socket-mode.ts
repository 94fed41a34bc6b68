import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local Socket Mode server, speaking Slack's protocol
 * (https://docs.slack.dev/apis/events-api/using-socket-mode):
 *
 * - `apps.connections.open` (on FakeSlackApi, `socketMode` option) hands out a single-use
 *   `ws://127.0.0.1:<port>/link/?ticket=…` URL; a connection says `{"type":"hello"}` first;
 * - envelopes `{envelope_id, type, payload, accepts_response_payload, retry_attempt,
 *   retry_reason}` go to one live connection (in turn), and want `{envelope_id, payload?}` back;
 * - a refresh sends `{"type":"disconnect","reason":"warning"}`, later `"refresh_requested"`, and
 *   closes the socket after a grace period;
 * - what was not acked on a connection that closed is delivered again on another, with the same
 *   envelope id and `retry_attempt` + 1, as is what was not acked within `ackTimeoutMs`.
 *
 * It records the order in which connections said hello and closed (`timeline`), every delivery
 * and every ack with its connection, and each moment when no connection was open (`gaps`).
 */

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface FakeDelivery {
  envelopeId: string;
  type: EnvelopeType;
  connection: number;
  attempt: number;
}

export interface FakeAck {
  envelopeId: string;
  connection: number;
  payload: Record<string, unknown> | undefined;
}

export type TimelineEntry =
  | { event: 'hello'; connection: number }
  | { event: 'disconnect'; connection: number; reason: string }
  | { event: 'closed'; connection: number; by: 'client' | 'server' };

export interface FakeSocketModeOptions {
  appId?: string;
  /** Deliver again what was not acked within this many ms (Slack: about 3 s). Off by default. */
  ackTimeoutMs?: number;
  /** Redeliveries of one envelope at most (Slack: 3). */
  maxRetries?: number;
}

interface Envelope {
  id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  attempt: number;
  acked: boolean;
  timer?: NodeJS.Timeout;
}

interface Connection {
  id: number;
  socket: WebSocket;
  live: boolean;
  /** Stopped reading (a half-open connection): no pongs, no acks, no deliveries. */
  frozen: boolean;
  closingByServer: boolean;
  /** Envelopes delivered here and not acked. */
  owed: Set<string>;
}

export class FakeSocketModeServer {
  readonly timeline: TimelineEntry[] = [];
  readonly deliveries: FakeDelivery[] = [];
  readonly acks: FakeAck[] = [];
  /** Connections (by id) after whose close no connection was open. */
  readonly gaps: number[] = [];

  private readonly tickets = new Set<string>();
  private readonly connections = new Map<number, Connection>();
  private readonly envelopes = new Map<string, Envelope>();
  /** Envelopes waiting for a live connection. */
  private readonly waiting: Envelope[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private nextConnection = 1;
  private nextEnvelope = 1;
  private turn = 0;
  private closing = false;

  private constructor(
    private readonly server: Server,
    private readonly port: number,
    private readonly options: FakeSocketModeOptions,
  ) {
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  static async start(options: FakeSocketModeOptions = {}): Promise<FakeSocketModeServer> {
    const server = createServer((_req, res) => {
      res.writeHead(426);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeSocketModeServer(server, (server.address() as AddressInfo).port, options);
  }

  /** A fresh single-use connection URL, as apps.connections.open answers it. */
  connectionUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `ws://127.0.0.1:${this.port}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  get appId(): string {
    return this.options.appId ?? 'A0000TEST1';
  }

  /** Ids of the connections that said hello and are not closed, oldest first. */
  liveConnections(): number[] {
    return [...this.connections.values()].filter((c) => c.live).map((c) => c.id);
  }

  /** Every connection ever accepted. */
  get connectionCount(): number {
    return this.nextConnection - 1;
  }

  /** Envelope ids not acked yet. */
  unacked(): string[] {
    return [...this.envelopes.values()].filter((e) => !e.acked).map((e) => e.id);
  }

  /**
   * Sends an envelope to one live connection (in turn), or to every live connection at once
   * (`everywhere`: the same envelope id on each, as an at-least-once transport may). Returns its id.
   */
  deliver(type: EnvelopeType, payload: Record<string, unknown>, options: { everywhere?: boolean } = {}): string {
    const envelope: Envelope = { id: `env-${this.nextEnvelope++}-${randomUUID().slice(0, 8)}`, type, payload, attempt: 0, acked: false };
    this.envelopes.set(envelope.id, envelope);
    if (options.everywhere) {
      const targets = this.targets();
      if (targets.length === 0) this.waiting.push(envelope);
      for (const connection of targets) this.send(envelope, connection);
    } else {
      this.route(envelope);
    }
    return envelope.id;
  }

  /**
   * Refreshes a connection as Slack does (the oldest live one by default): `warning`, then
   * `refresh_requested` after `warningMs`, then the socket is closed `graceMs` later unless the
   * client has closed it. Resolves once it is closed.
   */
  async refresh(options: { connection?: number; warningMs?: number; graceMs?: number } = {}): Promise<void> {
    const connection = this.connections.get(options.connection ?? this.liveConnections()[0] ?? -1);
    if (!connection) throw new Error('no live connection to refresh');
    const closed = new Promise<void>((resolve) => connection.socket.once('close', () => resolve()));
    const say = (reason: string) => {
      if (!connection.live) return;
      this.timeline.push({ event: 'disconnect', connection: connection.id, reason });
      connection.socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: `applink-fake-${connection.id}` } }));
    };
    say('warning');
    await sleep(options.warningMs ?? 50);
    say('refresh_requested');
    // Closed by the client within the grace period, or by the server at its end.
    const graceOver = await Promise.race([closed.then(() => false), sleep(options.graceMs ?? 300).then(() => true)]);
    if (graceOver && connection.live) this.dropByServer(connection);
    await closed;
  }

  /**
   * Delivers an envelope again (retry_attempt + 1) on a live connection, acked or not: Slack does
   * so when the ack did not reach it. It counts as unacked until acked again.
   */
  redeliver(envelopeId: string): void {
    const envelope = this.envelopes.get(envelopeId);
    if (!envelope) throw new Error(`no envelope ${envelopeId}`);
    envelope.acked = false;
    envelope.attempt += 1;
    this.route(envelope);
  }

  /** Drops a connection with no warning (a network failure). */
  drop(connectionId: number): void {
    const connection = this.connections.get(connectionId);
    if (connection) this.dropByServer(connection);
  }

  /** The connection stops reading: pings go unanswered and acks unread, as with a half-open TCP connection. */
  freeze(connectionId: number): void {
    const connection = this.connections.get(connectionId);
    if (!connection) return;
    connection.frozen = true;
    // The ws server answers pings itself; a socket that is not read answers none.
    (connection.socket as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const envelope of this.envelopes.values()) clearTimeout(envelope.timer);
    for (const connection of this.connections.values()) connection.socket.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const connection: Connection = { id: this.nextConnection++, socket, live: false, frozen: false, closingByServer: false, owed: new Set() };
    this.connections.set(connection.id, connection);
    socket.on('message', (data) => this.onMessage(connection, data.toString()));
    socket.on('close', () => this.onClose(connection));
    socket.on('error', () => {});
    connection.live = true;
    this.timeline.push({ event: 'hello', connection: connection.id });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.liveConnections().length,
        debug_info: { host: `applink-fake-${connection.id}`, build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    for (const envelope of this.waiting.splice(0)) this.send(envelope, connection);
  }

  private onMessage(connection: Connection, text: string): void {
    const message = JSON.parse(text) as { envelope_id?: string; payload?: Record<string, unknown> };
    if (typeof message.envelope_id !== 'string') return;
    this.acks.push({ envelopeId: message.envelope_id, connection: connection.id, payload: message.payload });
    connection.owed.delete(message.envelope_id);
    const envelope = this.envelopes.get(message.envelope_id);
    if (!envelope) return;
    envelope.acked = true;
    clearTimeout(envelope.timer);
  }

  private onClose(connection: Connection): void {
    const wasLive = connection.live;
    connection.live = false;
    this.connections.delete(connection.id);
    if (this.closing || !wasLive) return;
    this.timeline.push({ event: 'closed', connection: connection.id, by: connection.closingByServer ? 'server' : 'client' });
    if (this.liveConnections().length === 0) this.gaps.push(connection.id);
    // Slack delivers again, elsewhere, what the closed connection did not ack.
    for (const id of connection.owed) {
      const envelope = this.envelopes.get(id);
      if (envelope && !envelope.acked) this.retry(envelope);
    }
  }

  private dropByServer(connection: Connection): void {
    connection.closingByServer = true;
    connection.socket.terminate();
  }

  private targets(): Connection[] {
    return [...this.connections.values()].filter((c) => c.live && !c.frozen);
  }

  private route(envelope: Envelope): void {
    const targets = this.targets();
    if (targets.length === 0) {
      this.waiting.push(envelope);
      return;
    }
    this.turn = (this.turn + 1) % targets.length;
    this.send(envelope, targets[this.turn]!);
  }

  private send(envelope: Envelope, connection: Connection): void {
    connection.owed.add(envelope.id);
    this.deliveries.push({ envelopeId: envelope.id, type: envelope.type, connection: connection.id, attempt: envelope.attempt });
    connection.socket.send(
      JSON.stringify({
        envelope_id: envelope.id,
        type: envelope.type,
        payload: envelope.payload,
        accepts_response_payload: envelope.type !== 'events_api',
        ...(envelope.type === 'events_api' ? { retry_attempt: envelope.attempt, retry_reason: envelope.attempt > 0 ? 'timeout' : '' } : {}),
      }),
    );
    const { ackTimeoutMs } = this.options;
    if (ackTimeoutMs !== undefined && !envelope.timer) {
      envelope.timer = setTimeout(() => {
        envelope.timer = undefined;
        if (!envelope.acked) this.retry(envelope);
      }, ackTimeoutMs);
    }
  }

  private retry(envelope: Envelope): void {
    if (envelope.attempt >= (this.options.maxRetries ?? 3)) return;
    clearTimeout(envelope.timer);
    envelope.timer = undefined;
    envelope.attempt += 1;
    this.route(envelope);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
