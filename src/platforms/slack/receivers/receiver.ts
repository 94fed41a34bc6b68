import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import {
  HTTPModuleFunctions,
  HTTPReceiver,
  isValidSlackRequest,
  type HTTPReceiverOptions,
  type ReceiverProcessEventErrorHandlerArgs,
  type Logger as SlackLogger,
} from '@slack/bolt';
import { answerJson } from '../../../http/server.ts';
import { SpoolWriteError } from '../../intake/spool.ts';
import type { SlackConfig } from '../config.ts';
import { OverlappingSocketModeReceiver } from './socket-mode.ts';

export const EVENTS_PATH = '/slack/events';

/** How far a request's x-slack-request-timestamp may be from now, either way (Slack's own rule). */
export const SLACK_REPLAY_WINDOW_SECONDS = 5 * 60;

/**
 * How events reach the App: over HTTP, `POST /slack/events` on the bot's one server
 * (src/http/server.ts, which bounds every request first), where MountedHTTPReceiver verifies
 * Slack's signature (and the 5-minute replay window, answering 401 otherwise); in Socket Mode a
 * WebSocket to Slack needs no public URL, and OverlappingSocketModeReceiver (./socket-mode.ts)
 * keeps one open across Slack's routine refreshes, where Bolt's SocketModeReceiver leaves a gap of
 * about 5 s. Both acknowledge Events API deliveries before the listeners run
 * (processBeforeResponse: false), so slow handler work never makes Slack retry.
 */
export function createReceiver(config: SlackConfig, logger: SlackLogger): MountedHTTPReceiver | OverlappingSocketModeReceiver {
  const { transport } = config;
  if (transport.mode === 'socket') {
    // apps.connections.open goes to the configured API too (a local or GovSlack API).
    return new OverlappingSocketModeReceiver({ appToken: transport.appToken, apiUrl: config.apiUrl, logger });
  }
  return new MountedHTTPReceiver({ signingSecret: transport.signingSecret, endpoints: [EVENTS_PATH], logger, processBeforeResponse: false });
}

/**
 * Bolt's HTTPReceiver without a server of its own: its `requestListener` is mounted as the route
 * `POST /slack/events` of the bot's server, which has read the body within its limit already and
 * hands it over as `rawBody` (Bolt verifies and parses that instead of reading the stream, so its
 * signature check is unchanged). `start()` is never called: the App is given this receiver and
 * only its processEvent is used.
 *
 * In front of Bolt's listener, two guards:
 * - a Slack request dated more than five minutes in the future is answered 401. Bolt refuses only
 *   those more than five minutes in the past, so a request signed ahead of time (or by a clock far
 *   off) would otherwise stay replayable until its date and five minutes beyond;
 * - a signed request whose body is not one Bolt can route (see slackBodyProblem) is answered 400
 *   at once, with the reason. Bolt would wait 3 s for an acknowledgement that never comes and
 *   answer 404, or, for a body of `null`, never answer and reject unhandled.
 */
export class MountedHTTPReceiver extends HTTPReceiver {
  private readonly guardLogger: SlackLogger;
  private readonly now: () => number;
  private readonly secret: string;

  constructor(options: HTTPReceiverOptions & { logger: SlackLogger; now?: () => number }) {
    const { now, ...receiverOptions } = options;
    const dispatchError = receiverOptions.dispatchErrorHandler ?? HTTPModuleFunctions.defaultDispatchErrorHandler;
    const processEventError = receiverOptions.processEventErrorHandler ?? refuseUnspooled;
    super({ ...receiverOptions, dispatchErrorHandler: dispatchError, processEventErrorHandler: processEventError });
    this.guardLogger = options.logger;
    this.now = now ?? Date.now;
    this.secret = receiverOptions.signingSecret;
    const bolt = this.requestListener;
    // What Bolt's own server would catch from its listener (a path it does not serve → 404).
    const guarded: RequestListener = (req, res) => {
      try {
        if (this.refusedTimestamp(req, res) || this.refusedBody(req, res)) return;
        bolt(req, res);
      } catch (error) {
        dispatchError({ error: error as Error, logger: this.guardLogger, request: req, response: res });
      }
    };
    this.requestListener = guarded;
  }

  /** Never listens: the bot's one server serves `requestListener` (App.start() in HTTP mode is a mistake). */
  override start(): Promise<never> {
    return Promise.reject(new Error('the Slack HTTP receiver has no server of its own: mount its requestListener on the bot’s server'));
  }

