import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_COMMAND_CHARS } from '../../handlers/inbound/command.ts';
import { openWeek, promptOwners } from '../../handlers/cycle/prompt.ts';
import { createLogger } from '../../src/log.ts';
import { boundedServerOptions, MAX_BODY_BYTES, SERVER_TIMEOUTS } from '../../src/http/limits.ts';
import { HttpServer } from '../../src/http/server.ts';
import { REPLAY_WINDOW_SECONDS, verifyWebhookRequest } from '../../src/platforms/feishu/webhook.ts';
import { createSlackRuntime } from '../../src/platforms/slack/app.ts';
import { encryptFeishuPayload, feishuSignature, menuClicked, newEventId as newFeishuEventId } from '../fakes/feishu-webhook.ts';
import { postOversized } from '../fakes/oversized-body.ts';
import { signedPost } from '../fakes/slack-api.ts';
import {
  blockActionPayload,
  eventEnvelope,
  FORM_TYPE,
  imMessageEvent,
  interactionBody,
  JSON_TYPE,
  slackTextOf,
  slashCommandBody,
} from '../fakes/slack-payloads.ts';
import { APP, startFeishuHarness, type FeishuHarness } from './feishu/harness.ts';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from './slack/harness.ts';
import { slackModule } from '../../src/platforms/slack/module.ts';

const MiB = 1024 * 1024;
/** What a server may read past the limit before it stops: the socket reads in 64 KiB at most. */
const ONE_READ = 64 * 1024;
const WEEK = '2024-W23';

/** The byte counts the Slack guard logs with a 413: `(Content-Length N, M bytes read)`. */
function slackRefusals(h: SlackHarness): { declared: string; bytesRead: number }[] {
  return h.logs.flatMap((l) => {
    const match = /^HTTP request refused \(413\): .*\(Content-Length (\w+), (\d+) bytes read\)$/.exec(l.msg);
    return match ? [{ declared: match[1]!, bytesRead: Number(match[2]) }] : [];
  });
}

