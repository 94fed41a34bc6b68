import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWeek, promptOwners } from '../../../handlers/cycle/prompt.ts';
import {
  blockActionPayload,
  eventEnvelope,
  imMessageEvent,
  JSON_TYPE,
  newEventId,
  slackTextOf,
  slashCommandBody,
  FORM_TYPE,
} from '../../fakes/slack-payloads.ts';
import { slackSignature } from '../../fakes/slack-api.ts';
import { createLogger } from '../../../src/log.ts';
import { DurableIntake } from '../../../src/platforms/intake/intake.ts';
import { SPOOL_FILE } from '../../../src/platforms/intake/spool.ts';
import { SIGNING_SECRET, STRANGER, startSlackHarness, type SlackHarness } from './harness.ts';

const WEEK = { teamId: 'payments-weekly', week: '2024-W23' };

describe('Slack requests the app refuses', () => {
  let h: SlackHarness;

  beforeEach(async () => {
    h = await startSlackHarness('slack_security', { now: '2024-06-05T10:00:00+08:00' });
    await openWeek(h.ctx, h.team, '2024-W23');
  });
  afterEach(async () => {
    await h?.close();
  });

  /** An owner's DM that would be stored if it came from Slack. */
  function o1Reply(): string {
    const user = h.slackId('owner-o1');
    const message = h.fake.userMessage({ channel: h.fake.dmChannelOf(user), user, text: slackTextOf('1. 存管路由专项：拓展16城') });
    return eventEnvelope(h.fake, imMessageEvent(message), newEventId());
  }

  async function nothingChanged(): Promise<void> {
    expect(await h.store.latestSubmissions('payments-weekly', '2024-W23')).toEqual([]);
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
    expect(h.fake.responses).toEqual([]);
  }

  it('answers 401 to an unsigned request and changes nothing', async () => {
    expect((await h.post(o1Reply(), JSON_TYPE, { unsigned: true })).status).toBe(401);
    await nothingChanged();
  });

  it('answers 401 to a badly signed request and changes nothing', async () => {
    const body = o1Reply();
    const now = Math.floor(Date.now() / 1000);
    expect((await h.post(body, JSON_TYPE, { signature: slackSignature('not-the-secret-0123456789', now, body) })).status).toBe(401);
    // Signed right, but for another body.
    expect((await h.post(body, JSON_TYPE, { signature: slackSignature(SIGNING_SECRET, now, `${body} `) })).status).toBe(401);
    expect(
      (await h.post(slashCommandBody(h.fake, { user: h.slackId('lead'), channel: 'C0000000001', text: 'publish' }), FORM_TYPE, { signature: 'v0=00' })).status,
    ).toBe(401);
    await nothingChanged();
  });

  it('answers 401 to a request signed more than 5 minutes ago (a replay) and changes nothing', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await h.post(o1Reply(), JSON_TYPE, { timestamp: sixMinutesAgo })).status).toBe(401);
    await nothingChanged();
  });

  it('serves an unauthenticated health check that touches nothing', async () => {
    const response = await fetch(h.eventsUrl().replace('/slack/events', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', ready: true });
    await nothingChanged();
  });

  it('stores the same reply when it is signed right', async () => {
    expect((await h.post(o1Reply(), JSON_TYPE)).status).toBe(200);
    expect(await h.store.latestSubmissions('payments-weekly', '2024-W23')).toHaveLength(1);
  });

  it('answers a DM from someone who owns no section politely and stores nothing', async () => {
    const channel = h.fake.dmChannelOf(STRANGER);
    const message = h.fake.userMessage({ channel, user: STRANGER, text: '1. 我也想写周报' });
    expect((await h.sendEvent(imMessageEvent(message))).status).toBe(200);

    const answers = h.fake.botMessages(channel);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.text).toContain('你目前不负责任何周报部分');
    expect(await h.store.latestSubmissions('payments-weekly', '2024-W23')).toEqual([]);
  });

  it('refuses `publish` from someone who is not a lead, visibly to them only', async () => {
    expect((await h.command(h.slackId('owner-o1'), 'publish')).status).toBe(200);
    expect(h.fake.responses).toHaveLength(1);
    expect(h.fake.responses[0]!.body).toMatchObject({ response_type: 'ephemeral', text: '只有周报负责人可以执行 publish（负责人：Lead）。' });
    expect(h.fake.channelMessages('C0000000001')).toEqual([]);
    expect((await h.store.getCycle('payments-weekly', '2024-W23'))?.status).toBe('open');
  });

  it('does not open a section’s form for someone who does not own it', async () => {
    await promptOwners(h.ctx, h.team, '2024-W23');
    const o1 = h.slackId('owner-o1');
    const prompt = h.fake.channelMessages(h.fake.dmChannelOf(o1))[0]!;
    // Another user presses the button (a forwarded or shared message).
    const action = blockActionPayload(h.fake, { user: h.slackId('owner-o3'), message: prompt, actionId: 'open_answer_form' });
    expect((await h.interact(action)).status).toBe(200);
    expect(h.fake.callsTo('views.open')).toEqual([]);
    expect(h.fake.responses.at(-1)!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('不由你负责') });
  });

  it('stores one revision when Slack delivers the same event three times', async () => {
    const user = h.slackId('owner-o3');
    const channel = h.fake.dmChannelOf(user);
    const message = h.fake.userMessage({ channel, user, text: slackTextOf('1. 银企M6V机房迁移：整体进度90%') });
    const eventId = newEventId();
    const deliveries = await Promise.all([
      h.sendEvent(imMessageEvent(message), { eventId }),
      h.sendEvent(imMessageEvent(message), { eventId, retryNum: 1, retryReason: 'http_timeout' }),
      h.sendEvent(imMessageEvent(message), { eventId, retryNum: 2, retryReason: 'http_timeout' }),
    ]);
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);

    const history = await h.store.submissionHistory({ ...WEEK, sectionId: 'o3', owner: 'owner-o3' });
    expect(history).toHaveLength(1);
    expect(history[0]!.eventId).toBe(eventId);
    expect(h.fake.botMessages(channel).filter((m) => m.text.startsWith('✅'))).toHaveLength(1);
  });

  it('ignores the bot’s own messages and other bots’ in the DM', async () => {
    const user = h.slackId('owner-o3');
    const channel = h.fake.dmChannelOf(user);
    const own = { type: 'message', channel, channel_type: 'im', user: h.fake.botUserId, bot_id: h.fake.botId, text: '📝 prompt', ts: '1717400999.000001' };
    const otherBot = {
      type: 'message',
      subtype: 'bot_message',
      channel,
      channel_type: 'im',
      bot_id: 'B0OTHER',
      username: 'ci',
      text: '1. build passed',
      ts: '1717400999.000002',
    };
    expect((await h.sendEvent(own)).status).toBe(200);
    expect((await h.sendEvent(otherBot)).status).toBe(200);
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
    expect(await h.store.latestSubmissions('payments-weekly', '2024-W23')).toEqual([]);
  });
});

