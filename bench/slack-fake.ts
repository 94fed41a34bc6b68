import { createServer, request as httpRequest, Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { FakeSlackApi, type FakeSlackOptions } from '../test/fakes/slack-api.ts';

/**
 * The tests' fake Slack Web API, with one thing it lacks put in front of it: Slack's limit of
 * about one message per second per channel. FakeSlackApi already does per-method limits for the
 * whole workspace (`rateLimitPerSecond`); this front server answers 429 with Retry-After for a
 * chat.postMessage past the per-channel limit and forwards everything else unchanged, so the
 * fake stays the one that validates, records and keeps messages.
 */
export class BenchSlackApi {
  /** chat.postMessage calls refused here, by channel limit (the fake counts its own 429s). */
  channelLimited = 0;
  private channelLimit: { perSecond: number; retryAfter: number } | null = null;
  private readonly served = new Map<string, number[]>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  private constructor(
    readonly fake: FakeSlackApi,
    private readonly server: Server,
    private readonly url: string,
  ) {}

  static async start(options: FakeSlackOptions): Promise<BenchSlackApi> {
    const fake = await FakeSlackApi.start(options);
    const ready: { api?: BenchSlackApi } = {};
    const server = createServer((req, res) => {
      ready.api!.handle(req, res).catch((error: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    ready.api = new BenchSlackApi(fake, server, `http://127.0.0.1:${port}/`);
    return ready.api;
  }

  /** For WebClient's `slackApiUrl`: through the channel limit. */
  get apiUrl(): string {
    return `${this.url}api/`;
  }

  /** At most `perSecond` chat.postMessage per channel in any second; null turns it off. */
  limitPerChannel(limit: { perSecond: number; retryAfter?: number } | null): void {
    this.channelLimit = limit ? { perSecond: limit.perSecond, retryAfter: limit.retryAfter ?? 1 } : null;
    this.served.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
    await this.fake.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? '/';
    if (this.channelLimit && path.startsWith('/api/chat.postMessage')) {
      const channel = channelOf(req, body);
      if (channel && !this.admit(channel, this.channelLimit.perSecond)) {
        this.channelLimited += 1;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(this.channelLimit.retryAfter) });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
    }
    await this.forward(req, path, body, res);
  }

  private admit(channel: string, perSecond: number): boolean {
    const now = Date.now();
    const recent = (this.served.get(channel) ?? []).filter((t) => now - t < 1000);
    if (recent.length >= perSecond) {
      this.served.set(channel, recent);
      return false;
    }
    recent.push(now);
    this.served.set(channel, recent);
    return true;
  }

  private forward(req: IncomingMessage, path: string, body: Buffer, res: ServerResponse): Promise<void> {
    const target = new URL(path, this.fake.url);
    const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(target, { method: req.method, headers, agent: this.agent }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

function channelOf(req: IncomingMessage, body: Buffer): string | undefined {
  const type = req.headers['content-type'] ?? '';
  const text = body.toString('utf8');
  try {
    const args = type.startsWith('application/json') ? (JSON.parse(text) as Record<string, unknown>) : parseQuery(text);
    return typeof args.channel === 'string' ? args.channel : undefined;
  } catch {
    return undefined;
  }
}
