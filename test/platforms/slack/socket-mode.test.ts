import { App } from '@slack/bolt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { inboundHandlers } from '../../../src/app.ts';
import type { BotContext } from '../../../src/bot/context.ts';
import { loadTeamById } from '../../../src/config/definitions.ts';
import { createLogger } from '../../../src/log.ts';
import { Inbound } from '../../../src/platforms/inbound.ts';
import type { DurableIntake } from '../../../src/platforms/intake/intake.ts';
import { PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import { createSlackRuntime, type SlackRuntime } from '../../../src/platforms/slack/app.ts';
import { boltLogger } from '../../../src/platforms/slack/bolt-logger.ts';
import type { SlackConfig } from '../../../src/platforms/slack/config.ts';
import { slackModule } from '../../../src/platforms/slack/module.ts';
import { OverlappingSocketModeReceiver } from '../../../src/platforms/slack/receivers/socket-mode.ts';
import type { Team } from '../../../src/report/definition.ts';
import type { Store } from '../../../src/store/index.ts';
import { FakeSlackApi, type FakeMessage, type FakeUser } from '../../fakes/slack-api.ts';
import { eventEnvelope, imMessageEvent, newEventId, slashCommandBody } from '../../fakes/slack-payloads.ts';
import { FakeSocketModeServer, type FakeSocketModeOptions } from '../../fakes/slack-socket-mode.ts';
import { VirtualClock } from '../../support/manual-clock.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';
import { BOT_TOKEN, FAST_RETRIES, promptSection, type LogLine } from './harness.ts';

const APP_TOKEN = 'xapp-1-A0000TEST1-0000-socket-test';
/** Owners of one section each, and that section: their replies go to different DMs (Slack paces each at 1 message/s). */
const SECTION_OF: Record<string, string> = {
  'owner-o1': 'o1',
  'owner-o2': 'o2',
  'owner-o3': 'o3',
  'owner-o4': 'o4',
  'owner-beiyizhuan': 'beiyizhuan',
  'owner-escrow': 'decoration-escrow',
};
const OWNERS = Object.keys(SECTION_OF);

/** The bot on Slack in Socket Mode against the local Socket Mode server, counting what its handlers were given. */
interface SocketModeBot {
  socket: FakeSocketModeServer;
  fake: FakeSlackApi;
  runtime: SlackRuntime;
  store: Store;
  team: Team;
  ctx: BotContext;
  logs: LogLine[];
  /** How many times each event id reached the reply handler. */
  repliesHandled: Map<string, number>;
  commandsHandled: number;
  slackId(person: string): string;
  close(): Promise<void>;
}

async function startSocketModeBot(
  label: string,
  options: { socket?: FakeSocketModeOptions; appToken?: string; intake?: DurableIntake } = {},
): Promise<SocketModeBot> {
  const logs: LogLine[] = [];
  const logger = createLogger('slack-socket-test', { level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } });
  const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
  const { definition } = team;
  const users: FakeUser[] = Object.values(definition.people).flatMap((p) => (p.slack ? [{ id: p.slack, name: p.name ?? p.slack, email: p.email }] : []));
  const socket = await FakeSocketModeServer.start(options.socket);
  // The Web API's pacing (a second between messages to one DM) and the fake's limits: virtual time.
  const clock = new VirtualClock();
  const fake = await FakeSlackApi.start({
    token: BOT_TOKEN,
    users,
    channels: [slackModule.reportChannel(definition)!],
    socketMode: { appToken: APP_TOKEN, connectionUrl: () => socket.connectionUrl() },
    clock,
  });
  const store = await openTestStore(label, logger);
  const config: SlackConfig = { botToken: BOT_TOKEN, apiUrl: fake.apiUrl, transport: { mode: 'socket', appToken: options.appToken ?? APP_TOKEN } };
  const runtime = createSlackRuntime(config, { logger, retryConfig: FAST_RETRIES, clock });
  const ctx: BotContext = {
    teams: [team],
    store,
    modules: PLATFORM_MODULES,
    platforms: { slack: runtime.platform },
    clock: { now: () => new Date('2024-06-04T15:34:00+08:00') },
    logger,
  };
  const handlers = inboundHandlers(ctx, 'test-holder');
  const bot: SocketModeBot = {
    socket,
    fake,
    runtime,
    store,
    team,
    ctx,
    logs,
    repliesHandled: new Map(),
    commandsHandled: 0,
    slackId: (person) => definition.people[person]!.slack!,
    close: async () => {
      await runtime.stop();
      await socket.close();
      await fake.close();
      await discardTestStore(store);
    },
  };
  const counting = {
    ...handlers,
    onReply: (reply: Parameters<typeof handlers.onReply>[0]) => {
      bot.repliesHandled.set(reply.eventId, (bot.repliesHandled.get(reply.eventId) ?? 0) + 1);
      return handlers.onReply(reply);
    },
    onCommand: (...args: Parameters<typeof handlers.onCommand>) => {
      bot.commandsHandled += 1;
      return handlers.onCommand(...args);
    },
  };
  try {
    await runtime.start(new Inbound(counting, { logger, intake: options.intake }));
  } catch (error) {
    await socket.close();
    await fake.close();
    await discardTestStore(store);
    throw error;
  }
  return bot;
}

