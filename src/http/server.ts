import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';
import { boundedServerOptions, limitBodies, listenOn } from './limits.ts';

/** A request handler for one path and method on the bot's server. */
export interface HttpRoute {
  /** The path, or with `prefix` every path that starts with it (e.g. `/archive/`). */
  path: string;
  prefix?: boolean;
  method: 'GET' | 'POST';
  /** Called once the body is in (at most MAX_BODY_BYTES, as `req.rawBody`); it answers the request. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface HttpServerOptions {
  /** PORT; 0 for a free one. */
  port: number;
  /** The interface to listen on; all by default. */
  host?: string;
  logger: Logger;
  /** Over boundedServerOptions() (tests scale the timeouts down). */
  serverOptions?: ServerOptions;
}

/**
 * The bot's one HTTP server, on PORT, owned by the composition root: /healthz and /readyz, and the
 * routes the platform runtimes contribute (Slack's events, Feishu's webhook), each of which
 * verifies its own platform's requests. Every request is bounded before it is routed
 * (./limits.ts): a body over MAX_BODY_BYTES is answered 413 while it is being read, whatever the
 * path, and the server has header, request and keep-alive timeouts. Then its path and method pick
 * the route: 404 for a path no route has, 405 for another method on one that has.
 */
export class HttpServer {
  private constructor(
    /** The Node server (its timeouts, for tests). */
    readonly server: Server,
    private readonly host: string | undefined,
  ) {}

  /** Resolves once listening; rejects when it cannot (e.g. the port is taken). */
  static async start(routes: readonly HttpRoute[], options: HttpServerOptions): Promise<HttpServer> {
    const { logger } = options;
    const seen = new Set<string>();
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) throw new Error(`two routes for ${key}`);
      seen.add(key);
    }
    const listener = limitBodies((req, res) => dispatch(routes, req, res, logger), {
      onRefused: (r) =>
        logger.warn(
          r,
          `HTTP request refused (413): ${r.method} ${r.path} body over ${r.limit} bytes (Content-Length ${r.declaredBytes ?? 'none'}, ${r.bytesRead} bytes read)`,
        ),
    });
    const server = createServer({ ...boundedServerOptions(), ...options.serverOptions }, listener);
    return new HttpServer(await listenOn(server, options.port, options.host), options.host);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Where a client on this machine reaches `path`, e.g. http://127.0.0.1:3000/slack/events. */
  url(path = ''): string {
    const host = this.host && this.host !== '0.0.0.0' && this.host !== '::' ? this.host : '127.0.0.1';
    return `http://${host}:${this.port}${path}`;
  }

  /** Stops listening; resolves once the connections in use have ended (idle ones are closed at once). */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }
}

function dispatch(routes: readonly HttpRoute[], req: IncomingMessage, res: ServerResponse, logger: Logger): void {
  const path = (req.url ?? '').split('?')[0] ?? '';
  // An exact path wins over a prefix that covers it.
  const exact = routes.filter((r) => !r.prefix && r.path === path);
  const onPath = exact.length > 0 ? exact : routes.filter((r) => r.prefix && path.startsWith(r.path));
  // HEAD is answered by the GET route (a link checker, a chat unfurling a link); Node sends no body for it.
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const route = onPath.find((r) => r.method === method);
  if (!route) {
    answerJson(res, onPath.length > 0 ? 405 : 404, { error: onPath.length > 0 ? 'method not allowed' : 'not found' });
    return;
  }
  try {
    route.handler(req, res);
  } catch (error) {
    logger.error({ err: error, method: req.method, path }, 'HTTP request failed');
    if (!res.headersSent) answerJson(res, 500, { error: 'internal error' });
    else res.destroy();
  }
}

/** A JSON answer no proxy keeps: a probe must see the answer of now. */
export function answerJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
