import * as lark from '@larksuiteoapi/node-sdk';
import type { HttpRoute } from '../../http/server.ts';
import type { Logger } from '../../log.ts';
import type { Inbound } from '../inbound.ts';
import type { PlatformRuntime } from '../runtime.ts';
import { FeishuPlatform } from './client-platform.ts';
import { docsBaseUrl } from './docx/client.ts';
import { FEISHU_CARD_PATH, FEISHU_EVENTS_PATH, type FeishuConfig } from './config.ts';
import { registerFeishuEvents } from './events.ts';
import { larkLogger, larkLoggerLevel } from './lark-logger.ts';
import type { PacerClock } from '../pacing-clock.ts';
import { FeishuRateLimiter, type FeishuRateLimiterOptions } from './rate-limit.ts';
import { feishuWebhookListener, type PayloadDispatcher } from './webhook.ts';

export interface FeishuRuntimeOptions {
  logger: Logger;
  /** The webhook's replay window reads this clock; Date.now by default. */
  now?: () => number;
  /** Pacing and retry of Open API calls (see rate-limit.ts). */
  rateLimit?: Omit<FeishuRateLimiterOptions, 'logger' | 'clock'>;
  /** What the pacing of Open API calls waits on; real time by default. */
  clock?: PacerClock;
}

/** The Feishu runtime, with what a composition root or a test needs beyond PlatformRuntime. */
export interface FeishuRuntime extends PlatformRuntime {
  readonly platform: FeishuPlatform;
  /** Webhook mode: `POST` on FEISHU_WEBHOOK_PATHS; long connection: none. */
  routes(): HttpRoute[];
  /** Resolves when every event received so far has been handled (tests, shutdown). */
  idle(): Promise<void>;
}

/** The paths the webhook answers: events, and card callbacks (Feishu may send both to either). */
export const FEISHU_WEBHOOK_PATHS = [FEISHU_EVENTS_PATH, FEISHU_CARD_PATH] as const;

/**
 * Feishu / Lark as a PlatformRuntime: the SDK's Client for everything the bot sends, and its
 * EventDispatcher for what arrives, over the long connection (WSClient, no public URL) or the
 * verified webhook (webhook.ts), whose paths are routes of the bot's server (`routes()`). Both
 * transports feed the same dispatcher and the same handlers.
 */
export function createFeishuRuntime(config: FeishuConfig, options: FeishuRuntimeOptions): FeishuRuntime {
  const logger = options.logger.child({ platform: 'feishu' });
  const sdkLogger = larkLogger(logger);
  const loggerLevel = larkLoggerLevel(logger);
  const client = new lark.Client({
    appId: config.appId,
    appSecret: config.appSecret,
    domain: config.domain,
    appType: lark.AppType.SelfBuild,
    // A cache of its own: the SDK's default is shared by every Client in the process, keyed by app id.
    cache: new lark.DefaultCache(),
    logger: sdkLogger,
    loggerLevel,
  });
  const platform = new FeishuPlatform(client, {
    logger,
    limiter: new FeishuRateLimiter({ ...options.rateLimit, clock: options.clock, logger }),
    docsBaseUrl: docsBaseUrl(config.docsUrl, config.domain),
  });
  const transport = config.transport;
  const dispatcher = new lark.EventDispatcher({
    ...(transport.mode === 'webhook' ? { encryptKey: transport.encryptKey, verificationToken: transport.verificationToken } : {}),
    logger: sdkLogger,
    loggerLevel,
  });
  let inbound: Inbound | null = null;
  // What both transports hand verified payloads to: spooled first (once started), then routed by
  // the SDK's dispatcher. The webhook answers, and the long connection acks, after this resolves.
  const spooledDispatcher: PayloadDispatcher = {
    invoke: (payload, params) => (inbound ? inbound.accept('feishu', payload, () => dispatcher.invoke(payload, params)) : dispatcher.invoke(payload, params)),
  };
  let botOpenId: string | null = null;
  let wsClient: lark.WSClient | null = null;
  let started = false;
  let receiving = false;
  const listener =
    transport.mode === 'webhook'
      ? feishuWebhookListener({
          encryptKey: transport.encryptKey,
          verificationToken: transport.verificationToken,
          dispatcher: spooledDispatcher,
          logger,
          now: options.now,
          ready: () => receiving,
        })
      : null;

  return {
    platform,

    routes(): HttpRoute[] {
      // 503 until started (and once stopped): Feishu delivers again later.
      return listener ? FEISHU_WEBHOOK_PATHS.map((path) => ({ path, method: 'POST', handler: listener })) : [];
    },

    async start(pipeline: Inbound): Promise<void> {
      if (started) throw new Error('the Feishu runtime is already started');
      started = true;
      try {
        botOpenId = await platform.botOpenId();
      } catch (error) {
        logger.warn({ err: error }, 'could not read the bot’s own open_id (bot/v3/info); any @mention in a group is taken as the bot’s');
      }
      registerFeishuEvents(dispatcher, {
        inbound: pipeline,
        send: { direct: (userId, message) => platform.sendDirect(userId, message), chat: (chatId, message) => platform.postToChannel(chatId, message) },
        botOpenId: () => botOpenId,
        logger,
      });
      // What was acknowledged but not processed before (the store was down, or the bot stopped)
      // goes first, in arrival order; then new deliveries are spooled as they arrive.
      await pipeline.replayFrom('feishu', (payload) => dispatcher.invoke(payload, { needCheck: false }));
      inbound = pipeline;
      receiving = true;
      if (transport.mode === 'ws') {
        wsClient = new lark.WSClient({ appId: config.appId, appSecret: config.appSecret, domain: config.domain, logger: sdkLogger, loggerLevel });
        // The client calls only invoke(); it acks each event with what invoke resolves to.
        await wsClient.start({ eventDispatcher: spooledDispatcher as lark.EventDispatcher });
        logger.info('Feishu: receiving events over the long connection');
        return;
      }
      logger.info({ events: FEISHU_EVENTS_PATH, callbacks: FEISHU_CARD_PATH }, 'Feishu: receiving events over the webhook');
    },

    async stop(): Promise<void> {
      receiving = false;
      wsClient?.close({ force: true });
      wsClient = null;
      await inbound?.idle();
    },

    idle: async () => inbound?.idle(),

    async health(): Promise<boolean> {
      // Straight to the client, not through the limiter, which retries: a health probe answers now.
      // The call needs a tenant token, so a revoked app secret shows here too.
      const answer = await client.request<{ code?: number }>({ method: 'GET', url: '/open-apis/bot/v3/info' });
      return answer.code === 0;
    },
  };
}