function promptOf(bot: SocketModeBot, person: string, sectionId: string): FakeMessage {
  const userId = bot.slackId(person);
  const prompt = bot.fake.channelMessages(bot.fake.dmChannelOf(userId)).find((m) => promptSection(m) === sectionId);
  if (!prompt) throw new Error(`no prompt for ${sectionId} in the DM of ${person}`);
  return prompt;
}

/** An owner types a reply in their prompt's thread; Slack sends the event over Socket Mode. Returns its event id. */
function ownerReplies(bot: SocketModeBot, person: string, text: string, options: { everywhere?: boolean } = {}): string {
  const prompt = promptOf(bot, person, SECTION_OF[person]!);
  const message = bot.fake.userMessage({ channel: prompt.channel, user: bot.slackId(person), text, threadTs: prompt.ts });
  const eventId = newEventId();
  bot.socket.deliver('events_api', JSON.parse(eventEnvelope(bot.fake, imMessageEvent(message), eventId)) as Record<string, unknown>, options);
  return eventId;
}

/** The texts of an owner's stored answer, part by part. */
async function storedParts(bot: SocketModeBot, person: string): Promise<string[]> {
  const history = await bot.store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W23', sectionId: SECTION_OF[person]!, owner: person });
  return history.at(-1)?.parts?.map((p) => p.rawText) ?? [];
}

