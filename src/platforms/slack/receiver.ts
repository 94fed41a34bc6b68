import type { IncomingMessage, RequestListener, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Server as HTTPSServer, ServerOptions as HTTPSServerOptions } from 'node:https';
import type { ListenOptions } from 'node:net';
import { HTTPModuleFunctions, HTTPReceiver, type CustomRoute, type HTTPReceiverOptions, type Logger as SlackLogger } from '@slack/bolt';
import { boundedServerOptions, limitBodies, MAX_BODY_BYTES } from '../http-limits.ts';
import type { SlackConfig } from './config.ts';
import { OverlappingSocketModeReceiver } from './socket-mode.ts';

export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';

/** How far a request's x-slack-request-timestamp may be from now, either way (Slack's own rule). */
export const SLACK_REPLAY_WINDOW_SECONDS = 5 * 60;

/**
 * How events reach the App: HTTPReceiver verifies Slack's signature (and the 5-minute replay
 * window, answering 401 otherwise) on `POST /slack/events`; in Socket Mode a WebSocket to Slack
 * needs no public URL, and OverlappingSocketModeReceiver (./socket-mode.ts) keeps one open across
 * Slack's routine refreshes, where Bolt's SocketModeReceiver leaves a gap of about 5 s. Both
 * acknowledge Events API deliveries before the listeners run (processBeforeResponse: false), so
 * slow handler work never makes Slack retry.
 *
 * In HTTP mode every request first goes through BoundedHTTPReceiver's guard (body size, server
 * timeouts, timestamps in the future).
 *
 * `extraRoutes` are served by the same HTTP server (e.g. Feishu's webhook, which would
 * otherwise need a port of its own); they are not verified as Slack requests.
 */
export function createReceiver(config: SlackConfig, logger: SlackLogger, extraRoutes: CustomRoute[] = []): HTTPReceiver | OverlappingSocketModeReceiver {
  const { transport } = config;
  if (transport.mode === 'socket') {
    // apps.connections.open goes to the configured API too (a local or GovSlack API).
    return new OverlappingSocketModeReceiver({ appToken: transport.appToken, apiUrl: config.apiUrl, logger });
  }
  return new BoundedHTTPReceiver({
    signingSecret: transport.signingSecret,
    endpoints: [EVENTS_PATH],
    port: transport.port,
    logger,
    processBeforeResponse: false,
    customRoutes: [
      {
        path: HEALTH_PATH,
        method: ['GET'],
        handler: (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('ok');
        },
      },
      ...extraRoutes,
    ],
  });
}

/**
 * Bolt's HTTPReceiver with a guard in front of its request listener, on a server with header,
 * request and keep-alive timeouts:
 *
 * - a body over MAX_BODY_BYTES is answered 413 while it is being read (HTTPReceiver alone reads
 *   any body whole before checking the signature: 256 MB unsigned POSTs cost 256 MB each);
 * - the body read within the limit is handed to Bolt as `rawBody`, which Bolt verifies and
 *   parses instead of reading the stream, so its signature check is unchanged;
 * - a Slack request dated more than five minutes in the future is answered 401: Bolt refuses
 *   only those more than five minutes in the past, so a request signed ahead of time (or by a
 *   clock far off) would otherwise stay replayable until its date and five minutes beyond.
 */
export class BoundedHTTPReceiver extends HTTPReceiver {
  private readonly guardLogger: SlackLogger;
  private readonly now: () => number;

  constructor(options: HTTPReceiverOptions & { logger: SlackLogger; now?: () => number }) {
    const { now, ...receiverOptions } = options;
    const dispatchError = receiverOptions.dispatchErrorHandler ?? HTTPModuleFunctions.defaultDispatchErrorHandler;
    super({ ...receiverOptions, dispatchErrorHandler: dispatchError });
    this.guardLogger = options.logger;
    this.now = now ?? Date.now;
    const bolt = this.requestListener;
    // Bolt's server catches what its listener throws (an unknown path → 404); the guard calls
    // the listener later, once the body is in, so it catches the same way.
    const boltSafely: RequestListener = (req, res) => {
      try {
        if (this.refusedTimestamp(req, res)) return;
        bolt(req, res);
      } catch (error) {
        dispatchError({ error: error as Error, logger: this.guardLogger, request: req, response: res });
      }
    };
    this.requestListener = limitBodies(boltSafely, {
      maxBytes: MAX_BODY_BYTES,
      onRefused: (r) =>
        this.guardLogger.warn(
          `HTTP request refused (413): ${r.method} ${r.path} body over ${r.limit} bytes (Content-Length ${r.declaredBytes ?? 'none'}, ${r.bytesRead} bytes read)`,
        ),
    });
  }

  // Bolt's overloads, unchanged; the server it creates gets the timeouts of http-limits.ts.
  override start(port: number): Promise<Server>;
  override start(port: string): Promise<Server>;
  override start(portOrListenOptions: number | string | ListenOptions, serverOptions?: ServerOptions): Promise<Server>;
  override start(portOrListenOptions: number | string | ListenOptions, httpsServerOptions?: HTTPSServerOptions): Promise<HTTPSServer>;
  override start(portOrListenOptions: number | string | ListenOptions, serverOptions: ServerOptions | HTTPSServerOptions = {}): Promise<Server | HTTPSServer> {
    return super.start(portOrListenOptions, { ...boundedServerOptions(), ...serverOptions } as ServerOptions);
  }

  /** Answers 401 to a Slack request dated too far from now (Bolt checks only the past). */
  private refusedTimestamp(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== EVENTS_PATH) return false;
    const header = req.headers['x-slack-request-timestamp'];
    // Missing or malformed: Bolt's verification refuses it.
    if (typeof header !== 'string' || !/^\d+$/.test(header)) return false;
    const skew = Number(header) - this.now() / 1000;
    if (Math.abs(skew) <= SLACK_REPLAY_WINDOW_SECONDS) return false;
    this.guardLogger.warn(`Slack request refused (401): x-slack-request-timestamp is ${Math.round(Math.abs(skew))} s in the ${skew > 0 ? 'future' : 'past'}`);
    HTTPModuleFunctions.buildNoBodyResponse(res, 401);
    return true;
  }
}
