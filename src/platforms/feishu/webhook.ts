import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import { bufferedBody } from '../../http/limits.ts';
import { answerJson } from '../../http/server.ts';
import type { Logger } from '../../log.ts';

/**
 * Webhook mode: Feishu POSTs events and card callbacks to a public URL (routes of the bot's one
 * server, src/http/server.ts). The SDK's own HTTP adapter
 * checks nothing beyond the signature (computed over re-serialised JSON rather than the bytes
 * received), keeps no replay window and never compares the verification token, so every request
 * is verified here, on the raw body, before the dispatcher sees it:
 *
 * 1. the body is `{"encrypt": …}` (the app has an encrypt key, so Feishu encrypts everything);
 * 2. `x-lark-signature` = sha256hex(timestamp + nonce + encryptKey + rawBody), compared in constant time;
 * 3. `x-lark-request-timestamp` is within five minutes of now (a captured request cannot be replayed later);
 * 4. the body decrypts with the encrypt key (AES-256-CBC, key sha256(encryptKey), iv ‖ ciphertext);
 * 5. what it decrypts to is a Feishu event: an object with a `header` (schema 2.0) or a `type`
 *    (the URL check, schema 1.0 events) and its `event` object (feishuPayloadProblem);
 * 6. the token inside equals the verification token.
 *
 * Before any of these, the server has answered 413 to a body over MAX_BODY_BYTES (src/http/limits.ts)
 * while it was being read. A request that fails any of the checks is answered 401 and goes no
 * further; one that is signed right but fails 5 (no event the dispatcher could route) is answered
 * 400 with the reason, at once. The URL check Feishu makes when the URL is entered
 * (`url_verification`) is answered with its challenge once 4 to 6 hold; it changes nothing.
 */

export const REPLAY_WINDOW_SECONDS = 5 * 60;

export interface WebhookSecrets {
  encryptKey: string;
  verificationToken: string;
}

export type Verified =
  { kind: 'event'; payload: Record<string, unknown> } | { kind: 'challenge'; challenge: string } | { kind: 'rejected'; status: 400 | 401; reason: string };

/** Checks one webhook request; pure apart from the clock it is given. */
export function verifyWebhookRequest(
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  secrets: WebhookSecrets,
  nowMs: number,
): Verified {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { kind: 'rejected', status: 400, reason: 'body is not JSON' };
  }
  const encrypted = body && typeof body === 'object' ? (body as { encrypt?: unknown }).encrypt : undefined;
  if (typeof encrypted !== 'string') return { kind: 'rejected', status: 401, reason: 'body is not encrypted' };

  const timestamp = header(headers, 'x-lark-request-timestamp');
  const nonce = header(headers, 'x-lark-request-nonce');
  const signature = header(headers, 'x-lark-signature');
  const signed = timestamp !== undefined && nonce !== undefined && signature !== undefined;
  if (signed) {
    const seconds = Number(timestamp);
    if (!Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > REPLAY_WINDOW_SECONDS) {
      return { kind: 'rejected', status: 401, reason: 'timestamp outside the replay window' };
    }
    const expected = createHash('sha256')
      .update(timestamp + nonce + secrets.encryptKey + rawBody)
      .digest('hex');
    if (!sameText(expected, signature.toLowerCase())) return { kind: 'rejected', status: 401, reason: 'bad signature' };
  }

  let plain: unknown;
  try {
    plain = JSON.parse(new lark.AESCipher(secrets.encryptKey).decrypt(encrypted)) as unknown;
  } catch {
    return { kind: 'rejected', status: 401, reason: 'body does not decrypt with the encrypt key' };
  }
  const problem = feishuPayloadProblem(plain);
  // Unsigned, only the URL check is taken: anything else is not known to come from Feishu.
  if (problem !== undefined)
    return signed ? { kind: 'rejected', status: 400, reason: problem } : { kind: 'rejected', status: 401, reason: 'missing signature headers' };
  const payload = plain as Record<string, unknown>;

  if (!sameText(secrets.verificationToken, tokenOf(payload))) return { kind: 'rejected', status: 401, reason: 'wrong verification token' };
  if (payload.type === 'url_verification') {
    return typeof payload.challenge === 'string'
      ? { kind: 'challenge', challenge: payload.challenge }
      : { kind: 'rejected', status: 400, reason: 'url_verification without a challenge' };
  }
  // Events and callbacks are always signed when the app has an encrypt key.
  if (!signed) return { kind: 'rejected', status: 401, reason: 'missing signature headers' };
  return { kind: 'event', payload };
}