/** Every ack came back on a connection its envelope was delivered on. */
function acksOnTheirOwnSockets(socket: FakeSocketModeServer): boolean {
  return socket.acks.every((ack) => socket.deliveries.some((d) => d.envelopeId === ack.envelopeId && d.connection === ack.connection));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Slack Socket Mode across connection refreshes', () => {
  let bot: SocketModeBot | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });

  it('loses no reply and handles none twice while Slack refreshes the connection three times, with a connection open throughout', async () => {
    bot = await startSocketModeBot('slack_socket_refresh', { socket: { ackTimeoutMs: 2_000 } });
    const b = bot;
    await runDueJobs(b.ctx, b.team, 'test-holder');
    const typed = new Map<string, string[]>(OWNERS.map((o) => [o, []]));
    const eventIds: string[] = [];
    const refreshes: Promise<void>[] = [];
    for (let i = 0; i < 36; i += 1) {
      // Slack refreshes the newest connection while replies keep coming.
      if (i % 12 === 4) refreshes.push(b.socket.refresh({ connection: b.socket.liveConnections().at(-1), warningMs: 40, graceMs: 3_000 }));
      const person = OWNERS[i % OWNERS.length]!;
      const n = Math.floor(i / OWNERS.length) + 1;
      const text = `${n}. ${person} 的第${n}件事`;
      typed.get(person)!.push(text);
      // Some envelopes arrive on every open connection at once.
      eventIds.push(ownerReplies(b, person, text, { everywhere: i % 7 === 0 }));
      await sleep(15);
    }
    await Promise.all(refreshes);
    await vi.waitFor(() => expect(b.socket.unacked()).toEqual([]), { timeout: 15_000 });
    // The confirmations take a while: each DM gets one message a second.
    await b.runtime.idle();

    // A connection was open from the first hello on: each refresh opened the next one first.
    expect(b.socket.gaps).toEqual([]);
    expect(b.socket.connectionCount).toBe(4);
    expect(b.socket.timeline.filter((e) => e.event === 'closed')).toEqual([1, 2, 3].map((connection) => ({ event: 'closed', connection, by: 'client' })));
    for (const connection of [1, 2, 3]) {
      const helloOfNext = b.socket.timeline.findIndex((e) => e.event === 'hello' && e.connection === connection + 1);
      const closed = b.socket.timeline.findIndex((e) => e.event === 'closed' && e.connection === connection);
      expect(helloOfNext).toBeLessThan(closed);
    }
    // Every envelope acked, on a socket it came in on; every reply handled once and stored once.
    expect(acksOnTheirOwnSockets(b.socket)).toBe(true);
    expect(eventIds.map((id) => b.repliesHandled.get(id))).toEqual(eventIds.map(() => 1));
    for (const person of OWNERS) {
      const parts = await storedParts(b, person);
      expect(parts.toSorted()).toEqual(typed.get(person)!.toSorted());
      const prompt = promptOf(b, person, SECTION_OF[person]!);
      const confirmations = b.fake.threadReplies(prompt.channel, prompt.ts).filter((m) => m.user === b.fake.botUserId);
      expect(confirmations).toHaveLength(typed.get(person)!.length);
    }
    // Neither the app token nor a connection URL (its ticket admits anyone) is logged.
    expect(JSON.stringify(b.logs)).not.toMatch(new RegExp(`${APP_TOKEN}|ticket=`));
    expect(b.logs.some((l) => l.msg.includes('Slack asked to refresh it (warning)'))).toBe(true);
  }, 90_000);

  it('acks an envelope Slack delivers again on the new connection, without handling it again', async () => {
    bot = await startSocketModeBot('slack_socket_again');
    const b = bot;
    await runDueJobs(b.ctx, b.team, 'test-holder');
    const reply = ownerReplies(b, 'owner-o1', '1. 只处理一次');
    const lead = b.slackId('lead');
    const command = Object.fromEntries(new URLSearchParams(slashCommandBody(b.fake, { user: lead, channel: b.fake.dmChannelOf(lead), text: 'status' })));
    const commandEnvelope = b.socket.deliver('slash_commands', command);
    await vi.waitFor(() => expect(b.socket.unacked()).toEqual([]));
    await b.runtime.idle();

    await b.socket.refresh({ warningMs: 10, graceMs: 2_000 });
    expect(b.socket.liveConnections()).toEqual([2]);
    // Slack did not get those acks (say), and delivers both again on the connection open now.
    b.socket.redeliver(b.socket.deliveries.find((d) => d.type === 'events_api')!.envelopeId);
    b.socket.redeliver(commandEnvelope);
    await vi.waitFor(() => expect(b.socket.unacked()).toEqual([]));
    await b.runtime.idle();

    expect(b.socket.acks.map((a) => [a.envelopeId, a.connection]).toSorted()).toEqual(
      [
        [b.socket.deliveries[0]!.envelopeId, 1],
        [b.socket.deliveries[0]!.envelopeId, 2],
        [commandEnvelope, 1],
        [commandEnvelope, 2],
      ].toSorted(),
    );
    expect(b.repliesHandled.get(reply)).toBe(1);
    expect(b.commandsHandled).toBe(1);
    expect(b.fake.responses).toHaveLength(1);
    expect(await storedParts(b, 'owner-o1')).toEqual(['1. 只处理一次']);
  });

  it('does not ack an envelope it could not spool, and handles it when Slack delivers it again', async () => {
    let refusals = 1;
    // A spool that cannot take the first delivery (a full disk), then takes everything.
    const intake = {
      accept: async (_platform: string, _payload: unknown, process: () => Promise<unknown>) => {
        if (refusals > 0) {
          refusals -= 1;
          throw new Error('ENOSPC: no space left on device');
        }
        return process();
      },
      register: () => {},
      replayPending: async () => {},
    } as unknown as DurableIntake;
    bot = await startSocketModeBot('slack_socket_spool', { socket: { ackTimeoutMs: 300 }, intake });
    const b = bot;
    await runDueJobs(b.ctx, b.team, 'test-holder');
    const reply = ownerReplies(b, 'owner-o3', '1. 第一次没存下');
    await vi.waitFor(() => expect(b.socket.unacked()).toEqual([]), { timeout: 5_000 });
    await b.runtime.idle();

    const envelope = b.socket.deliveries[0]!.envelopeId;
    expect(b.socket.deliveries.map((d) => [d.envelopeId, d.attempt])).toEqual([
      [envelope, 0],
      [envelope, 1],
    ]);
    expect(b.socket.acks.map((a) => a.envelopeId)).toEqual([envelope]);
    expect(b.repliesHandled.get(reply)).toBe(1);
    expect(await storedParts(b, 'owner-o3')).toEqual(['1. 第一次没存下']);
  });

  it('connects again at once when a connection is lost without warning; what was sent meanwhile arrives once', async () => {
    bot = await startSocketModeBot('slack_socket_lost');
    const b = bot;
    await runDueJobs(b.ctx, b.team, 'test-holder');
    b.socket.drop(1);
    const replies = ['1. 断线时发的', '2. 断线后发的'].map((text) => ownerReplies(b, 'owner-o2', text));
    await vi.waitFor(() => expect(b.socket.unacked()).toEqual([]));
    await b.runtime.idle();

    expect(b.socket.timeline).toEqual([
      { event: 'hello', connection: 1 },
      { event: 'closed', connection: 1, by: 'server' },
      { event: 'hello', connection: 2 },
    ]);
    expect(replies.map((id) => b.repliesHandled.get(id))).toEqual([1, 1]);
    expect((await storedParts(b, 'owner-o2')).toSorted()).toEqual(['1. 断线时发的', '2. 断线后发的']);
    expect(b.logs.some((l) => l.level === 40 && l.msg.includes('connection #1 was closed without warning'))).toBe(true);
  });

  it('closes its connections when stopped, and opens no other', async () => {
    bot = await startSocketModeBot('slack_socket_stop');
    const b = bot;
    expect(b.socket.liveConnections()).toEqual([1]);
    await b.runtime.stop();
    await vi.waitFor(() => expect(b.socket.liveConnections()).toEqual([]));
    expect(b.socket.timeline).toEqual([
      { event: 'hello', connection: 1 },
      { event: 'closed', connection: 1, by: 'client' },
    ]);
    expect(b.socket.connectionCount).toBe(1);
  });

  it('refuses to start, naming the variable and not its value, when Slack does not take the app token', async () => {
    const wrong = 'xapp-1-A0000TEST1-9999-wrong-token';
    const refusal = await startSocketModeBot('slack_socket_token', { appToken: wrong }).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(refusal).toMatch(
      /^Slack did not open a Socket Mode connection for SLACK_APP_TOKEN \(apps\.connections\.open at http:\/\/127\.0\.0\.1:\d+\/api\/\): An API error occurred: invalid_auth$/,
    );
    expect(refusal).not.toContain(wrong);
  });
});

