import type { Env } from '../config/env.ts';
import type { Logger } from '../log.ts';
import type { PlatformRuntime } from './runtime.ts';
import { createSlackRuntime, slackConfigFromEnv } from './slack/index.ts';

/** The Slack and/or Feishu runtimes the environment configures. */
export async function chatRuntimes(env: Env, logger: Logger): Promise<PlatformRuntime[]> {
  const runtimes: PlatformRuntime[] = [];
  const slack = slackConfigFromEnv(env);
  if (slack) runtimes.push(createSlackRuntime(slack, { logger: logger.child({ platform: 'slack' }) }));
  return runtimes;
}
