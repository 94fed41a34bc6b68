import { readFile } from 'node:fs/promises';
import type { BotContext } from '../../../src/bot/context.ts';
import { inboundHandlers } from '../../../src/app.ts';
import { loadTeamById } from '../../../src/config/definitions.ts';
import { Health } from '../../../src/health/health.ts';
import { healthRoutes } from '../../../src/health/server.ts';
import { HttpServer } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/log.ts';
import { createSlackRuntime, type SlackRuntime } from '../../../src/platforms/slack/app.ts';
import type { SlackConfig } from '../../../src/platforms/slack/config.ts';
import type { Team } from '../../../src/report/definition.ts';
import type { OpenedStore, Store } from '../../../src/store/index.ts';
import { DeferredStore } from '../../../src/store/deferred.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';
import { FakeSlackApi, signedPost, type FakeMessage, type FakeSlackOptions, type FakeUser, type SignedPostOptions } from '../../fakes/slack-api.ts';
import { eventEnvelope, FORM_TYPE, interactionBody, JSON_TYPE, newEventId, slashCommandBody } from '../../fakes/slack-payloads.ts';
import { PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import { Inbound } from '../../../src/platforms/inbound.ts';
import type { DurableIntake } from '../../../src/platforms/intake/intake.ts';
import { slackModule } from '../../../src/platforms/slack/module.ts';
import { EVENTS_PATH } from '../../../src/platforms/slack/receivers/receiver.ts';
import { VirtualClock } from '../../support/manual-clock.ts';

export const BOT_TOKEN = 'xoxb-0000-test-token';
export const SIGNING_SECRET = 'test-signing-secret-0123456789';
/** Someone in the workspace who is in no report. */
export const STRANGER = 'U0000000050';

/** WebClient retries that keep tests fast; Retry-After waits (1 s in the fake) still apply, on the harness's clock. */
export const FAST_RETRIES = { retries: 4, factor: 1, minTimeout: 10, maxTimeout: 20, randomize: false };

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface SlackHarness {
  fake: FakeSlackApi;
  runtime: SlackRuntime;
  store: Store;
  team: Team;
  ctx: BotContext;
  /** The fake clock the handlers read. */
  setNow(iso: string): void;
  /** The time the bot's pacing and the fake's rate limits run on: virtual, as fast as the code allows. */
  clock: VirtualClock;
  logs: LogLine[];
  /** The Slack user id of a person of the team (a key of `people`). */
  slackId(person: string): string;
  /** Where Slack sends events, commands and interactions: `POST /slack/events` on the bot's one server. */
  eventsUrl(): string;
  /** POSTs signed to the app, then waits until the app has handled it. */
  post(body: string, contentType: string, options?: SignedPostOptions): Promise<{ status: number; body: string }>;
  /** Sends an event (a fresh event id unless given) and waits for it to be handled. */
  sendEvent(event: Record<string, unknown>, options?: { eventId?: string } & SignedPostOptions): Promise<{ status: number; body: string }>;
  /** `/weekly-report <text>` typed by a user. */
  command(user: string, text: string, channel?: string): Promise<{ status: number; body: string }>;
  interact(payload: Record<string, unknown>): Promise<{ status: number; body: string }>;
  /**
   * Stops the runtime and starts a new one (a restarted process, with its own holder) on the same
   * store, fake and clock; `runtime` and `ctx` are the new ones afterwards.
   */
  restart(holder: string): Promise<void>;
  /** With `storeLater`: the store has connected (until then the handlers' every call on it fails as unreachable). */
  connectStore(): void;
  close(): Promise<void>;
}

/**
 * The Slack runtime as src/main.ts runs it: its routes on the bot's one HTTP server (with /healthz
 * and /readyz, the store watched and start-up done), the shared handlers behind it.
 */
export async function startSlackHarness(
  label: string,
  options: { now?: string; intake?: DurableIntake; storeLater?: boolean; workspace?: Pick<FakeSlackOptions, 'scopes' | 'canvases'> } = {},
): Promise<SlackHarness> {
  const logs: LogLine[] = [];
  const logger = createLogger('slack-test', { level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } });
  const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
  const { definition } = team;

  const users: FakeUser[] = Object.values(definition.people).flatMap((p) => (p.slack ? [{ id: p.slack, name: p.name ?? p.slack, email: p.email }] : []));
  users.push({ id: STRANGER, name: 'Stranger', email: 'stranger@example.com' });
  const clock = new VirtualClock();
  const fake = await FakeSlackApi.start({ token: BOT_TOKEN, users, channels: [slackModule.reportChannel(definition)!], clock, ...options.workspace });

  const store = await openTestStore(label, logger);
  // A bot starting before its database: the handlers reach `store` once connectStore() is called.
  const deferred = options.storeLater ? new DeferredStore<Store>() : null;
  let now = new Date(options.now ?? '2024-06-04T15:34:00+08:00');
  const config: SlackConfig = { botToken: BOT_TOKEN, apiUrl: fake.apiUrl, transport: { mode: 'http', signingSecret: SIGNING_SECRET } };
  const health = new Health({ logger });
  // MemoryStore or MongoStore, both of which say what they are.
  health.watchStore(store as OpenedStore);
  health.setReady(true);
  const startRuntime = async (holder: string) => {
    // No bot ids given: the runtime asks the fake's auth.test, as in production.
    const started = createSlackRuntime(config, { logger, retryConfig: FAST_RETRIES, clock });
    const startedServer = await HttpServer.start([...healthRoutes(health, logger), ...started.routes()], { port: 0, host: '127.0.0.1', logger });
    const startedCtx: BotContext = {
      teams: [team],
      store: deferred?.store ?? store,
      modules: PLATFORM_MODULES,
      platforms: { slack: started.platform },
      clock: { now: () => now, sleep: clock.sleep },
      logger,
    };
    const handlers = inboundHandlers(startedCtx, holder, deferred ? { starting: () => deferred.opened === null } : {});
    await started.start(new Inbound(handlers, { logger: startedCtx.logger, ...(options.intake ? { intake: options.intake } : {}) }));
    return { runtime: started, ctx: startedCtx, server: startedServer };
  };
  let { runtime, ctx, server } = await startRuntime('test-holder');
  const stopRuntime = async () => {
    await runtime.stop();
    await server.close();
  };

  const post = async (body: string, contentType: string, postOptions: SignedPostOptions = {}) => {
    const response = await signedPost(server.url(EVENTS_PATH), body, contentType, SIGNING_SECRET, postOptions);
    await runtime.idle();
    return response;
  };
  const harness: SlackHarness = {
    fake,
    runtime,
    store,
    team,
    ctx,
    clock,
    logs,
    setNow: (iso) => {
      now = new Date(iso);
    },
    slackId: (person) => {
      const id = definition.people[person]?.slack;
      if (!id) throw new Error(`no Slack id for ${person}`);
      return id;
    },
    eventsUrl: () => server.url(EVENTS_PATH),
    post,
    sendEvent: (event, { eventId = newEventId(), ...postOptions } = {}) => post(eventEnvelope(fake, event, eventId), JSON_TYPE, postOptions),
    command: (user, text, channel = slackModule.reportChannel(definition)!) => post(slashCommandBody(fake, { user, channel, text }), FORM_TYPE),
    interact: (payload) => post(interactionBody(payload), FORM_TYPE),
    restart: async (holder) => {
      await stopRuntime();
      ({ runtime, ctx, server } = await startRuntime(holder));
      harness.runtime = runtime;
      harness.ctx = ctx;
    },
    connectStore: () => deferred?.open(store),
    close: async () => {
      await stopRuntime();
      await fake.close();
      await discardTestStore(store);
    },
  };
  return harness;
}

