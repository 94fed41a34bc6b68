import type { Logger } from 'pino';
import type { ChatPlatform } from '../src/platforms/platform.ts';
import type { TeamReport } from '../src/report/definition.ts';
import type { PlatformName, Store } from '../src/store/store.ts';

/** All time comes from here, so tests can run a whole week in milliseconds. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What every handler works with; built once by the composition root (src/main.ts). */
export interface BotContext {
  teams: readonly TeamReport[];
  store: Store;
  platforms: Partial<Record<PlatformName, ChatPlatform>>;
  clock: Clock;
  logger: Logger;
}

export function platformOf(ctx: BotContext, name: PlatformName): ChatPlatform {
  const platform = ctx.platforms[name];
  if (!platform) throw new Error(`platform ${name} is not running`);
  return platform;
}
