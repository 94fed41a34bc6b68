import { z } from 'zod';
import { optionalVar, readEnvPart } from '../../config/env.ts';
import type { EnvSource } from '../module.ts';

/** Slack's own Web API; a local fake or another Slack (e.g. GovSlack) is set with SLACK_API_URL. */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/**
 * How the bot reaches Slack. Events arrive over HTTP (`POST /slack/events` on the bot's one server, verified
 * with the signing secret) unless an app-level token is given: then over Socket Mode, which needs
 * no public URL.
 */
export type SlackTransport = { mode: 'http'; signingSecret: string } | { mode: 'socket'; appToken: string };

export interface SlackConfig {
  /** The bot token (xoxb-…), for every Web API call. */
  botToken: string;
  transport: SlackTransport;
  /** Base URL of the Web API, ending in a slash. */
  apiUrl: string;
}

/** Slack's variables; the messages say what each should look like (never what it was). */
const SlackEnv = z
  .object({
    SLACK_BOT_TOKEN: optionalVar(z.string().regex(/^xoxb-/, 'expected a bot token starting with xoxb-')),
    SLACK_SIGNING_SECRET: optionalVar(z.string().min(8, 'expected the app’s signing secret')),
    SLACK_APP_TOKEN: optionalVar(z.string().regex(/^xapp-/, 'expected an app-level token starting with xapp-')),
    SLACK_API_URL: optionalVar(z.url('expected a URL like https://slack.com/api/')),
  })
  .superRefine((env, ctx) => {
    const require = (name: keyof typeof env, because: string) => {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `is required ${because}` });
    };
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN) require('SLACK_SIGNING_SECRET', 'for Slack in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
    if (!env.SLACK_BOT_TOKEN && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN)) require('SLACK_BOT_TOKEN', 'when other SLACK_ variables are set');
  });

/**
 * Slack's configuration from the environment, or null when Slack is not configured (no
 * SLACK_BOT_TOKEN). Throws EnvError when its variables are malformed or do not go together.
 */
export function slackConfigFromEnv(source: EnvSource): SlackConfig | null {
  const env = readEnvPart(SlackEnv, source);
  if (!env.SLACK_BOT_TOKEN) return null;
  const apiUrl = normaliseApiUrl(env.SLACK_API_URL ?? DEFAULT_SLACK_API_URL);
  if (env.SLACK_APP_TOKEN) {
    return { botToken: env.SLACK_BOT_TOKEN, apiUrl, transport: { mode: 'socket', appToken: env.SLACK_APP_TOKEN } };
  }
  if (!env.SLACK_SIGNING_SECRET) {
    // SlackEnv rejects this combination; kept so that no path can start an unverified endpoint.
    throw new Error('SLACK_SIGNING_SECRET: is required for Slack in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  return {
    botToken: env.SLACK_BOT_TOKEN,
    apiUrl,
    transport: { mode: 'http', signingSecret: env.SLACK_SIGNING_SECRET },
  };
}

/** WebClient appends method names to the base URL, so it must end in a slash. */
export function normaliseApiUrl(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