describe('Slack: bounded requests', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness('slack_limits', { now: '2024-06-05T10:00:00+08:00' });
    await openWeek(h.ctx, h.team, WEEK);
  });
  afterEach(async () => {
    await h?.close();
  });
  const healthUrl = () => h.eventsUrl().replace('/slack/events', '/healthz');
  const lead = () => h.slackId('lead');
  const reportChannel = () => slackModule.reportChannel(h.team.definition)!;

  it('answers 413 to an unsigned 256 MB body with Content-Length at its first chunk', async () => {
    const answer = await postOversized(h.eventsUrl(), { bytes: 256 * MiB, declareLength: true });
    expect(answer.status).toBe(413);
    expect(answer.body).toBe(`{"error":"request body larger than ${MAX_BODY_BYTES} bytes"}`);
    const refusals = slackRefusals(h);
    expect(refusals).toEqual([{ declared: String(256 * MiB), bytesRead: expect.any(Number) }]);
    expect(refusals[0]!.bytesRead).toBeLessThanOrEqual(ONE_READ);
    expect(h.fake.responses).toEqual([]);
  });

  it('answers 413 to a chunked 256 MB body once it passes the limit, having read no more than one chunk beyond it', async () => {
    const answers = await Promise.all([1, 2, 3, 4].map(() => postOversized(h.eventsUrl(), { bytes: 256 * MiB, declareLength: false })));
    expect(answers.map((a) => a.status)).toEqual([413, 413, 413, 413]);
    // The senders were stopped within a few MB (socket buffers), not after 256 MB.
    for (const a of answers) expect(a.sentBytes).toBeLessThan(32 * MiB);
    const refusals = slackRefusals(h);
    expect(refusals).toHaveLength(4);
    for (const r of refusals) {
      expect(r.declared).toBe('none');
      expect(r.bytesRead).toBeGreaterThan(MAX_BODY_BYTES);
      expect(r.bytesRead).toBeLessThanOrEqual(MAX_BODY_BYTES + ONE_READ);
    }
  });

  it('answers 413 on the health route too, and serves it as before', async () => {
    expect((await postOversized(healthUrl(), { bytes: 8 * MiB, declareLength: true })).status).toBe(413);
    expect((await postOversized(healthUrl(), { bytes: 8 * MiB, declareLength: false })).status).toBe(413);
    const response = await fetch(healthUrl());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('still verifies a body just under the limit: signed it is handled, unsigned it is refused', async () => {
    const user = h.slackId('owner-o1');
    const message = h.fake.userMessage({ channel: h.fake.dmChannelOf(user), user, text: slackTextOf(`1. 存管路由专项：${'长'.repeat(20)}`) });
    const event = JSON.parse(eventEnvelope(h.fake, imMessageEvent(message))) as Record<string, unknown>;
    // Padding Slack would not send, to bring the body close to the limit.
    const body = JSON.stringify({ ...event, padding: 'x'.repeat(MAX_BODY_BYTES - 4_000) });
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_BODY_BYTES);
    expect((await h.post(body, JSON_TYPE, { unsigned: true })).status).toBe(401);
    expect((await h.post(body, JSON_TYPE)).status).toBe(200);
    expect(await h.store.latestSubmissions('payments-weekly', WEEK)).toHaveLength(1);
  });

  it('refuses a request dated more than 5 minutes in the future or the past (401), and runs nothing', async () => {
    const command = () => slashCommandBody(h.fake, { user: lead(), channel: reportChannel(), text: 'publish' });
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now + 3600, now + 6 * 60, now - 6 * 60, now - 3600]) {
      expect((await h.post(command(), FORM_TYPE, { timestamp })).status).toBe(401);
    }
    expect(h.fake.responses).toEqual([]);
    expect(h.fake.channelMessages(reportChannel())).toEqual([]);
    const refusals = h.logs.map((l) => l.msg).filter((m) => m.startsWith('Slack request refused (401)'));
    expect(refusals.map((m) => /is \d+ s in the (future|past)$/.exec(m)?.[1])).toEqual(['future', 'future', 'past', 'past']);
    // Within the window, either way, it runs (a clock a little off is normal).
    expect(
      (await h.post(slashCommandBody(h.fake, { user: lead(), channel: reportChannel(), text: 'status' }), FORM_TYPE, { timestamp: now + 4 * 60 })).status,
    ).toBe(200);
    const again = await h.post(slashCommandBody(h.fake, { user: lead(), channel: reportChannel(), text: 'status' }), FORM_TYPE, { timestamp: now - 4 * 60 });
    expect(again.status).toBe(200);
    // The first is answered over response_url; the second, a moment later, in its acknowledgement.
    expect(h.fake.responses).toHaveLength(1);
    expect(JSON.parse(again.body)).toMatchObject({ text: h.fake.responses[0]!.body.text });
  });

  it('runs the same signed `/weekly-report publish` once when it is replayed 5 times (same trigger_id, fresh signatures)', async () => {
    // `publish confirm`: published even with sections missing, so a second run would update the post.
    const body = slashCommandBody(h.fake, { user: lead(), channel: reportChannel(), text: 'publish confirm' });
    const now = Math.floor(Date.now() / 1000);
    const statuses: number[] = [];
    // Each replay signed anew, a second apart, as an attacker holding the secret or a proxy would.
    for (let i = 0; i < 5; i++) statuses.push((await h.post(body, FORM_TYPE, { timestamp: now - i })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    await h.runtime.idle();
    // One answer, one report in the channel, and four replays turned away before the handler.
    expect(h.fake.responses.map((r) => r.body.text)).toEqual([`${WEEK} 周报已发布。`]);
    expect(h.fake.channelMessages(reportChannel()).filter((m) => !m.threadTs)).toHaveLength(1);
    expect(h.fake.callsTo('chat.update')).toEqual([]);
    expect(h.logs.filter((l) => l.msg === 'repeated delivery ignored')).toHaveLength(4);
  });

  it('opens the answer form once when the same button press is replayed', async () => {
    await promptOwners(h.ctx, h.team, WEEK);
    const o1 = h.slackId('owner-o1');
    const prompt = h.fake.channelMessages(h.fake.dmChannelOf(o1))[0]!;
    const press = interactionBody(blockActionPayload(h.fake, { user: o1, message: prompt, actionId: 'open_answer_form' }));
    for (let i = 0; i < 3; i++) expect((await h.post(press, FORM_TYPE)).status).toBe(200);
    expect(h.fake.callsTo('views.open')).toHaveLength(1);
  });

  it('refuses command text over the limit with a short answer, without parsing or running it', async () => {
    const huge = `publish ${'x'.repeat(100_000)}`;
    expect((await h.command(lead(), huge)).status).toBe(200);
    expect((await h.command(lead(), `publish ${'长'.repeat(MAX_COMMAND_CHARS)}`)).status).toBe(200);
    expect(h.fake.responses).toHaveLength(2);
    for (const { body } of h.fake.responses) {
      expect(body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('无法识别 “publish ') });
      expect((body.text as string).length).toBeLessThan(1_500);
      expect(body.blocks ?? []).toEqual([]);
    }
    expect(h.fake.responses[0]!.body.text).toContain('x…”');
    expect(h.fake.channelMessages(reportChannel())).toEqual([]);
    expect((await h.store.getCycle('payments-weekly', WEEK))?.status).toBe('open');
  });

  it('quotes an unknown command shortened, however long it is under the limit', async () => {
    expect((await h.command(lead(), `bogus ${'y'.repeat(MAX_COMMAND_CHARS - 10)}`)).status).toBe(200);
    const text = h.fake.responses[0]!.body.text as string;
    expect(text).toMatch(/^无法识别 “bogus y+…”。/);
    expect(text.length).toBeLessThan(1_500);
  });

  it('answers 413 to a 1 MB slash command before Bolt parses it', async () => {
    const body = slashCommandBody(h.fake, { user: lead(), channel: reportChannel(), text: 'z'.repeat(MiB) });
    expect((await signedPost(h.eventsUrl(), body, FORM_TYPE, SIGNING_SECRET)).status).toBe(413);
    await h.runtime.idle();
    expect(h.fake.responses).toEqual([]);
  });
});

