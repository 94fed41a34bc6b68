import { consoleModule } from './console/module.ts';
import { feishuModule } from './feishu/module.ts';
import type { PlatformModule } from './module.ts';
import { slackModule } from './slack/module.ts';

/**
 * Every platform the bot knows, in order of preference: a person with ids on several running
 * platforms is prompted on the first. The one place that names them; adding a platform is a
 * folder under src/platforms/ and a line here.
 */
export const PLATFORM_MODULES: readonly PlatformModule[] = [slackModule, feishuModule, consoleModule];

export const PLATFORM_NAMES: readonly string[] = PLATFORM_MODULES.map((m) => m.name);
