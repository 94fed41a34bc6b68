import { HTTPReceiver, SocketModeReceiver, type App, type CustomRoute, type Logger as SlackLogger, type Receiver } from '@slack/bolt';
import type { SlackConfig } from './config.ts';

export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';

/**
 * How events reach the App: HTTPReceiver verifies Slack's signature (and the 5-minute replay
 * window, answering 401 otherwise) on `POST /slack/events`; SocketModeReceiver holds a WebSocket
 * to Slack and needs no public URL. Both acknowledge Events API deliveries before the listeners
 * run (processBeforeResponse: false), so slow handler work never makes Slack retry.
 *
 * `extraRoutes` are served by the same HTTP server (e.g. Feishu's webhook, which would
 * otherwise need a port of its own); they are not verified as Slack requests.
 */
export function createReceiver(config: SlackConfig, logger: SlackLogger, extraRoutes: CustomRoute[] = []): HTTPReceiver | SocketModeReceiver {
  const { transport } = config;
  if (transport.mode === 'socket') {
    return new SocketModeReceiver({
      appToken: transport.appToken,
      logger,
      // apps.connections.open goes to the configured API too (a local or GovSlack API).
      installerOptions: { clientOptions: { slackApiUrl: config.apiUrl } },
    });
  }
  return new HTTPReceiver({
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
 * Wraps a receiver to count the events being processed, from the moment they arrive (before the
 * ack) until their listeners finish, so that `idle()` can wait for them: on shutdown, and in
 * tests, which send a request and then wait for its effects.
 */
export class InFlightReceiver implements Receiver {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(readonly inner: Receiver) {}

  init(app: App): void {
    // Receivers only call processEvent on the app they are given.
    const tracked = { processEvent: (event: Parameters<App['processEvent']>[0]) => this.track(app.processEvent(event)) };
    this.inner.init(tracked as unknown as App);
  }

  start(...args: unknown[]): Promise<unknown> {
    return this.inner.start(...args);
  }

  stop(...args: unknown[]): Promise<unknown> {
    return this.inner.stop(...args);
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = () => this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves once nothing is in flight, including work that started while waiting. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
