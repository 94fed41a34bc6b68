import type { BotContext } from '../../../src/bot/context.ts';
import { inboundHandlers } from '../../../src/app.ts';
import { loadTeamById } from '../../../src/config/definitions.ts';
import { Health } from '../../../src/health/health.ts';
import { healthRoutes } from '../../../src/health/server.ts';
import { HttpServer } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/log.ts';
import { createFeishuRuntime, type FeishuRuntime, type FeishuRuntimeOptions } from '../../../src/platforms/feishu/app.ts';
import type { FeishuCard } from '../../../src/platforms/feishu/cards.ts';
import type { FeishuConfig } from '../../../src/platforms/feishu/config.ts';
import type { Team } from '../../../src/report/definition.ts';
import type { FeishuDocOptions } from '../../../src/platforms/feishu/docx/options.ts';
import type { OpenedStore, Store } from '../../../src/store/index.ts';
import { openTestStore } from '../../support/test-store.ts';
import { FakeFeishuOpenApi, type FakeMessage } from '../../fakes/feishu-open-api.ts';
import { messageReceived, postToFeishuWebhook, type SendOptions, type WebhookAnswer } from '../../fakes/feishu-webhook.ts';
import { PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import { Inbound } from '../../../src/platforms/inbound.ts';
import type { DurableIntake } from '../../../src/platforms/intake/intake.ts';
import { feishuModule } from '../../../src/platforms/feishu/module.ts';
import { VirtualClock } from '../../support/manual-clock.ts';

export const APP = {
  appId: 'cli_test_weekly_report',
  appSecret: 'test-app-secret-0123456789',
  encryptKey: 'test-encrypt-key-0123456789',
  verificationToken: 'test-verification-token-0123',
};
/** Someone in the tenant who is in no report. */
export const STRANGER = 'ou_stranger_50';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface FeishuHarness {
  fake: FakeFeishuOpenApi;
  runtime: FeishuRuntime;
  store: Store;
  team: Team;
  ctx: BotContext;
  logs: LogLine[];
  /** The fake clock the handlers read. */
  setNow(iso: string): void;
  /** The time the bot's pacing and the fake's throttling run on: virtual, as fast as the code allows. */
  clock: VirtualClock;
  /** The Feishu open_id of a person of the team (a key of `people`). */
  openId(person: string): string;
  /** Where Feishu POSTs (the bot's one server, e.g. http://127.0.0.1:3000): its paths are /feishu/events and /feishu/card. */
  webhookUrl(): string;
  /** POSTs a payload to the bot's webhook as Feishu would, then waits until the bot has handled it. */
  deliver(payload: unknown, options?: SendOptions): Promise<WebhookAnswer>;
  /**
   * Stops the runtime and starts a new one (a restarted process, with its own holder) on the same
   * store, fake and clock; `runtime` and `ctx` are the new ones afterwards.
   */
  restart(holder: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The Feishu runtime (webhook mode) as src/main.ts runs it: its routes on the bot's one HTTP server
 * (with /healthz and /readyz, the store watched and start-up done), the shared handlers behind it.
 */
export async function startFeishuHarness(
  label: string,
  options: {
    now?: string;
    intake?: DurableIntake;
    rateLimit?: FeishuRuntimeOptions['rateLimit'];
    /** A second replica of this harness's bot: another runtime and server, on its store, fake and clock (which it leaves open on close). */
    replicaOf?: FeishuHarness;
    /** The team's `post.feishu.doc`: the week's report as a Feishu document too (the folder or space is the test's to add to the fake). */
    feishuDoc?: FeishuDocOptions;
  } = {},
): Promise<FeishuHarness> {
  const logs: LogLine[] = [];
  const logger = createLogger('feishu-test', { level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } });
  const team = withFeishuDoc(await loadTeamById('payments-weekly', PLATFORM_MODULES), options.feishuDoc);
  const { definition } = team;

  const replicaOf = options.replicaOf;
  const clock = replicaOf?.clock ?? new VirtualClock();
  let fake: FakeFeishuOpenApi;
  if (replicaOf) {
    fake = replicaOf.fake;
  } else {
    fake = new FakeFeishuOpenApi({ appId: APP.appId, appSecret: APP.appSecret, clock });
    for (const person of Object.values(definition.people)) {
      if (person.feishu) fake.addUser({ open_id: person.feishu, name: person.name ?? person.feishu, email: person.email });
    }
    fake.addUser({ open_id: STRANGER, name: 'Stranger', email: 'stranger@example.com' });
    fake.addGroup(feishuModule.reportChannel(definition)!);
    await fake.start();
  }

  const store = replicaOf?.store ?? (await openTestStore(label, logger));
  let now = new Date(options.now ?? '2024-06-04T15:34:00+08:00');
  const config: FeishuConfig = {
    appId: APP.appId,
    appSecret: APP.appSecret,
    domain: fake.url,
    transport: { mode: 'webhook', encryptKey: APP.encryptKey, verificationToken: APP.verificationToken },
  };
  const health = new Health({ logger });
  // MemoryStore or MongoStore, both of which say what they are.
  health.watchStore(store as OpenedStore);
  health.setReady(true);
  const startRuntime = async (holder: string) => {
    const started = createFeishuRuntime(config, { logger, rateLimit: options.rateLimit, clock });
    const startedServer = await HttpServer.start([...healthRoutes(health, logger), ...started.routes()], { port: 0, host: '127.0.0.1', logger });
    const startedCtx: BotContext = {
      teams: [team],
      store,
      modules: PLATFORM_MODULES,
      platforms: { feishu: started.platform },
      clock: { now: () => now, sleep: clock.sleep },
      logger,
    };
    await started.start(new Inbound(inboundHandlers(startedCtx, holder), { logger: startedCtx.logger, ...(options.intake ? { intake: options.intake } : {}) }));
    return { runtime: started, ctx: startedCtx, server: startedServer };
  };
  let { runtime, ctx, server } = await startRuntime('test-holder');
  const stopRuntime = async () => {
    await runtime.stop();
    await server.close();
  };

  const harness: FeishuHarness = {
    fake,
    runtime,
    store,
    team,
    ctx,
    logs,
    clock,
    setNow: (iso) => {
      now = new Date(iso);
    },
    openId: (person) => {
      const id = definition.people[person]?.feishu;
      if (!id) throw new Error(`no Feishu id for ${person}`);
      return id;
    },
    webhookUrl: () => server.url(),
    deliver: async (payload, sendOptions) => {
      const answer = await postToFeishuWebhook(server.url(), APP, payload, sendOptions);
      await runtime.idle();
      return answer;
    },
    restart: async (holder) => {
      await stopRuntime();
      ({ runtime, ctx, server } = await startRuntime(holder));
      harness.runtime = runtime;
      harness.ctx = ctx;
    },
    close: async () => {
      await stopRuntime();
      if (replicaOf) return;
      await fake.stop();
      await store.close();
    },
  };
  return harness;
}

// ---- reading what the bot sent ----

/** The team with `post.feishu.doc` set, when given. */
function withFeishuDoc(team: Team, doc: FeishuDocOptions | undefined): Team {
  if (!doc) return team;
  const { post } = team.definition;
  return { ...team, definition: { ...team.definition, post: { ...post, feishu: { ...post.feishu, doc } } } };
}

export function cardOf(message: FakeMessage): FeishuCard {
  if (message.msg_type !== 'interactive') throw new Error(`${message.message_id} is a ${message.msg_type}, not a card`);
  return JSON.parse(message.content) as FeishuCard;
}

interface AnyElement {
  tag: string;
  content?: string;
  text?: { content: string };
  elements?: AnyElement[];
  name?: string;
  default_value?: string;
  behaviors?: { value: Record<string, string> }[];
}

function elementsOf(card: FeishuCard): AnyElement[] {
  const flat: AnyElement[] = [];
  const walk = (elements: AnyElement[]) => {
    for (const element of elements) {
      flat.push(element);
      if (element.elements) walk(element.elements);
    }
  };
  walk(card.body.elements as AnyElement[]);
  return flat;
}

/** The card's Markdown elements, joined. */
export function markdownOf(message: FakeMessage): string {
  return elementsOf(cardOf(message))
    .filter((e) => e.tag === 'markdown')
    .map((e) => e.content ?? '')
    .join('\n\n');
}

/** Everything the card says (plain text and Markdown), joined. */
export function textOf(message: FakeMessage): string {
  if (message.msg_type !== 'interactive') return message.content;
  return elementsOf(cardOf(message))
    .map((e) => (e.tag === 'markdown' ? (e.content ?? '') : e.tag === 'div' ? (e.text?.content ?? '') : ''))
    .filter(Boolean)
    .join('\n\n');
}

/** The value the card's submit button sends back, when it has an answer form. */
export function formValueOf(message: FakeMessage): Record<string, string> | null {
  if (message.msg_type !== 'interactive') return null;
  const button = elementsOf(cardOf(message)).find((e) => e.tag === 'button');
  return button?.behaviors?.[0]?.value ?? null;
}

/** The answer form's inputs: name and prefilled text. */
export function formInputsOf(message: FakeMessage): { name: string; value: string }[] {
  return elementsOf(cardOf(message))
    .filter((e) => e.tag === 'input')
    .map((e) => ({ name: e.name ?? '', value: e.default_value ?? '' }));
}

/** A message an owner writes in the thread of their prompt for the section, as Feishu delivers it. */
export function threadReply(h: FeishuHarness, owner: string, sectionId: string, text: string): ReturnType<typeof messageReceived> {
  const prompt = h.fake.chatMessages(h.fake.p2pChatOf(h.openId(owner)).chat_id).find((m) => formValueOf(m)?.sectionId === sectionId)!;
  return messageReceived(
    APP,
    h.fake.userWrites(h.openId(owner), { msgType: 'text', content: JSON.stringify({ text }), replyTo: prompt.message_id, inThread: true }),
  );
}
