import type { Env } from '../config/env.ts';
import type { Logger } from '../log.ts';
import type { PlatformRuntime } from './runtime.ts';

/** The Slack and/or Feishu runtimes the environment configures. */
export async function chatRuntimes(_env: Env, _logger: Logger): Promise<PlatformRuntime[]> {
  return [];
}
