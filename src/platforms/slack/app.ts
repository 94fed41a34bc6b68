import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, webApi, type BlockAction, type ButtonAction, type CustomRoute, type RespondFn, type ViewOutput } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import type { Sender } from '../platform.ts';
import type { InboundHandlers, PlatformRuntime } from '../runtime.ts';
import { ANSWER_ACTION_ID, ANSWER_VIEW_CALLBACK_ID, inputBlockId, readAnswerSubmission, readButtonValue } from './answer-form.ts';
import { boltLogger } from './bolt-logger.ts';
import { SlackPlatform } from './client-platform.ts';
import { commandFromSlash, respondVia } from './commands.ts';
import type { SlackConfig } from './config.ts';
import { replyFromMessageEvent, type BotIdentity } from './events.ts';
import { labelsFor } from './labels.ts';
import { truncate } from './message-blocks.ts';
import { PacedWebClient } from './pacing.ts';
import { createReceiver, EVENTS_PATH, InFlightReceiver } from './receiver.ts';

export const SLASH_COMMAND = '/weekly-report';

/**
 * How WebClient retries a failed call: network errors, 5xx, and 429s after waiting the
 * Retry-After Slack sends. Eight tries over about two minutes (plus the Retry-After waits):
 * long enough to ride out a burst limit during the prompt fan-out, short enough that a job
 * lease (10 min) is not spent on one message. Errors Slack answers with `ok: false` are not retried.
 */
export const SLACK_RETRY_POLICY: webApi.RetryOptions = { retries: 8, factor: 2, minTimeout: 500, maxTimeout: 30_000, randomize: true };

/** Slack shows a modal input's error under it; keep it to a readable paragraph. */
const FORM_ERROR_CHARS = 1_000;

export interface SlackRuntimeOptions {
  logger: Logger;
  /** The bot's user and bot ids when known; otherwise auth.test is asked at start. */
  botUserId?: string;
  botId?: string;
  /** WebClient's retry policy; SLACK_RETRY_POLICY by default. */
  retryConfig?: webApi.RetryOptions;
  /** Per-request timeout of Web API calls, in ms. Default 30 s. */
  timeoutMs?: number;
  /** HTTP mode: the interface to listen on (default: all). */
  host?: string;
  /** The slash command, e.g. `/weekly-report-staging` for a second app. Default `/weekly-report`. */
  command?: string;
  /** HTTP mode: more routes on the same server (e.g. Feishu's webhook on the one PORT). */
  extraRoutes?: CustomRoute[];
}

export interface SlackRuntime extends PlatformRuntime {
  readonly platform: SlackPlatform;
  readonly mode: SlackConfig['transport']['mode'];
  /** HTTP mode, once started: the URL Slack sends events, commands and interactions to. */
  readonly eventsUrl: string | undefined;
  /** Resolves when every event received so far has been handled (shutdown, tests). */
  idle(): Promise<void>;
}

export function createSlackWebClient(config: SlackConfig, options: SlackRuntimeOptions): webApi.WebClient {
  return new PacedWebClient(config.botToken, {
    slackApiUrl: config.apiUrl,
    retryConfig: options.retryConfig ?? SLACK_RETRY_POLICY,
    rejectRateLimitedCalls: false,
    timeout: options.timeoutMs ?? 30_000,
    logger: boltLogger(options.logger),
  });
}

/**
 * The Slack adapter: `platform` sends (usable as soon as this returns), `start` connects the
 * Bolt App to the shared handlers and starts receiving (HTTP on `POST /slack/events`, or Socket
 * Mode when the config has an app token).
 */
