import type { CustomRoute } from '@slack/bolt';
import { EnvError } from '../config/env.ts';
import type { Logger } from '../log.ts';
import { createFeishuRuntime, FEISHU_WEBHOOK_PATHS, type FeishuConfig } from './feishu/index.ts';
import type { EnvSource, PlatformModule, SharedEnv } from './module.ts';
import { feishuModule } from './feishu/module.ts';
import type { HttpRoute, PlatformRuntime } from './runtime.ts';
import { createSlackRuntime, type SlackConfig } from './slack/index.ts';
import { slackModule } from './slack/module.ts';

/** A platform the environment configures, with its configuration. */
export interface ConfiguredPlatform {
  module: PlatformModule;
  config: unknown;
}

/**
 * The platforms the environment configures, in the modules' order. Every module reads its own
 * variables; the problems of all of them are reported at once.
 */
export function configuredPlatforms(modules: readonly PlatformModule[], source: EnvSource, shared: SharedEnv): ConfiguredPlatform[] {
  const configured: ConfiguredPlatform[] = [];
  const problems: string[] = [];
  for (const module of modules) {
    try {
      const config = module.configFromEnv(source, shared);
      if (config !== null) configured.push({ module, config });
    } catch (error) {
      if (!(error instanceof EnvError)) throw error;
      problems.push(...error.message.split('\n').slice(1));
    }
  }
  if (problems.length > 0) throw new EnvError(`Invalid environment:\n${problems.join('\n')}`);
  return configured;
}

/**
 * The runtimes of the configured platforms. When Slack receives over HTTP and Feishu over its
 * webhook, they share PORT in one process: Slack's server hands Feishu's paths (/feishu/events,
 * /feishu/card) to Feishu. Every other platform's runtime is made by its own module. `routes`
 * (/healthz, /readyz) are served by whichever runtime listens on PORT.
 */
export async function chatRuntimes(configured: readonly ConfiguredPlatform[], logger: Logger, routes: readonly HttpRoute[] = []): Promise<PlatformRuntime[]> {
  const slackConfig = configured.find((c) => c.module === slackModule)?.config as SlackConfig | undefined;
  const feishuConfig = configured.find((c) => c.module === feishuModule)?.config as FeishuConfig | undefined;
  const shared = slackConfig?.transport.mode === 'http' && feishuConfig?.transport.mode === 'webhook';
  if (!shared) return Promise.all(configured.map(({ module, config }) => module.createRuntime(config, { logger, routes })));

  const feishu = createFeishuRuntime(feishuConfig, { logger: logger.child({ platform: 'feishu' }), listen: false });
  const extraRoutes: CustomRoute[] = [...FEISHU_WEBHOOK_PATHS.map((path) => ({ path, method: ['POST'], handler: feishu.webhookListener() })), ...routes];
  const slack = createSlackRuntime(slackConfig, { logger: logger.child({ platform: 'slack' }), extraRoutes });
  const others = configured.filter((c) => c.module !== slackModule && c.module !== feishuModule);
  // Slack first: its server is the one listening.
  return [slack, feishu, ...(await Promise.all(others.map(({ module, config }) => module.createRuntime(config, { logger }))))];
}
