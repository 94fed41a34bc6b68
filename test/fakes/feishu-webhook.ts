import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { FakeMessage } from './feishu-open-api.ts';

/**
 * Webhook requests as Feishu sends them: the payload encrypted with the app's encrypt key
 * (AES-256-CBC, key = sha256(encryptKey), body `{"encrypt": base64(iv ‖ ciphertext)}`) and signed
 * (`x-lark-signature` = sha256hex(timestamp + nonce + encryptKey + body)). Every part can be
 * spoiled on purpose, to test that the bot refuses it.
 */

export interface WebhookApp {
  appId: string;
  encryptKey: string;
  verificationToken: string;
}

export function encryptFeishuPayload(payload: unknown, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, encrypted]).toString('base64');
}

export function feishuSignature(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + body)
    .digest('hex');
}

export interface SendOptions {
  /** Encrypt with this key instead of the app's (a sender that does not know the key). */
  encryptWith?: string;
  /** Sign with this key instead of the app's. */
  signWith?: string;
  /** Replace the computed signature. */
  signature?: string;
  /** Unix seconds; now by default. */
  timestamp?: number;
  /** Leave out the signature headers. */
  unsigned?: boolean;
  /** Send the payload in clear. */
  plain?: boolean;
  path?: string;
}

export interface WebhookAnswer {
  status: number;
  body: unknown;
}

/** POSTs one payload to the bot's webhook as Feishu would; returns the answer. */
export async function postToFeishuWebhook(baseUrl: string, app: WebhookApp, payload: unknown, options: SendOptions = {}): Promise<WebhookAnswer> {
  const body = options.plain ? JSON.stringify(payload) : JSON.stringify({ encrypt: encryptFeishuPayload(payload, options.encryptWith ?? app.encryptKey) });
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = randomBytes(8).toString('hex');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!options.unsigned) {
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = options.signature ?? feishuSignature(timestamp, nonce, options.signWith ?? app.encryptKey, body);
  }
  const response = await fetch(`${baseUrl}${options.path ?? '/feishu/events'}`, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}

let eventCounter = 0;

/** A fresh event id, as Feishu makes them (32 hex characters). */
export function newEventId(): string {
  eventCounter += 1;
  return `${randomBytes(12).toString('hex')}${String(eventCounter).padStart(8, '0')}`;
}

function header(app: WebhookApp, eventType: string, eventId: string) {
  return {
    event_id: eventId,
    token: app.verificationToken,
    create_time: String(Date.now()),
    event_type: eventType,
    tenant_key: 'fake_tenant',
    app_id: app.appId,
  };
}

/** im.message.receive_v1 for a message a person wrote (see FakeFeishuOpenApi.userWrites). */
export function messageReceived(
  app: WebhookApp,
  message: FakeMessage,
  options: { chatType?: 'p2p' | 'group'; eventId?: string; mentions?: { key: string; openId: string; name: string }[] } = {},
) {
  return {
    schema: '2.0',
    header: header(app, 'im.message.receive_v1', options.eventId ?? newEventId()),
    event: {
      sender: { sender_id: { open_id: message.sender, union_id: `on_${message.sender}`, user_id: null }, sender_type: 'user', tenant_key: 'fake_tenant' },
      message: {
        message_id: message.message_id,
        root_id: message.root_id ?? '',
        parent_id: message.parent_id ?? '',
        create_time: String(message.create_time),
        update_time: String(message.create_time),
        chat_id: message.chat_id,
        ...(message.thread_id ? { thread_id: message.thread_id } : {}),
        chat_type: options.chatType ?? 'p2p',
        message_type: message.msg_type,
        content: message.content,
        ...(options.mentions
          ? {
              mentions: options.mentions.map((m) => ({
                key: m.key,
                id: { open_id: m.openId, union_id: `on_${m.openId}`, user_id: null },
                name: m.name,
                tenant_key: 'fake_tenant',
              })),
            }
          : {}),
        user_agent: 'Mozilla/5.0 Lark/7.20',
      },
    },
  };
}

/** im.message.recalled_v1: a person withdrew (recalled) one of their messages. Feishu names the message, not who recalled it. */
export function messageRecalled(app: WebhookApp, message: FakeMessage, eventId = newEventId()) {
  return {
    schema: '2.0',
    header: header(app, 'im.message.recalled_v1', eventId),
    event: { message_id: message.message_id, chat_id: message.chat_id, recall_time: String(Date.now()), recall_type: 'message_owner' },
  };
}

/** application.bot.menu_v6: a click on a bot menu item of type "event". */
export function menuClicked(app: WebhookApp, openId: string, eventKey: string, eventId = newEventId()) {
  return {
    schema: '2.0',
    header: header(app, 'application.bot.menu_v6', eventId),
    event: {
      operator: { operator_name: 'someone', operator_id: { open_id: openId, union_id: `on_${openId}`, user_id: null } },
      event_key: eventKey,
      timestamp: Date.now(),
    },
  };
}

/** card.action.trigger for the submit button of a form: its callback value and the form's values. */
export function cardFormSubmitted(
  app: WebhookApp,
  input: { openId: string; messageId: string; chatId: string; value: unknown; formValue: Record<string, string>; buttonName?: string },
  eventId = newEventId(),
) {
  return {
    schema: '2.0',
    header: header(app, 'card.action.trigger', eventId),
    event: {
      operator: { tenant_key: 'fake_tenant', open_id: input.openId, union_id: `on_${input.openId}` },
      token: `c-${randomBytes(8).toString('hex')}`,
      action: { value: input.value, tag: 'button', name: input.buttonName ?? 'submit', form_value: input.formValue, timezone: 'Asia/Shanghai' },
      host: 'im_message',
      context: { open_message_id: input.messageId, open_chat_id: input.chatId },
    },
  };
}

/** The check Feishu makes when the request URL is entered in the developer console. */
export function urlVerification(app: WebhookApp, challenge: string) {
  return { challenge, token: app.verificationToken, type: 'url_verification' };
}
