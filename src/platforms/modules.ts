import { EnvError } from '../config/env.ts';
import type { Logger } from '../log.ts';
import { consoleModule } from './console/module.ts';
import { feishuModule } from './feishu/module.ts';
import type { EnvSource, PlatformModule } from './module.ts';
import type { PlatformRuntime } from './runtime.ts';
import { slackModule } from './slack/module.ts';

/**
 * Every platform the bot knows, in order of preference: a person with ids on several running
 * platforms is prompted on the first. The one place that names them; adding a platform is a
 * folder under src/platforms/ and a line here.
 */
export const PLATFORM_MODULES: readonly PlatformModule[] = [slackModule, feishuModule, consoleModule];

export const PLATFORM_NAMES: readonly string[] = PLATFORM_MODULES.map((m) => m.name);

/** A platform the environment configures, with its configuration. */
export interface ConfiguredPlatform {
  module: PlatformModule;
  config: unknown;
}

/**
 * The platforms the environment configures, in the modules' order. Every module reads its own
 * variables; the problems of all of them are reported at once.
 */
export function configuredPlatforms(modules: readonly PlatformModule[], source: EnvSource): ConfiguredPlatform[] {
  const configured: ConfiguredPlatform[] = [];
  const problems: string[] = [];
  for (const module of modules) {
    try {
      const config = module.configFromEnv(source);
      if (config !== null) configured.push({ module, config });
    } catch (error) {
      if (!(error instanceof EnvError)) throw error;
      problems.push(...error.message.split('\n').slice(1));
    }
  }
  if (problems.length > 0) throw new EnvError(`Invalid environment:\n${problems.join('\n')}`);
  return configured;
}

/** The runtimes of the configured platforms, each made by its own module (none started yet). */
export function createRuntimes(configured: readonly ConfiguredPlatform[], logger: Logger): Promise<PlatformRuntime[]> {
  return Promise.all(configured.map(({ module, config }) => module.createRuntime(config, { logger })));
}
