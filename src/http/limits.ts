import type { IncomingMessage, RequestListener, Server, ServerOptions, ServerResponse } from 'node:http';
import getRawBody, { type RawBodyError } from 'raw-body';

/**
 * Bounds on what one HTTP request may cost the bot, on the one server it runs (./server.ts: Slack's
 * events, Feishu's webhook, the health endpoints). Slack's and Feishu's payloads are a few KB, and
 * neither sends more than 1 MB; anything larger is refused with 413 while it is being read, before
 * any signature check, so that an unsigned 256 MB POST costs no more memory than a real event.
 */

/** The largest request body read; 256 KiB is far above any Slack or Feishu payload. */
export const MAX_BODY_BYTES = 256 * 1024;

/** How long a client may take, in ms, before the server gives up on it (Node answers 408). */
export const SERVER_TIMEOUTS = {
  /** To send the request line and headers. */
  headersMs: 10_000,
  /** To send the whole request, body included: a body trickled in slowly holds a socket no longer. */
  requestMs: 30_000,
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: 5_000,
  /** How often Node checks the two limits above (its default, 30 s, would let them run late). */
  checkEveryMs: 1_000,
} as const;

/** Options for http.createServer with SERVER_TIMEOUTS. */
export function boundedServerOptions(): ServerOptions {
  return {
    headersTimeout: SERVER_TIMEOUTS.headersMs,
    requestTimeout: SERVER_TIMEOUTS.requestMs,
    keepAliveTimeout: SERVER_TIMEOUTS.keepAliveMs,
    connectionsCheckingInterval: SERVER_TIMEOUTS.checkEveryMs,
  };
}

/** A request refused for its size, for the log. */
export interface BodyRefusal {
  method: string;
  path: string;
  /** Content-Length, when the client sent one. */
  declaredBytes: number | undefined;
  /** Body bytes read before refusing, the chunk that went past the limit included. */
  bytesRead: number;
  limit: number;
}

export interface BodyLimitOptions {
  /** MAX_BODY_BYTES by default. */
  maxBytes?: number;
  /** Told about each request answered 413 (to log it). */
  onRefused?: (refusal: BodyRefusal) => void;
}

/** A request whose body has been read: Bolt's HTTPReceiver uses `rawBody` instead of reading again. */
type BufferedRequest = IncomingMessage & { rawBody?: unknown };

/** The body read by `limitBodies`, or undefined when the request has not been through it. */
export function bufferedBody(req: IncomingMessage): Buffer | undefined {
  const raw = (req as BufferedRequest).rawBody;
  return Buffer.isBuffer(raw) ? raw : undefined;
}

/**
 * Wraps a request listener so that it only sees requests whose whole body is at most `maxBytes`,
 * already read into `req.rawBody` (the field Bolt's receiver reads instead of the stream). The body
 * is read by raw-body, which stops at the first chunk past the limit: the data already taken is
 * dropped and the request paused (it stays one being consumed, so Node does not drain it after the
 * answer either), and the socket stops reading once Node's small buffer is full.
 *
 * A Content-Length over the limit is refused at the body's first chunk, kept nowhere, rather than
 * at once: given that length, raw-body refuses before it reads, leaving the request unconsumed, and
 * Node then reads on (and discards) the whole body after the answer, until the socket is closed.
 * Read with a limit of 0, the first chunk is the one past it.
 *
 * `next` is called asynchronously, once the body is in: it must answer every request itself.
 */
export function limitBodies(next: RequestListener, options: BodyLimitOptions = {}): RequestListener {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  return (req, res) => {
    const declaredBytes = declaredLength(req);
    const overDeclared = declaredBytes !== undefined && declaredBytes > maxBytes;
    getRawBody(req, overDeclared ? { limit: 0 } : { limit: maxBytes, length: declaredBytes ?? null }).then(
      (body) => {
        (req as BufferedRequest).rawBody = body;
        next(req, res);
      },
      (error: RawBodyError) => {
        if (error.type === 'entity.too.large') {
          const bytesRead = error.received ?? 0;
          options.onRefused?.({ method: req.method ?? '', path: pathOf(req), declaredBytes, bytesRead, limit: maxBytes });
          refuseTooLarge(req, res, maxBytes);
        } else if (!res.headersSent) {
          // The client went away mid-body (raw-body's `request.aborted`): nobody is left to answer.
          res.destroy();
        }
      },
    );
  };
}

/** How long a refused connection stays open (reading nothing) for the client to read the 413. */
const LINGER_MS = 2_000;

/**
 * Answers 413 and ends the connection without reading the rest of the body. Not with
 * `connection: close`: Node would then close the socket as soon as the answer is out, and closing
 * a socket with unread data makes the kernel send RST, on which the client's kernel drops the
 * answer it has not read yet (a flood of 20 uploads lost most of their 413s that way). Instead the
 * answer is followed by FIN, the request stays paused (the client's window fills, it can only
 * read), and the socket is destroyed after LINGER_MS.
 */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse, maxBytes: number): void {
  req.pause();
  const socket = req.socket;
  if (res.headersSent) {
    socket.destroy();
    return;
  }
  res.writeHead(413, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error: `request body larger than ${maxBytes} bytes` }), () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}

function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  if (header === undefined) return undefined;
  // Node's parser has already refused a malformed or repeated Content-Length.
  const value = Number(header);
  return Number.isFinite(value) ? value : undefined;
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '').split('?')[0] ?? '';
}

/** Starts a server listening on `port` (0: a free one) and resolves once it listens, or rejects (e.g. the port is taken). */
export async function listenOn(server: Server, port: number, host?: string): Promise<Server> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
