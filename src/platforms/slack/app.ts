import { App, HTTPModuleFunctions, webApi, type BlockAction, type ButtonAction, type RespondFn, type StaticSelectAction, type ViewOutput } from '@slack/bolt';
import type { HttpRoute } from '../../http/server.ts';
import type { Logger } from '../../log.ts';
import type { Inbound } from '../inbound.ts';
import type { IncomingReply, Sender } from '../platform.ts';
import type { PlatformRuntime } from '../runtime.ts';
import { ANSWER_ACTION_ID, ANSWER_VIEW_CALLBACK_ID, inputBlockId, readAnswerSubmission, readButtonValue } from './answer-form.ts';
import { boltLogger } from './bolt-logger.ts';
import { SlackPlatform } from './client-platform.ts';
import { SpooledReceiver } from './receivers/spooled-receiver.ts';
import { ackAnswer, commandFromSlash, respondVia } from './commands.ts';
import type { SlackConfig } from './config.ts';
import { replyFromMessageEvent, type BotIdentity } from './events.ts';
import { labelsFor } from './labels.ts';
import { COMMAND_ACTION_ID, GOAL_REVIEW_ACTION_ID, goalChoiceReply } from './message-blocks.ts';
import { truncate } from '../../report/truncate.ts';
import type { PacerClock } from '../pacing-clock.ts';
import { PacedWebClient } from './pacing.ts';
import { createReceiver, EVENTS_PATH, MountedHTTPReceiver } from './receivers/receiver.ts';

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
  /** The slash command, e.g. `/weekly-report-staging` for a second app. Default `/weekly-report`. */
  command?: string;
  /** What paces Web API calls waits on (the workspace's pacer on it); real time by default. */
  clock?: PacerClock;
}

export interface SlackRuntime extends PlatformRuntime {
  readonly platform: SlackPlatform;
  readonly mode: SlackConfig['transport']['mode'];
  /** HTTP mode: `POST /slack/events`; Socket Mode: none. */
  routes(): HttpRoute[];
  /** Resolves when every event received so far has been handled (shutdown, tests). */
  idle(): Promise<void>;
}

export function createSlackWebClient(config: SlackConfig, options: SlackRuntimeOptions): webApi.WebClient {
  return new PacedWebClient(
    config.botToken,
    {
      slackApiUrl: config.apiUrl,
      retryConfig: options.retryConfig ?? SLACK_RETRY_POLICY,
      rejectRateLimitedCalls: false,
      timeout: options.timeoutMs ?? 30_000,
      logger: boltLogger(options.logger),
    },
    { clock: options.clock },
  );
}

/**
 * The Slack adapter: `platform` sends (usable as soon as this returns), `start` connects the
 * Bolt App to the shared handlers and starts receiving: over HTTP, on the route `POST
 * /slack/events` it contributes to the bot's server (`routes()`), or over Socket Mode when the
 * config has an app token.
 */
