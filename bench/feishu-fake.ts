import { createServer, request as httpRequest, Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeFeishuOpenApi, type FakeMessage } from '../test/fakes/feishu-open-api.ts';
import { RATE_LIMITED_CODE } from '../src/platforms/feishu/rate-limit.ts';

/**
 * The tests' fake Feishu Open API, with Feishu's per-app limits for sending messages put in
 * front of it: at most `perSecond` and `perMinute` `im.v1.message.create` calls of the app in
 * any sliding second and minute; past them, HTTP 429 with code 99991400 and the
 * `x-ogw-ratelimit-*` headers, as Feishu answers. The fake itself keeps the per-user limit
 * (`limitPerReceiver`), validates, records and keeps the messages.
 */
export class BenchFeishuApi {
  /** Calls refused here, by the app's limits. */
  appLimited = 0;
  private limits: { perSecond: number; perMinute: number } | null = null;
  private readonly admitted: number[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  private constructor(
    readonly fake: FakeFeishuOpenApi,
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(fake: FakeFeishuOpenApi): Promise<BenchFeishuApi> {
    await fake.start();
    const ready: { api?: BenchFeishuApi } = {};
    const server = createServer((req, res) => {
      ready.api!.handle(req, res).catch((error: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    ready.api = new BenchFeishuApi(fake, server, `http://127.0.0.1:${port}`);
    return ready.api;
  }

  /** The app's limits for sending messages; null turns them off. */
  limitApp(limits: { perSecond: number; perMinute: number } | null): void {
    this.limits = limits;
    this.admitted.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
    await this.fake.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? '/';
    if (this.limits && req.method === 'POST' && path.startsWith('/open-apis/im/v1/messages?')) {
      const resetSeconds = this.admit(this.limits);
      if (resetSeconds !== null) {
        this.appLimited += 1;
        res.writeHead(429, {
          'content-type': 'application/json',
          'x-ogw-ratelimit-limit': String(this.limits.perSecond),
          'x-ogw-ratelimit-reset': String(resetSeconds),
        });
        res.end(JSON.stringify({ code: RATE_LIMITED_CODE, msg: 'request trigger frequency limit' }));
        return;
      }
    }
    await this.forward(req, path, body, res);
  }

  /** Null when the call may go; otherwise the seconds until a window has room again. */
  private admit(limits: { perSecond: number; perMinute: number }): number | null {
    const now = Date.now();
    while (this.admitted.length > 0 && this.admitted[0]! <= now - 60_000) this.admitted.shift();
    const lastSecond = this.admitted.filter((t) => t > now - 1_000);
    if (lastSecond.length >= limits.perSecond) return Math.max(1, Math.ceil((lastSecond[0]! + 1_000 - now) / 1000));
    if (this.admitted.length >= limits.perMinute) return Math.max(1, Math.ceil((this.admitted[0]! + 60_000 - now) / 1000));
    this.admitted.push(now);
    return null;
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

/** The prompt a Feishu message is, from its card's answer button: (teamId, week, sectionId), or null. */
export function feishuPromptRef(message: FakeMessage): { teamId: string; week: string; sectionId: string } | null {
  if (message.msg_type !== 'interactive') return null;
  let card: unknown;
  try {
    card = JSON.parse(message.content);
  } catch {
    return null;
  }
  type Element = { tag?: string; elements?: Element[]; columns?: Element[]; behaviors?: { value?: Record<string, string> }[] };
  const stack: Element[] = [...(((card as { body?: { elements?: Element[] } }).body?.elements ?? []) as Element[])];
  while (stack.length > 0) {
    const element = stack.pop()!;
    const value = element.tag === 'button' ? element.behaviors?.[0]?.value : undefined;
    if (value?.sectionId && value.teamId && value.week) return { teamId: value.teamId, week: value.week, sectionId: value.sectionId };
    stack.push(...(element.elements ?? []), ...(element.columns ?? []));
  }
  return null;
}