/** Signed right, but not a request Slack would send (issue #20, a): refused at once, with the reason. */
describe('Slack request bodies of the wrong shape', () => {
  let h: SlackHarness;
  let dir: string;
  let intake: DurableIntake;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slack-shapes-'));
    intake = await DurableIntake.open(dir, { logger: createLogger('intake-test', { level: 'silent' }), storeAvailable: async () => true });
    h = await startSlackHarness('slack_body_shapes', { now: '2024-06-05T10:00:00+08:00', intake });
    await openWeek(h.ctx, h.team, '2024-W23');
  });
  afterEach(async () => {
    await h?.close();
    await intake?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Signed right; answered before Bolt's 3 s wait for an acknowledgement, or aborted. */
  async function post(body: string, contentType: string): Promise<{ status: number; body: string }> {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body),
    };
    const response = await fetch(h.eventsUrl(), { method: 'POST', headers, body, signal: AbortSignal.timeout(2_000) });
    return { status: response.status, body: await response.text() };
  }

  it('answers 400 at once, rejects nothing unhandled, and spools, stores and sends nothing', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const json = [
        'null',
        '[]',
        '{}',
        '"x"',
        '42',
        '{"type":42}',
        '{"type":"event_callback"}',
        '{"type":"event_callback","event":null}',
        '{"type":"block_actions"}',
      ];
      const forms = ['', 'text=publish', 'payload=null', 'payload=%5B%5D', 'payload=%7B%7D', 'payload=%22x%22', 'payload=42', 'payload=not-json'];
      for (const [body, contentType] of [...json.map((b) => [b, JSON_TYPE] as const), ...forms.map((b) => [b, FORM_TYPE] as const)]) {
        const answer = await post(body, contentType);
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
      }
      await h.runtime.idle();
      await new Promise((resolve) => setImmediate(resolve));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    expect(await readFile(path.join(dir, SPOOL_FILE), 'utf8')).toBe('');
    expect(await h.store.latestSubmissions('payments-weekly', '2024-W23')).toEqual([]);
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
    expect(h.fake.responses).toEqual([]);
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('says why, to the sender and in the log', async () => {
    expect(await post('null', JSON_TYPE)).toEqual({ status: 400, body: JSON.stringify({ error: 'the body is null, not a Slack request object' }) });
    expect(await post('payload=%5B%5D', FORM_TYPE)).toEqual({
      status: 400,
      body: JSON.stringify({ error: 'the payload is an array, not a Slack request object' }),
    });
    expect(await post('text=publish', FORM_TYPE)).toEqual({ status: 400, body: JSON.stringify({ error: 'a form with neither a command nor a payload' }) });
    expect(h.logs.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      'Slack request refused (400): the body is null, not a Slack request object',
      'Slack request refused (400): the payload is an array, not a Slack request object',
      'Slack request refused (400): a form with neither a command nor a payload',
    ]);
  });

  it('still answers Slack’s URL check, and routes a command and an event', async () => {
    const check = await post(JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' }), JSON_TYPE);
    expect(check).toMatchObject({ status: 200, body: JSON.stringify({ challenge: 'c-123' }) });
    expect((await h.command(h.slackId('lead'), 'status')).status).toBe(200);
    const user = h.slackId('owner-o1');
    const message = h.fake.userMessage({ channel: h.fake.dmChannelOf(user), user, text: slackTextOf('1. 存管路由专项：拓展16城') });
    expect((await h.sendEvent(imMessageEvent(message))).status).toBe(200);
    expect(await h.store.latestSubmissions('payments-weekly', '2024-W23')).toHaveLength(1);
  });
});
