import * as lark from '@larksuiteoapi/node-sdk';
import type { Env } from '../../config/env.ts';

/**
 * How the bot reaches Feishu or Lark. Events arrive over the long connection (`ws`, no public
 * URL) unless webhook mode is chosen: then over HTTP on `port`, where every request is verified
 * with the encrypt key and the verification token.
 */
export type FeishuTransport =
  | { mode: 'ws' }
  | { mode: 'webhook'; port: number; encryptKey: string; verificationToken: string };

export interface FeishuConfig {
  appId: string;
  appSecret: string;
  /** Feishu (China), Lark (international), or a base URL such as a local fake Open API. */
  domain: lark.Domain | string;
  transport: FeishuTransport;
}

/** The paths the webhook answers on; the callback path is the one to enter for card callbacks. */
export const FEISHU_EVENTS_PATH = '/feishu/events';
export const FEISHU_CARD_PATH = '/feishu/card';

/**
 * The Feishu part of the validated environment, or null when Feishu is not configured
 * (no FEISHU_APP_ID). parseEnv has already checked that the variables go together.
 */
export function feishuConfigFromEnv(env: Env): FeishuConfig | null {
  if (!env.FEISHU_APP_ID) return null;
  if (!env.FEISHU_APP_SECRET) throw new Error('FEISHU_APP_SECRET: is required with FEISHU_APP_ID');
  const base = { appId: env.FEISHU_APP_ID, appSecret: env.FEISHU_APP_SECRET, domain: larkDomain(env.FEISHU_DOMAIN) };
  if (env.FEISHU_EVENT_MODE === 'ws') return { ...base, transport: { mode: 'ws' } };
  // parseEnv rejects webhook mode without these; kept so that a hand-built Env cannot start an unverified endpoint.
  if (!env.FEISHU_ENCRYPT_KEY || !env.FEISHU_VERIFICATION_TOKEN) {
    throw new Error('FEISHU_ENCRYPT_KEY and FEISHU_VERIFICATION_TOKEN: are required in webhook mode: requests are verified with them');
  }
  return {
    ...base,
    transport: { mode: 'webhook', port: env.PORT, encryptKey: env.FEISHU_ENCRYPT_KEY, verificationToken: env.FEISHU_VERIFICATION_TOKEN },
  };
}

/** `feishu` → open.feishu.cn, `lark` → open.larksuite.com, anything else is a base URL. */
export function larkDomain(domain: string): lark.Domain | string {
  if (domain === 'feishu') return lark.Domain.Feishu;
  if (domain === 'lark') return lark.Domain.Lark;
  // The SDK appends `/open-apis/...` to the base itself.
  return domain.replace(/\/+$/, '');
}