  /** Nothing to stop: the server is the composition root's. */
  override stop(): Promise<void> {
    return Promise.resolve();
  }

  /** Answers 401 to a Slack request dated too far from now (Bolt checks only the past). */
  private refusedTimestamp(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== EVENTS_PATH) return false;
    const header = req.headers['x-slack-request-timestamp'];
    // Missing or malformed: Bolt's verification refuses it.
    if (typeof header !== 'string' || !/^\d+$/.test(header)) return false;
    const skew = Number(header) - this.now() / 1000;
    if (Math.abs(skew) <= SLACK_REPLAY_WINDOW_SECONDS) return false;
    this.guardLogger.warn(`Slack request refused (401): x-slack-request-timestamp is ${Math.round(Math.abs(skew))} s in the ${skew > 0 ? 'future' : 'past'}`);
    HTTPModuleFunctions.buildNoBodyResponse(res, 401);
    return true;
  }

  /** Answers 400 to a signed request whose body Bolt could not route; unsigned ones are Bolt's to refuse (401). */
  private refusedBody(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== EVENTS_PATH) return false;
    // The server has read the body (src/http/limits.ts); Bolt reads the same bytes.
    if (!HTTPModuleFunctions.isBufferedIncomingMessage(req)) return false;
    const body = req.rawBody.toString();
    const signature = req.headers['x-slack-signature'];
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (typeof signature !== 'string') return false;
    const signed = isValidSlackRequest({
      signingSecret: this.secret,
      body,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: this.now(),
    });
    if (!signed) return false;
    const problem = slackBodyProblem(body, req.headers['content-type']);
    if (problem === undefined) return false;
    this.guardLogger.warn(`Slack request refused (400): ${problem}`);
    answerJson(res, 400, { error: problem });
    return true;
  }
}

/**
 * What is wrong with a request body for Bolt, read as Bolt reads it (a form's `payload` is JSON),
 * or undefined when Bolt can route it: an object, and either a slash command (a form with a
 * `command`), Slack's SSL check, the URL check, an event (`event_callback` with an `event` that has
 * a `type`), or an interaction Bolt's router recognises (block actions and suggestions, shortcuts,
 * views, dialogs).
 */
export function slackBodyProblem(body: string, contentType: string | string[] | undefined): string | undefined {
  // Exactly this content type is a form for Bolt (HTTPModuleFunctions.parseHTTPRequestBody).
  const form = contentType === 'application/x-www-form-urlencoded';
  let parsed: unknown;
  let what = 'the body';
  if (form) {
    const fields = parseQuery(body);
    if (typeof fields.payload === 'string') {
      what = 'the payload';
      try {
        parsed = JSON.parse(fields.payload);
      } catch {
        return 'the payload is not JSON';
      }
    } else if (fields.ssl_check === '1') {
      return undefined;
    } else {
      return typeof fields.command === 'string' && fields.command !== '' ? undefined : 'a form with neither a command nor a payload';
    }
  } else {
    try {
      parsed = JSON.parse(body);
    } catch {
      return 'the body is not JSON';
    }
  }
  if (!isRecord(parsed)) return `${what} is ${describe(parsed)}, not a Slack request object`;
  const { type } = parsed;
  if (typeof type !== 'string' || type === '') return `${what} has no "type"`;
  if (type === 'url_verification') return undefined;
  if (parsed.event !== undefined || type === 'event_callback') {
    return isRecord(parsed.event) && typeof parsed.event.type === 'string' ? undefined : `${what} is an event without an "event" object that has a "type"`;
  }
  const routed =
    parsed.name !== undefined ||
    parsed.actions !== undefined ||
    ['block_suggestion', 'dialog_submission', 'workflow_step_edit', 'shortcut', 'message_action', 'view_submission', 'view_closed'].includes(type);
  return routed ? undefined : `${what} is a "${type.slice(0, 40)}" request, which this app does not handle`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * A request the spool could not take (a full disk): answered 500 before any ack, so that Slack
 * delivers an event again, and logged in one line that names the spool's file and the system's
 * error (Bolt's own line says neither). Anything else as Bolt handles it.
 */
async function refuseUnspooled(args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> {
  const { error, logger, response } = args;
  if (!(error instanceof SpoolWriteError)) return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
  logger.error(`Slack request refused (500): ${error.message}`);
  if (!response.headersSent) HTTPModuleFunctions.buildNoBodyResponse(response, 500);
  return false;
}