export function createSlackRuntime(config: SlackConfig, options: SlackRuntimeOptions): SlackRuntime {
  const logger = options.logger;
  const slackLogger = boltLogger(logger);
  const platform = new SlackPlatform(createSlackWebClient(config, options));
  const receiver = new InFlightReceiver(createReceiver(config, slackLogger, options.extraRoutes));
  let app: App | undefined;
  let eventsUrl: string | undefined;

  async function identify(): Promise<Required<BotIdentity>> {
    if (options.botUserId && options.botId) return { botUserId: options.botUserId, botId: options.botId };
    try {
      const auth = await platform.client.auth.test();
      return { botUserId: auth.user_id ?? '', botId: auth.bot_id ?? '' };
    } catch (error) {
      throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test at ${config.apiUrl}): ${(error as Error).message}`, { cause: error });
    }
  }

  async function start(handlers: InboundHandlers): Promise<void> {
    if (app) throw new Error('the Slack runtime is already started');
    const identity = await identify();
    const bolt = new App({
      token: config.botToken,
      botUserId: identity.botUserId || undefined,
      botId: identity.botId || undefined,
      receiver,
      logger: slackLogger,
      clientOptions: { slackApiUrl: config.apiUrl, retryConfig: options.retryConfig ?? SLACK_RETRY_POLICY },
    });
    // Events are acknowledged before listeners run; an error here can only be logged.
    bolt.error(async (error) => {
      logger.error({ err: error }, 'Slack request failed');
    });
    registerListeners(bolt, handlers, identity);
    app = bolt;
    if (config.transport.mode === 'http') {
      const server = (await bolt.start({ port: config.transport.port, ...(options.host ? { host: options.host } : {}) })) as Server;
      const { port } = server.address() as AddressInfo;
      const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : 'localhost';
      eventsUrl = `http://${host}:${port}${EVENTS_PATH}`;
      logger.info({ url: eventsUrl, botUserId: identity.botUserId }, 'Slack: receiving events over HTTP');
    } else {
      await bolt.start();
      logger.info({ botUserId: identity.botUserId }, 'Slack: connected over Socket Mode');
    }
  }

  function registerListeners(bolt: App, handlers: InboundHandlers, identity: BotIdentity): void {
    // Listeners run after the ack: an error cannot reach Slack any more, so it is logged here.
    const safely = async (what: string, work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        logger.error({ err: error, listener: what }, 'Slack listener failed');
      }
    };

    // Direct messages, thread replies and their edits; Bolt has acknowledged the delivery already.
    bolt.event('message', ({ body, context }) =>
      safely('message', async () => {
        const reply = replyFromMessageEvent(body, identity);
        if (!reply) return;
        // Slack redelivers when an ack was late (x-slack-retry-num). The reply keeps the event id,
        // which the store de-duplicates on: a retry stores nothing new and confirms nothing again.
        if (context.retryNum) logger.info({ eventId: reply.eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'Slack: repeated delivery');
        await handlers.onReply(reply);
      }),
    );

    bolt.command(options.command ?? SLASH_COMMAND, async ({ command, ack, respond }) => {
      // Within Slack's 3 s; the answer follows over response_url.
      await ack();
      await safely('command', () => handlers.onCommand(commandFromSlash(command), respondVia(respond)));
    });

    bolt.action<BlockAction<ButtonAction>>(ANSWER_ACTION_ID, async ({ ack, body, action, respond }) => {
      await ack();
      await safely('open_answer_form', () => openForm(handlers, body, action, respond));
    });

    bolt.view(ANSWER_VIEW_CALLBACK_ID, async ({ ack, body, view }) => {
      // Text the parser would reject keeps the modal open, with the owner's text and what to fix.
      const submission = readAnswerSubmission(view);
      const problem = submission && handlers.checkForm({ platform: 'slack', userId: body.user.id }, submission.ref, submission.text);
      if (problem) {
        await ack({ response_action: 'errors', errors: { [inputBlockId(0)]: truncate(problem, FORM_ERROR_CHARS) } });
        return;
      }
      // Closes the modal; the confirmation arrives in the prompt's thread.
      await ack();
      await safely('answer_form', () => submitForm(handlers, body.user.id, view));
    });
  }

  async function openForm(handlers: InboundHandlers, body: BlockAction, action: ButtonAction, respond: RespondFn | undefined): Promise<void> {
    const ref = readButtonValue(action.value);
    if (!ref) return;
    const sender: Sender = { platform: 'slack', userId: body.user.id };
    const labels = labelsFor(body.message?.text ?? '');
    const form = await handlers.formFor(sender, ref);
    if (!form) return tellPrivately(respond, body, labels.notYourSection);
    const origin = body.channel?.id && body.message?.ts ? { channel: body.channel.id, messageId: body.message.ts } : undefined;
    try {
      // The trigger_id expires within seconds: the modal opens before anything else is done.
      await platform.openAnswerForm(body.trigger_id, form, origin);
    } catch (error) {
      logger.error({ err: error, user: sender.userId, report: ref.reportId, section: ref.sectionId }, 'Slack: could not open the answer form');
      await tellPrivately(respond, body, labels.formFailed);
    }
  }

  async function submitForm(handlers: InboundHandlers, userId: string, view: ViewOutput): Promise<void> {
    const submission = readAnswerSubmission(view);
    if (!submission) return;
    // A double submit carries the same view id and hash: the store keeps it once.
    const eventId = `view:${submission.viewId}:${submission.viewHash ?? ''}`;
    await handlers.onReply({
      sender: { platform: 'slack', userId },
      eventId,
      channel: submission.origin?.channel ?? userId,
      ...(submission.origin ? { replyTo: submission.origin.messageId } : {}),
      form: submission.ref,
      input: { source: 'text', text: submission.text },
      rawText: submission.text,
      rawPayload: { viewId: submission.viewId, values: view.state.values },
    });
  }

  /** Only the person who pressed the button sees it. */
  async function tellPrivately(respond: RespondFn | undefined, body: BlockAction, text: string): Promise<void> {
    if (respond) await respond({ response_type: 'ephemeral', replace_original: false, text });
    else if (body.channel?.id) await platform.client.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, text });
  }

  return {
    platform,
    mode: config.transport.mode,
    get eventsUrl() {
      return eventsUrl;
    },
    start,
    async stop() {
      if (!app) return;
      const running = app;
      app = undefined;
      eventsUrl = undefined;
      await running.stop();
      // Let what was received finish (a reply being stored, a command being answered).
      await receiver.idle();
    },
    idle: () => receiver.idle(),
  };
}
