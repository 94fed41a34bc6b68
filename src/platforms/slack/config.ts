import type { Env } from '../../config/env.ts';

/** Slack's own Web API; a local fake or another Slack (e.g. GovSlack) is set with SLACK_API_URL. */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/**
 * How the bot reaches Slack. Events arrive over HTTP (`POST /slack/events` on `port`, verified
 * with the signing secret) unless an app-level token is given: then over Socket Mode, which needs
 * no public URL.
 */
export type SlackTransport =
  | { mode: 'http'; signingSecret: string; port: number }
  | { mode: 'socket'; appToken: string };

export interface SlackConfig {
  /** The bot token (xoxb-…), for every Web API call. */
  botToken: string;
  transport: SlackTransport;
  /** Base URL of the Web API, ending in a slash. */
  apiUrl: string;
}

/**
 * The Slack part of the validated environment, or null when Slack is not configured
 * (no SLACK_BOT_TOKEN). parseEnv has already checked that the variables go together.
 */
export function slackConfigFromEnv(env: Env): SlackConfig | null {
  if (!env.SLACK_BOT_TOKEN) return null;
  const apiUrl = normaliseApiUrl(env.SLACK_API_URL ?? DEFAULT_SLACK_API_URL);
  if (env.SLACK_APP_TOKEN) {
    return { botToken: env.SLACK_BOT_TOKEN, apiUrl, transport: { mode: 'socket', appToken: env.SLACK_APP_TOKEN } };
  }
  if (!env.SLACK_SIGNING_SECRET) {
    // parseEnv rejects this combination; kept so that a hand-built Env cannot start an unverified endpoint.
    throw new Error('SLACK_SIGNING_SECRET: is required for Slack in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  return {
    botToken: env.SLACK_BOT_TOKEN,
    apiUrl,
    transport: { mode: 'http', signingSecret: env.SLACK_SIGNING_SECRET, port: env.PORT },
  };
}

/** WebClient appends method names to the base URL, so it must end in a slash. */
export function normaliseApiUrl(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
