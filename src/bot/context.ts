import type { Logger } from 'pino';
import type { ArchiveLinks } from '../archive/links.ts';
import type { PlatformModule } from '../platforms/module.ts';
import type { ChatPlatform, PlatformName } from '../platforms/platform.ts';
import type { Team } from '../report/definition.ts';
import type { Store } from '../store/store.ts';

/** All time comes from here, so tests can run a whole week in milliseconds. */
export interface Clock {
  now(): Date;
  /** Resolves once `ms` of this clock's time has passed; a clock without it (a test's fixed time) does not wait. */
  sleep?(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** What every handler works with; built once by the composition root (src/main.ts). */
export interface BotContext {
  teams: readonly Team[];
  store: Store;
  /** Every platform module, in order of preference (src/platforms/modules.ts). */
  modules: readonly PlatformModule[];
  /** The platforms running now, by name. */
  platforms: Partial<Record<PlatformName, ChatPlatform>>;
  clock: Clock;
  logger: Logger;
  /** The web archive's links, when ARCHIVE_SECRET is set (src/archive/): commands and the digest give them. */
  archive?: ArchiveLinks;
}

export function platformOf(ctx: BotContext, name: PlatformName): ChatPlatform {
  const platform = ctx.platforms[name];
  if (!platform) throw new Error(`platform ${name} is not running`);
  return platform;
}

/** The running platforms with their modules, in order of preference. */
export function runningPlatforms(ctx: BotContext): { module: PlatformModule; platform: ChatPlatform }[] {
  return ctx.modules.flatMap((module) => {
    const platform = ctx.platforms[module.name];
    return platform ? [{ module, platform }] : [];
  });
}