/**
 * What is wrong with a decrypted payload for the dispatcher, or undefined when it can route it: an
 * object with a `header` (schema 2.0 events and callbacks) that names its `event_type`, and its
 * `event` object; or with a `type`: the URL check, or a schema 1.0 `event_callback` with its
 * `event` object.
 */
export function feishuPayloadProblem(plain: unknown): string | undefined {
  if (!isRecord(plain)) return `the decrypted body is ${describe(plain)}, not a Feishu event object`;
  if (plain.header !== undefined) {
    if (!isRecord(plain.header) || typeof plain.header.event_type !== 'string') return 'the decrypted body’s "header" is not an object with an "event_type"';
    return isRecord(plain.event) ? undefined : 'the decrypted body has no "event" object';
  }
  if (plain.type === undefined) return 'the decrypted body has neither a "header" nor a "type"';
  if (plain.type === 'url_verification') return undefined;
  if (plain.type === 'event_callback') return isRecord(plain.event) ? undefined : 'the decrypted body has no "event" object';
  return `the decrypted body is of type ${JSON.stringify(plain.type).slice(0, 40)}, which this app does not handle`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Schema 2.0 events and callbacks carry the token in the header; url_verification and 1.0 events at the top. */
function tokenOf(payload: Record<string, unknown>): string {
  const head = payload.header as { token?: unknown } | undefined;
  const token = head && typeof head === 'object' ? head.token : payload.token;
  return typeof token === 'string' ? token : '';
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What routes a verified payload: the SDK's EventDispatcher, or one that spools first (app.ts). */
export type PayloadDispatcher = Pick<lark.EventDispatcher, 'invoke'>;

export interface FeishuWebhookOptions extends WebhookSecrets {
  dispatcher: PayloadDispatcher;
  logger: Logger;
  /** For the replay window; Date.now by default. */
  now?: () => number;
  /** False until the handlers are in place: requests are then answered 503, and Feishu delivers them again. */
  ready?: () => boolean;
}

/**
 * The handler of the webhook's routes (`POST` on FEISHU_WEBHOOK_PATHS) on the bot's server, which
 * has read the body within its limit already.
 */
export function feishuWebhookListener(options: FeishuWebhookOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const now = options.now ?? Date.now;
  return (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      // One line that says what failed (a spool write names its file and the system's error).
      options.logger.error({ err: error }, `Feishu webhook request failed${res.headersSent ? '' : ' (answered 500)'}: ${(error as Error).message}`);
      if (!res.headersSent) answerJson(res, 500, { error: 'internal error' });
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (options.ready && !options.ready()) return answerJson(res, 503, { error: 'not ready' });
    // The server's limitBodies has read it (at most MAX_BODY_BYTES).
    const raw = (bufferedBody(req) ?? Buffer.alloc(0)).toString('utf8');

    const verified = verifyWebhookRequest(raw, req.headers, options, now());
    if (verified.kind === 'rejected') {
      options.logger.warn({ path, reason: verified.reason }, 'Feishu webhook request rejected');
      return answerJson(res, verified.status, { error: verified.reason });
    }
    if (verified.kind === 'challenge') return answerJson(res, 200, { challenge: verified.challenge });
    // Verified above; the dispatcher only routes (and flattens header and event for the handlers).
    const result: unknown = await options.dispatcher.invoke(verified.payload, { needCheck: false });
    // Events need only the 200; a card callback's answer (a toast) is the handler's result.
    answerJson(res, 200, result && typeof result === 'object' ? result : {});
  }
}
