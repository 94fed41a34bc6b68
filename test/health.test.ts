import { afterEach, describe, expect, it } from 'vitest';
import { Health, type HealthOptions } from '../src/health/health.ts';
import { healthRoutes } from '../src/health/server.ts';
import { HttpServer } from '../src/http/server.ts';
import { createLogger } from '../src/log.ts';
import { Inbound } from '../src/platforms/inbound.ts';
import { configuredPlatforms, createRuntimes, PLATFORM_MODULES } from '../src/platforms/modules.ts';
import type { ChatPlatform } from '../src/platforms/platform.ts';
import type { InboundHandlers, PlatformRuntime } from '../src/platforms/runtime.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { FakeFeishuOpenApi } from './fakes/feishu-open-api.ts';
import { FakeSlackApi } from './fakes/slack-api.ts';
import { APP } from './platforms/feishu/harness.ts';
import { freePort } from './support/free-port.ts';
import { serveConfigured } from './support/platform-server.ts';

const logger = createLogger('health-test');
const SLACK_TOKEN = 'xoxb-0000-health';
const SLACK_SECRET = 'health-signing-secret';

/** A MemoryStore whose server is "down". */
class UnreachableStore extends MemoryStore {
  override async ping(): Promise<boolean> {
    return false;
  }
}

/** A runtime that receives nothing; its health is what the test says. */
function runtimeOf(name: string, health?: () => Promise<boolean>): PlatformRuntime {
  return { platform: { name } as ChatPlatform, start: async () => {}, stop: async () => {}, ...(health ? { health } : {}) };
}

async function get(base: string, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: await response.json() };
}