describe('Feishu: bounded requests', () => {
  let bot: FeishuHarness;
  beforeAll(async () => {
    bot = await startFeishuHarness('feishu_limits');
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('answers 413 on /feishu/events and /feishu/card to 256 MB bodies, declared or chunked, reading no more than one chunk past the limit', async () => {
    const base = bot.webhookUrl();
    for (const path of ['/feishu/events', '/feishu/card']) {
      for (const declareLength of [true, false]) {
        const answer = await postOversized(`${base}${path}`, { bytes: 256 * MiB, declareLength });
        expect(answer.status).toBe(413);
        expect(answer.sentBytes).toBeLessThan(32 * MiB);
      }
    }
    const refusals = bot.logs.filter((l) => l.msg.startsWith('HTTP request refused (413)')) as unknown as {
      path: string;
      bytesRead: number;
      declaredBytes?: number;
    }[];
    expect(refusals.map((r) => [r.path, r.declaredBytes ?? null])).toEqual([
      ['/feishu/events', 256 * MiB],
      ['/feishu/events', null],
      ['/feishu/card', 256 * MiB],
      ['/feishu/card', null],
    ]);
    for (const r of refusals) expect(r.bytesRead).toBeLessThanOrEqual((r.declaredBytes ? 0 : MAX_BODY_BYTES) + ONE_READ);
  });

  it('checks the replay window both ways: up to 5 minutes off is accepted, more is refused', () => {
    const payload = menuClicked(APP, 'ou_someone', 'weekly_report_status', newFeishuEventId());
    const body = JSON.stringify({ encrypt: encryptFeishuPayload(payload, APP.encryptKey) });
    const now = Date.parse('2024-06-05T02:00:00Z');
    const at = (offsetSeconds: number) => {
      const timestamp = String(now / 1000 + offsetSeconds);
      const headers = {
        'x-lark-request-timestamp': timestamp,
        'x-lark-request-nonce': 'n1',
        'x-lark-signature': feishuSignature(timestamp, 'n1', APP.encryptKey, body),
      };
      return verifyWebhookRequest(body, headers, APP, now).kind;
    };
    expect([-REPLAY_WINDOW_SECONDS, -60, 0, 60, REPLAY_WINDOW_SECONDS].map(at)).toEqual(['event', 'event', 'event', 'event', 'event']);
    expect([-REPLAY_WINDOW_SECONDS - 1, -3600, REPLAY_WINDOW_SECONDS + 1, 3600].map(at)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
  });
});

describe('what a refused body costs the server', () => {
  it('reads no more than the limit and two socket reads of each 256 MB body it refuses, declared or chunked (the socket’s own count)', async () => {
    const logger = createLogger('limits');
    const server = await HttpServer.start([], { port: 0, host: '127.0.0.1', logger });
    const reads: number[] = [];
    server.server.on('connection', (socket) => socket.once('close', () => reads.push(socket.bytesRead)));
    try {
      const answers = await Promise.all(
        [true, false, true, false].map((declareLength) => postOversized(server.url('/slack/events'), { bytes: 256 * MiB, declareLength })),
      );
      expect(answers.map((a) => a.status)).toEqual([413, 413, 413, 413]);
      // Each refused connection is closed a moment after its 413; its reads are counted then.
      await expect.poll(() => reads.length, { timeout: 10_000 }).toBe(4);
      // What bench scenario 6 holds the bot to: the headers, the limit, the socket read in flight
      // when it was passed and the one Node's parser had buffered. Not the body Node would drain
      // after the answer if the request were left unconsumed.
      for (const bytes of reads) expect(bytes).toBeLessThan(MAX_BODY_BYTES + 2 * ONE_READ + 8 * 1024);
    } finally {
      await server.close();
    }
  });
});

describe('server timeouts', () => {
  const servers: HttpServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });
  const logger = createLogger('limits');
  /** The Slack route as the bot's server carries it. */
  const slackRoutes = () =>
    createSlackRuntime(
      { botToken: 'xoxb-0000-limits', apiUrl: 'http://127.0.0.1:1/api/', transport: { mode: 'http', signingSecret: SIGNING_SECRET } },
      { logger },
    ).routes();

  it('sets header, request and keep-alive timeouts on the bot’s one server', async () => {
    const server = await HttpServer.start(slackRoutes(), { port: 0, host: '127.0.0.1', logger });
    servers.push(server);
    const node = server.server;
    expect({ headers: node.headersTimeout, request: node.requestTimeout, keepAlive: node.keepAliveTimeout }).toEqual({
      headers: SERVER_TIMEOUTS.headersMs,
      request: SERVER_TIMEOUTS.requestMs,
      keepAlive: SERVER_TIMEOUTS.keepAliveMs,
    });
  });

  it('cuts off a client that trickles its body (408) instead of holding the socket', async () => {
    // The production timeouts, scaled down to keep the test short.
    const server = await HttpServer.start(slackRoutes(), {
      port: 0,
      host: '127.0.0.1',
      logger,
      serverOptions: { ...boundedServerOptions(), requestTimeout: 600, headersTimeout: 500, connectionsCheckingInterval: 100 },
    });
    servers.push(server);
    const { port } = server;
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST /slack/events HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{`);
        // One byte now and then: never done, never idle for long.
        const drip = setInterval(() => socket.write(' '), 100);
        let text = '';
        socket.on('data', (data) => (text += data.toString()));
        socket.on('close', () => {
          clearInterval(drip);
          resolve(text);
        });
        socket.on('error', () => clearInterval(drip));
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
