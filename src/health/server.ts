import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';
import { boundedServerOptions, limitBodies, listenOn } from '../platforms/http-limits.ts';
import type { HttpRoute } from '../platforms/runtime.ts';
import type { Health } from './health.ts';

/** Liveness and reachability: 200 when the store and every platform answer, 503 naming what does not. */
export const HEALTH_PATH = '/healthz';
/** Readiness: 503 until start-up is done (and again while shutting down), then 200. */
export const READY_PATH = '/readyz';

/**
 * The two endpoints as routes, for the server a platform already listens on PORT with (Slack's
 * HTTP receiver, Feishu's webhook) or for the health server of its own below. Neither says more
 * than up or down: no names of people or teams, no configuration, nothing worth hiding.
 */
export function healthRoutes(health: Health, logger: Logger): HttpRoute[] {
  return [
    {
      path: HEALTH_PATH,
      method: 'GET',
      handler: (_req, res) => {
        health.report().then(
          (report) => answer(res, report.status === 'ok' ? 200 : 503, report),
          (error: unknown) => {
            logger.error({ err: error }, 'health report failed');
            answer(res, 500, { status: 'degraded' });
          },
        );
      },
    },
    { path: READY_PATH, method: 'GET', handler: (_req, res) => answer(res, health.ready ? 200 : 503, { ready: health.ready }) },
  ];
}

/**
 * A server for the health endpoints alone, for when no platform listens on PORT (Slack over
 * Socket Mode, Feishu over its long connection). Resolves once listening.
 */
export async function startHealthServer(routes: readonly HttpRoute[], port: number, host?: string): Promise<Server> {
  // The same bounds as the platforms' servers: small bodies, header and request timeouts.
  const listener = limitBodies((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    const onPath = routes.filter((r) => r.path === path);
    const route = onPath.find((r) => r.method === req.method);
    if (route) return route.handler(req, res);
    answer(res, onPath.length > 0 ? 405 : 404, { error: onPath.length > 0 ? 'method not allowed' : 'not found' });
  });
  return listenOn(createServer(boundedServerOptions(), listener), port, host);
}

export async function stopHealthServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  // A probe must see the answer of now, never one a proxy kept.
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