describe('the health endpoints', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** The endpoints alone on the bot's server (as with Socket Mode and Feishu's long connection, which add no routes). */
  async function serve(options: Partial<HealthOptions> = {}): Promise<{ health: Health; base: string }> {
    const health = new Health({ logger, ...options });
    const server = await HttpServer.start(healthRoutes(health, logger), { port: 0, host: '127.0.0.1', logger });
    cleanup.push(() => server.close());
    return { health, base: server.url() };
  }

  it('answers /readyz 503 until start-up is done, then 200, and 503 again while shutting down', async () => {
    const { health, base } = await serve();
    expect(await get(base, '/readyz')).toEqual({ status: 503, body: { ready: false } });
    // Before the store is opened, /healthz answers too: not ok.
    expect(await get(base, '/healthz')).toEqual({ status: 503, body: { status: 'degraded', ready: false, store: { ok: false, kind: 'none' }, platforms: {} } });

    health.watchStore(new MemoryStore());
    health.watchPlatforms([runtimeOf('slack', async () => true)]);
    health.setReady(true);
    expect(await get(base, '/readyz')).toEqual({ status: 200, body: { ready: true } });
    expect(await get(base, '/healthz')).toEqual({
      status: 200,
      body: { status: 'ok', ready: true, store: { ok: true, kind: 'memory' }, platforms: { slack: { ok: true } } },
    });

    health.setReady(false);
    expect((await get(base, '/readyz')).status).toBe(503);
  });

  it('answers 503 with store.ok false when the store does not answer its ping', async () => {
    const { health, base } = await serve();
    health.watchStore(new UnreachableStore());
    health.watchPlatforms([runtimeOf('slack', async () => true)]);
    health.setReady(true);
    expect(await get(base, '/healthz')).toEqual({
      status: 503,
      body: { status: 'degraded', ready: true, store: { ok: false, kind: 'memory' }, platforms: { slack: { ok: true } } },
    });
  });

  it('answers 503 naming the platform whose check fails, rejects, or does not answer in time', async () => {
    const { health, base } = await serve({ timeoutMs: 50 });
    health.watchStore(new MemoryStore());
    health.watchPlatforms([
      runtimeOf('slack', async () => true),
      runtimeOf('feishu', async () => false),
      runtimeOf('teams', () => Promise.reject(new Error('ECONNREFUSED'))),
      runtimeOf('matrix', () => new Promise(() => {})),
      // A platform with nothing to check counts as reachable.
      runtimeOf('console'),
    ]);
    const { status, body } = await get(base, '/healthz');
    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: 'degraded',
      store: { ok: true },
      platforms: { slack: { ok: true }, feishu: { ok: false }, teams: { ok: false }, matrix: { ok: false }, console: { ok: true } },
    });
  });

  it('asks a platform at most once per cache period, however often it is probed', async () => {
    let now = 0;
    let calls = 0;
    const { health, base } = await serve({ cacheMs: 5_000, now: () => now });
    health.watchStore(new MemoryStore());
    health.watchPlatforms([runtimeOf('slack', async () => (calls += 1) > 0)]);

    await Promise.all(Array.from({ length: 10 }, () => get(base, '/healthz')));
    now = 4_999;
    await get(base, '/healthz');
    expect(calls).toBe(1);
    now = 5_000;
    await get(base, '/healthz');
    expect(calls).toBe(2);
  });

  it('answers 404 beside its paths and 405 to other methods on them', async () => {
    const { base } = await serve();
    expect((await fetch(`${base}/slack/events`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});

describe('the health endpoints on the one server, beside the platforms’ routes', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function slackApi(): Promise<FakeSlackApi> {
    const api = await FakeSlackApi.start({ token: SLACK_TOKEN });
    cleanup.push(() => api.close());
    return api;
  }

  async function feishuApi(): Promise<FakeFeishuOpenApi> {
    const api = new FakeFeishuOpenApi({ appId: APP.appId, appSecret: APP.appSecret });
    await api.start();
    cleanup.push(() => api.stop());
    return api;
  }

  /** The runtimes main.ts would start for this environment, their routes and the health endpoints on one server on PORT. */
  async function start(source: Record<string, string>): Promise<{ health: Health; runtimes: PlatformRuntime[] }> {
    const health = new Health({ logger, cacheMs: 0 });
    const { runtimes, server } = await serveConfigured(source, logger, healthRoutes(health, logger));
    cleanup.push(() => server.close());
    // No traffic reaches the handlers in these tests.
    const inbound = new Inbound({} as InboundHandlers, { logger });
    for (const runtime of runtimes) {
      await runtime.start(inbound);
      cleanup.push(() => runtime.stop());
    }
    health.watchStore(new MemoryStore());
    health.watchPlatforms(runtimes);
    health.setReady(true);
    return { health, runtimes };
  }

  const slackHttp = (api: FakeSlackApi) => ({ SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: api.apiUrl });
  const feishuWebhook = (api: FakeFeishuOpenApi) => ({
    FEISHU_APP_ID: APP.appId,
    FEISHU_APP_SECRET: APP.appSecret,
    FEISHU_DOMAIN: api.url,
    FEISHU_EVENT_MODE: 'webhook',
    FEISHU_ENCRYPT_KEY: APP.encryptKey,
    FEISHU_VERIFICATION_TOKEN: APP.verificationToken,
  });

  it('serves them beside Slack’s events, and names Slack when its API stops answering', async () => {
    const api = await slackApi();
    const port = await freePort();
    const { runtimes } = await start({ PORT: String(port), ...slackHttp(api) });
    expect(runtimes.map((r) => [r.platform.name, routesOf(r)])).toEqual([['slack', ['POST /slack/events']]]);
    const base = `http://127.0.0.1:${port}`;
    expect(await get(base, '/readyz')).toEqual({ status: 200, body: { ready: true } });
    expect(await get(base, '/healthz')).toMatchObject({ status: 200, body: { status: 'ok', platforms: { slack: { ok: true } } } });

    const asked = api.callsTo('auth.test').length;
    api.failNext('auth.test', 'invalid_auth');
    expect(await get(base, '/healthz')).toMatchObject({ status: 503, body: { status: 'degraded', store: { ok: true }, platforms: { slack: { ok: false } } } });
    expect(api.callsTo('auth.test').length).toBe(asked + 1);

    // Unreachable: the health check's client does not retry (the platform's retries for minutes).
    await api.close();
    const started = Date.now();
    expect(await get(base, '/healthz')).toMatchObject({ status: 503, body: { platforms: { slack: { ok: false } } } });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('serves them beside Feishu’s webhook, and the server answers only their paths', async () => {
    const api = await feishuApi();
    const port = await freePort();
    const { runtimes } = await start({ PORT: String(port), ...feishuWebhook(api) });
    expect(runtimes.map((r) => [r.platform.name, routesOf(r)])).toEqual([['feishu', ['POST /feishu/events', 'POST /feishu/card']]]);
    const base = `http://127.0.0.1:${port}`;
    expect(await get(base, '/healthz')).toMatchObject({ status: 200, body: { status: 'ok', platforms: { feishu: { ok: true } } } });
    expect((await fetch(`${base}/feishu/events`)).status).toBe(405);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);

    await api.stop();
    expect(await get(base, '/healthz')).toMatchObject({ status: 503, body: { platforms: { feishu: { ok: false } } } });
  });

  it('serves them once on the one PORT when Slack and Feishu share it', async () => {
    const [slack, feishu] = [await slackApi(), await feishuApi()];
    const port = await freePort();
    const { runtimes } = await start({ PORT: String(port), ...slackHttp(slack), ...feishuWebhook(feishu) });
    expect(runtimes.map((r) => [r.platform.name, routesOf(r)])).toEqual([
      ['slack', ['POST /slack/events']],
      ['feishu', ['POST /feishu/events', 'POST /feishu/card']],
    ]);
    const base = `http://127.0.0.1:${port}`;
    expect(await get(base, '/healthz')).toEqual({
      status: 200,
      body: { status: 'ok', ready: true, store: { ok: true, kind: 'memory' }, platforms: { slack: { ok: true }, feishu: { ok: true } } },
    });
    expect((await get(base, '/readyz')).status).toBe(200);
  });

  it('serves them on PORT alone when no platform receives over HTTP (Socket Mode)', async () => {
    const port = await freePort();
    const configured = configuredPlatforms(PLATFORM_MODULES, { SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_APP_TOKEN: 'xapp-1-health' });
    const [runtime] = await createRuntimes(configured, logger);
    expect(routesOf(runtime!)).toEqual([]);
    const health = new Health({ logger });
    const server = await HttpServer.start([...healthRoutes(health, logger), ...(runtime!.routes?.() ?? [])], { port, logger });
    cleanup.push(() => server.close());
    const base = `http://127.0.0.1:${port}`;
    expect(await get(base, '/readyz')).toEqual({ status: 503, body: { ready: false } });
    expect((await fetch(`${base}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});

function routesOf(runtime: PlatformRuntime): string[] {
  return (runtime.routes?.() ?? []).map((r) => `${r.method} ${r.path}`);
}
