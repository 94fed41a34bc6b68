import type { CustomRoute } from '@slack/bolt';
import type { Env } from '../config/env.ts';
import type { Logger } from '../log.ts';
import { createFeishuRuntime, FEISHU_WEBHOOK_PATHS, feishuConfigFromEnv } from './feishu/index.ts';
import type { PlatformRuntime } from './runtime.ts';
import { createSlackRuntime, slackConfigFromEnv } from './slack/index.ts';

/**
 * The Slack and/or Feishu runtimes the environment configures. Both can run in one process: when
 * Slack receives over HTTP and Feishu over its webhook, they share PORT, Slack's server handing
 * Feishu's paths (/feishu/events, /feishu/card) to Feishu.
 */
export async function chatRuntimes(env: Env, logger: Logger): Promise<PlatformRuntime[]> {
  const slackConfig = slackConfigFromEnv(env);
  const feishuConfig = feishuConfigFromEnv(env);
  const shared = slackConfig?.transport.mode === 'http' && feishuConfig?.transport.mode === 'webhook';

  const feishu = feishuConfig ? createFeishuRuntime(feishuConfig, { logger: logger.child({ platform: 'feishu' }), listen: !shared }) : null;
  const extraRoutes: CustomRoute[] =
    shared && feishu ? FEISHU_WEBHOOK_PATHS.map((path) => ({ path, method: ['POST'], handler: feishu.webhookListener() })) : [];
  const slack = slackConfig ? createSlackRuntime(slackConfig, { logger: logger.child({ platform: 'slack' }), extraRoutes }) : null;
  // Slack first: when they share a port, its server is the one listening.
  return [slack, feishu].filter((runtime): runtime is NonNullable<typeof runtime> => runtime !== null);
}
