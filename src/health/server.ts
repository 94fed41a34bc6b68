import { answerJson, type HttpRoute } from '../http/server.ts';
import type { Logger } from '../log.ts';
import type { Health } from './health.ts';

/** Liveness and reachability: 200 when the store and every platform answer, 503 naming what does not. */
export const HEALTH_PATH = '/healthz';
/** Readiness: 503 until start-up is done (the store connected), then 200; 503 again while shutting down. */
export const READY_PATH = '/readyz';

/**
 * The two endpoints as routes of the bot's one server (src/http/server.ts), which listens in every
 * mode but the local chat, from start-up on. Neither says more than up or down: no names of people
 * or teams, no configuration, nothing worth hiding.
 */
export function healthRoutes(health: Health, logger: Logger): HttpRoute[] {
  return [
    {
      path: HEALTH_PATH,
      method: 'GET',
      handler: (_req, res) => {
        health.report().then(
          (report) => answerJson(res, report.status === 'ok' ? 200 : 503, report),
          (error: unknown) => {
            logger.error({ err: error }, 'health report failed');
            answerJson(res, 500, { status: 'degraded' });
          },
        );
      },
    },
    { path: READY_PATH, method: 'GET', handler: (_req, res) => answerJson(res, health.ready ? 200 : 503, { ready: health.ready }) },
  ];
}