/** A seed reply, as the owner would type it. */
export function seedReply(sectionId: string): Promise<string> {
  return readFile(new URL(`../../../seeds/2024-W23/${sectionId}.md`, import.meta.url), 'utf8');
}

export function readExpected(): Promise<string> {
  return readFile(new URL('../../../seeds/2024-W23/expected.md', import.meta.url), 'utf8');
}

/** The button value of a prompt: which section it asks for. */
export function promptSection(message: FakeMessage): string | undefined {
  for (const block of message.blocks ?? []) {
    const b = block as { type?: string; elements?: { action_id?: string; value?: string }[] };
    const button = b.type === 'actions' ? b.elements?.find((e) => e.action_id === 'open_answer_form') : undefined;
    if (button?.value) return (JSON.parse(button.value) as { sectionId: string }).sectionId;
  }
  return undefined;
}

/** The prompt the bot sent a user for a section. */
export function findPrompt(h: SlackHarness, userId: string, sectionId: string): FakeMessage {
  const prompt = h.fake.channelMessages(h.fake.dmChannelOf(userId)).find((m) => promptSection(m) === sectionId);
  if (!prompt) throw new Error(`no prompt for ${sectionId} in the DM of ${userId}`);
  return prompt;
}

/** The markdown blocks of a message, in order. */
export function markdownOf(message: FakeMessage): string[] {
  return (message.blocks ?? []).flatMap((b) => ((b as { type?: string }).type === 'markdown' ? [(b as { text: string }).text] : []));
}

/** What a mrkdwn text says once Slack's escapes are read. */
export function unescapeMrkdwn(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