export function createSlackRuntime(config: SlackConfig, options: SlackRuntimeOptions): SlackRuntime {
  const logger = options.logger;
  const slackLogger = boltLogger(logger);
  const platform = new SlackPlatform(createSlackWebClient(config, options));
  const transport = createReceiver(config, slackLogger);
  const receiver = new SpooledReceiver(transport);
  let app: App | undefined;
  let inbound: Inbound | undefined;
  /** HTTP mode: whether the route hands requests to the App (only once they are spooled first). */
  let receiving = false;

  async function identify(): Promise<Required<BotIdentity>> {
    if (options.botUserId && options.botId) return { botUserId: options.botUserId, botId: options.botId };
    try {
      const auth = await platform.client.auth.test();
      return { botUserId: auth.user_id ?? '', botId: auth.bot_id ?? '' };
    } catch (error) {
      throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test at ${config.apiUrl}): ${(error as Error).message}`, { cause: error });
    }
  }

  async function start(pipeline: Inbound): Promise<void> {
    if (app) throw new Error('the Slack runtime is already started');
    inbound = pipeline;
    const identity = await identify();
    const bolt = new App({
      token: config.botToken,
      botUserId: identity.botUserId || undefined,
      botId: identity.botId || undefined,
      receiver,
      logger: slackLogger,
      clientOptions: { slackApiUrl: config.apiUrl, retryConfig: options.retryConfig ?? SLACK_RETRY_POLICY },
    });
    // Listeners hand their work to the inbound pipeline, which logs its failures; what reaches
    // here failed before that (Bolt's own processing of the request).
    bolt.error(async (error) => {
      logger.error({ err: error }, 'Slack request failed');
    });
    registerListeners(bolt, pipeline, identity);
    app = bolt;
    // What was acknowledged but not processed before (the store was down, or the bot stopped)
    // goes first, in arrival order; then new deliveries are spooled as they arrive.
    await pipeline.replayFrom('slack', (body) => receiver.redeliver(body));
    receiver.spoolTo(pipeline);
    if (transport instanceof MountedHTTPReceiver) {
      receiving = true;
      logger.info({ path: EVENTS_PATH, botUserId: identity.botUserId }, 'Slack: receiving events over HTTP');
    } else {
      await bolt.start();
      logger.info({ botUserId: identity.botUserId }, 'Slack: connected over Socket Mode');
    }
  }

  function registerListeners(bolt: App, pipeline: Inbound, identity: BotIdentity): void {
    // Direct messages, thread replies and their edits; Bolt has acknowledged the delivery already.
    bolt.event('message', async ({ body, context }) => {
      const reply = replyFromMessageEvent(body, identity);
      if (!reply) return;
      // Slack redelivers when an ack was late (x-slack-retry-num). The reply keeps the event id,
      // which the store de-duplicates on: a retry stores nothing new and confirms nothing again.
      if (context.retryNum) logger.info({ eventId: reply.eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'Slack: repeated delivery');
      void pipeline.dispatch({ platform: 'slack', eventId: reply.eventId, userId: reply.sender.userId, kind: 'reply' }, (h) => h.onReply(reply));
    });

    bolt.command(options.command ?? SLASH_COMMAND, async ({ command, ack, respond }) => {
      const incoming = commandFromSlash(command);
      // An answer already in memory (a status asked a moment ago), or "the bot is starting", goes
      // with the acknowledgement: nothing to run, store or de-duplicate (answering a replay again
      // changes nothing).
      const known = pipeline.handlers.notYet?.(incoming.sender) ?? pipeline.handlers.answerAtOnce?.(incoming);
      const answer = known ? ackAnswer(known) : null;
      if (answer) return ack(answer);
      // Within Slack's 3 s; the answer follows over response_url.
      await ack();
      // Slack sends a command once; the same trigger_id again is a replay (a captured request
      // re-signed, or a proxy's retry): `publish` must not run twice.
      void pipeline.dispatch({ platform: 'slack', eventId: `command:${command.trigger_id}`, userId: command.user_id, kind: 'command', dedupe: true }, (h) =>
        h.onCommand(incoming, respondVia(respond)),
      );
    });

    bolt.action<BlockAction<ButtonAction>>(ANSWER_ACTION_ID, async ({ ack, body, action, respond }) => {
      await ack();
      if (await toldNotYet(pipeline, respond, body)) return;
      void pipeline.dispatch({ platform: 'slack', eventId: `action:${body.trigger_id}`, userId: body.user.id, kind: 'form button', dedupe: true }, () =>
        openForm(pipeline, body, action, respond),
      );
    });

    // A button that runs a command (e.g. "publish anyway"), as the person who pressed it.
    bolt.action<BlockAction<ButtonAction>>(new RegExp(`^${COMMAND_ACTION_ID}_\\d+$`), async ({ ack, body, action, respond }) => {
      await ack();
      if (await toldNotYet(pipeline, respond, body)) return;
      const incoming = { sender: { platform: 'slack', userId: body.user.id }, text: action.value ?? '', channel: body.channel?.id ?? body.user.id };
      void pipeline.dispatch({ platform: 'slack', eventId: `button:${body.trigger_id}`, userId: body.user.id, kind: 'command', dedupe: true }, (h) =>
        h.onCommand(incoming, respondVia(respond)),
      );
    });

    // A goal marked in the checklist of a prompt: a review, confirmed in the prompt's thread.
    bolt.action<BlockAction<StaticSelectAction>>(GOAL_REVIEW_ACTION_ID, async ({ ack, body, action }) => {
      await ack();
      const reply = goalChoiceReply(body, action);
      if (!reply) return;
      void pipeline.dispatch({ platform: 'slack', eventId: reply.eventId, userId: body.user.id, kind: 'goal review' }, (h) => h.onReply(reply));
    });

    bolt.view(ANSWER_VIEW_CALLBACK_ID, async ({ ack, body, view }) => {
      // Text the parser would reject keeps the modal open, with the owner's text and what to fix.
      const submission = readAnswerSubmission(view);
      const problem = submission && pipeline.handlers.checkForm({ platform: 'slack', userId: body.user.id }, submission.ref, submission.text);
      if (problem) {
        await ack({ response_action: 'errors', errors: { [inputBlockId(0)]: truncate(problem, FORM_ERROR_CHARS) } });
        return;
      }
      // Closes the modal; the confirmation arrives in the prompt's thread.
      await ack();
      if (!submission) return;
      const reply = formReply(body.user.id, view, submission);
      void pipeline.dispatch({ platform: 'slack', eventId: reply.eventId, userId: body.user.id, kind: 'form' }, (h) => h.onReply(reply));
    });
  }

  async function openForm(pipeline: Inbound, body: BlockAction, action: ButtonAction, respond: RespondFn | undefined): Promise<void> {
    const ref = readButtonValue(action.value);
    if (!ref) return;
    const sender = { platform: 'slack', userId: body.user.id };
    const opening = await pipeline.handlers.openForm(sender, ref);
    if ('refusal' in opening) return tellPrivately(respond, body, opening.refusal.text);
    const { form } = opening;
    const origin = body.channel?.id && body.message?.ts ? { channel: body.channel.id, messageId: body.message.ts } : undefined;
    try {
      // The trigger_id expires within seconds: the modal opens before anything else is done.
      await platform.openAnswerForm(body.trigger_id, form, origin);
    } catch (error) {
      logger.error({ err: error, user: sender.userId, report: ref.teamId, section: ref.sectionId }, 'Slack: could not open the answer form');
      await tellPrivately(respond, body, labelsFor(form.locale).formFailed);
    }
  }

  /** A submitted modal as a reply. A double submit carries the same view id and hash: the store keeps it once. */
  function formReply(userId: string, view: ViewOutput, submission: NonNullable<ReturnType<typeof readAnswerSubmission>>): IncomingReply {
    return {
      sender: { platform: 'slack', userId },
      eventId: `view:${submission.viewId}:${submission.viewHash ?? ''}`,
      channel: submission.origin?.channel ?? userId,
      ...(submission.origin ? { replyTo: submission.origin.messageId } : {}),
      form: submission.ref,
      input: { source: 'text', text: submission.text },
      rawText: submission.text,
      rawPayload: { viewId: submission.viewId, values: view.state.values },
    };
  }

  /**
   * While the bot is starting, a button that wants an answer now (a form to open before its
   * trigger_id expires, a command) is answered "try again in a moment", and nothing is run.
   */
  async function toldNotYet(pipeline: Inbound, respond: RespondFn | undefined, body: BlockAction): Promise<boolean> {
    const sender: Sender = { platform: 'slack', userId: body.user.id };
    const notYet = pipeline.handlers.notYet?.(sender);
    if (!notYet) return false;
    await tellPrivately(respond, body, notYet.text);
    return true;
  }

  /** Only the person who pressed the button sees it. */
  async function tellPrivately(respond: RespondFn | undefined, body: BlockAction, text: string): Promise<void> {
    if (respond) await respond({ response_type: 'ephemeral', replace_original: false, text });
    else if (body.channel?.id) await platform.client.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, text });
  }

  // A client of its own for health checks: the platform's client retries for minutes
  // (SLACK_RETRY_POLICY) and is paced, and a health probe must answer now or count as down.
  let healthClient: webApi.WebClient | undefined;

  return {
    platform,
    mode: config.transport.mode,
    routes(): HttpRoute[] {
      if (!(transport instanceof MountedHTTPReceiver)) return [];
      // 503 until started (and once stopped): Slack delivers an event again, a person tries again.
      const handler: HttpRoute['handler'] = (req, res) => (receiving ? transport.requestListener(req, res) : HTTPModuleFunctions.buildNoBodyResponse(res, 503));
      return [{ path: EVENTS_PATH, method: 'POST', handler }];
    },
    async health() {
      healthClient ??= new webApi.WebClient(config.botToken, {
        slackApiUrl: config.apiUrl,
        retryConfig: { retries: 0 },
        timeout: 5_000,
        logger: slackLogger,
      });
      return (await healthClient.auth.test()).ok === true;
    },
    start,
    async stop() {
      if (!app) return;
      const running = app;
      app = undefined;
      receiving = false;
      await running.stop();
      // Let what was received finish (a reply being stored, a command being answered).
      await receiver.settled();
      await inbound?.idle();
    },
    idle: async () => {
      // An event is acked before its listener runs: wait for the listeners, then for their work.
      await receiver.settled();
      await inbound?.idle();
    },
  };
}