describe('Slack Socket Mode: a connection that goes silent', () => {
  it('is replaced like a refresh: the next one opens, and envelopes keep arriving', async () => {
    const socket = await FakeSocketModeServer.start();
    const fake = await FakeSlackApi.start({ token: BOT_TOKEN, socketMode: { appToken: APP_TOKEN, connectionUrl: () => socket.connectionUrl() } });
    const logger = boltLogger(createLogger('slack-socket-silent', { level: 'silent' }));
    const receiver = new OverlappingSocketModeReceiver({
      appToken: APP_TOKEN,
      apiUrl: fake.apiUrl,
      logger,
      pingIntervalMs: 50,
      silenceTimeoutMs: 300,
      drainTimeoutMs: 100,
      closeHandshakeMs: 100,
    });
    const app = new App({ token: BOT_TOKEN, botId: fake.botId, botUserId: fake.botUserId, receiver, logger, clientOptions: { slackApiUrl: fake.apiUrl } });
    const seen: string[] = [];
    app.event('app_mention', async ({ event }) => {
      seen.push(event.text);
    });
    const mention = (text: string) => ({
      type: 'event_callback',
      event_id: newEventId(),
      team_id: fake.teamId,
      event: { type: 'app_mention', user: 'U0000000004', text, ts: '1.0', channel: 'C1', event_ts: '1.0' },
    });
    try {
      await app.start();
      socket.deliver('events_api', mention('before'));
      await vi.waitFor(() => expect(seen).toEqual(['before']));

      socket.freeze(1);
      await vi.waitFor(() => expect(socket.liveConnections()).toContain(2), { timeout: 5_000 });
      await vi.waitFor(() => expect(receiver.openConnections).toBe(1), { timeout: 5_000 });
      socket.deliver('events_api', mention('after'));
      await vi.waitFor(() => expect(seen).toEqual(['before', 'after']));
    } finally {
      await app.stop();
      await socket.close();
      await fake.close();
    }
  });
});
