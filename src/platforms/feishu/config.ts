import * as lark from '@larksuiteoapi/node-sdk';
import { z } from 'zod';
import { optionalVar, readEnvPart } from '../../config/env.ts';
import type { EnvSource } from '../module.ts';

/**
 * How the bot reaches Feishu or Lark. Events arrive over the long connection (`ws`, no public
 * URL) unless webhook mode is chosen: then over HTTP on the bot's one server, where every request is verified
 * with the encrypt key and the verification token.
 */
export type FeishuTransport = { mode: 'ws' } | { mode: 'webhook'; encryptKey: string; verificationToken: string };

export interface FeishuConfig {
  appId: string;
  appSecret: string;
  /** Feishu (China), Lark (international), or a base URL such as a local fake Open API. */
  domain: lark.Domain | string;
  transport: FeishuTransport;
  /** Where people open the bot's documents (FEISHU_DOCS_URL), e.g. https://acme.feishu.cn; see docx/client.ts. */
  docsUrl?: string;
}

/** The paths the webhook answers on; the callback path is the one to enter for card callbacks. */
export const FEISHU_EVENTS_PATH = '/feishu/events';
export const FEISHU_CARD_PATH = '/feishu/card';

/** Feishu's variables; the messages say what each should look like (never what it was). */
const FeishuEnv = z
  .object({
    FEISHU_APP_ID: optionalVar(z.string().regex(/^cli_/, 'expected an app id starting with cli_')),
    FEISHU_APP_SECRET: optionalVar(z.string().min(8, 'expected the app secret')),
    FEISHU_DOMAIN: z
      .string()
      .refine((v) => v === 'feishu' || v === 'lark' || /^https?:\/\//.test(v), 'expected feishu, lark or a base URL like https://open.feishu.cn')
      .default('feishu'),
    FEISHU_EVENT_MODE: z.enum(['ws', 'webhook']).default('ws'),
    FEISHU_ENCRYPT_KEY: optionalVar(z.string().min(1)),
    FEISHU_VERIFICATION_TOKEN: optionalVar(z.string().min(1)),
    FEISHU_DOCS_URL: optionalVar(
      z.string().regex(/^https?:\/\/[^/\s]+\/?$/, 'expected the address people open Feishu documents at, like https://acme.feishu.cn'),
    ),
  })
  .superRefine((env, ctx) => {
    const require = (name: keyof typeof env, because: string) => {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `is required ${because}` });
    };
    if (env.FEISHU_APP_ID) require('FEISHU_APP_SECRET', 'with FEISHU_APP_ID');
    if (env.FEISHU_APP_SECRET && !env.FEISHU_APP_ID) require('FEISHU_APP_ID', 'with FEISHU_APP_SECRET');
    if (env.FEISHU_APP_ID && env.FEISHU_EVENT_MODE === 'webhook') {
      require('FEISHU_ENCRYPT_KEY', 'in webhook mode: requests are verified with it');
      require('FEISHU_VERIFICATION_TOKEN', 'in webhook mode');
    }
  });
type FeishuEnv = z.infer<typeof FeishuEnv>;

/**
 * Feishu's configuration from the environment, or null when Feishu is not configured (no
 * FEISHU_APP_ID). Throws EnvError when its variables are malformed or do not go together.
 */
export function feishuConfigFromEnv(source: EnvSource): FeishuConfig | null {
  return feishuConfigOf(readEnvPart(FeishuEnv, source));
}

/** The configuration from already validated variables; refuses webhook mode without its secrets whatever it is given. */
export function feishuConfigOf(env: FeishuEnv): FeishuConfig | null {
  if (!env.FEISHU_APP_ID) return null;
  if (!env.FEISHU_APP_SECRET) throw new Error('FEISHU_APP_SECRET: is required with FEISHU_APP_ID');
  const base = {
    appId: env.FEISHU_APP_ID,
    appSecret: env.FEISHU_APP_SECRET,
    domain: larkDomain(env.FEISHU_DOMAIN),
    ...(env.FEISHU_DOCS_URL ? { docsUrl: env.FEISHU_DOCS_URL } : {}),
  };
  if (env.FEISHU_EVENT_MODE === 'ws') return { ...base, transport: { mode: 'ws' } };
  // FeishuEnv rejects webhook mode without these; kept so that no path can start an unverified endpoint.
  if (!env.FEISHU_ENCRYPT_KEY || !env.FEISHU_VERIFICATION_TOKEN) {
    throw new Error('FEISHU_ENCRYPT_KEY and FEISHU_VERIFICATION_TOKEN: are required in webhook mode: requests are verified with them');
  }
  return {
    ...base,
    transport: { mode: 'webhook', encryptKey: env.FEISHU_ENCRYPT_KEY, verificationToken: env.FEISHU_VERIFICATION_TOKEN },
  };
}

/** `feishu` → open.feishu.cn, `lark` → open.larksuite.com, anything else is a base URL. */
export function larkDomain(domain: string): lark.Domain | string {
  if (domain === 'feishu') return lark.Domain.Feishu;
  if (domain === 'lark') return lark.Domain.Lark;
  // The SDK appends `/open-apis/...` to the base itself.
  return domain.replace(/\/+$/, '');
}
