import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BotContext, Clock } from '../../src/bot/context.ts';
import { inboundHandlers } from '../../src/app.ts';
import { loadTeamById } from '../../src/config/definitions.ts';
import { createLogger } from '../../src/log.ts';
import { ConsolePlatform } from '../../src/platforms/console/console-platform.ts';
import { ConsoleSession } from '../../src/platforms/console/console-session.ts';
import { claimChatPrefix, storeLookups } from '../../src/platforms/console/chat-ids.ts';
import type { OutgoingMessage, Visibility } from '../../src/platforms/platform.ts';
import type { Store } from '../../src/store/store.ts';
import type { Locale } from '../../src/report/locale.ts';
import { SEEDS_DIR } from './golden.ts';
import { PLATFORM_MODULES } from '../../src/platforms/modules.ts';
import { Inbound } from '../../src/platforms/inbound.ts';

export class FakeClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: string | Date): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

// MemoryStore or MongoStore, as the vitest project says.
export { openTestStore } from './test-store.ts';

/** A bot on the console platform over a real store, with a fake clock, as one replica. */
export async function consoleBot(store: Store, clock: FakeClock, holder = 'replica-a') {
  const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
  // Message ids unique across replicas, as a platform's are: `m1` for replica-a, `b1` for replica-b.
  const platform = new ConsolePlatform(undefined, holder === 'replica-a' ? 'm' : `${holder.at(-1) ?? 'x'}`);
  const ctx: BotContext = { teams: [team], store, modules: PLATFORM_MODULES, platforms: { console: platform }, clock, logger: createLogger('test-bot') };
  const answers: { message: OutgoingMessage; visibility: Visibility; to: string }[] = [];
  const session = new ConsoleSession(
    platform,
    new Inbound(inboundHandlers(ctx, holder), { logger: ctx.logger }),
    'lead',
    (message, visibility) => answers.push({ message, visibility, to: session.you }),
    // A replica's prompt is answered through another replica's chat too: both read the one store.
    { lookups: storeLookups(store, team, () => clock.now()), locale: team.definition.locale },
  );
  return { team, platform, ctx, session, answers, holder };
}

export function seedReply(sectionId: string): string {
  return readFileSync(path.join(SEEDS_DIR, `${sectionId}.md`), 'utf8');
}

export function fixtureReply(style: string, file: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/replies/${style}/${file}`, import.meta.url)), 'utf8');
}

/**
 * A local-mode chat process (`npm start` without Slack or Feishu) on `store`, built as src/main.ts
 * builds it, with a fake clock: two of these on one store are the same chat before and after a
 * restart (with MONGODB_URI, the data outlives the process; its messages do not).
 */
export async function localChat(store: Store, clock: FakeClock, you = 'lead', locale?: Locale) {
  const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
  const platform = new ConsolePlatform();
  const holder = `local-${Math.random().toString(36).slice(2, 8)}`;
  const ctx: BotContext = { teams: [team], store, modules: PLATFORM_MODULES, platforms: { console: platform }, clock, logger: createLogger('test-local-chat') };
  const answers: { message: OutgoingMessage; visibility: Visibility; to: string }[] = [];
  const session = new ConsoleSession(
    platform,
    new Inbound(inboundHandlers(ctx, holder), { logger: ctx.logger }),
    you,
    (message, visibility) => answers.push({ message, visibility, to: session.you }),
    { lookups: storeLookups(store, team, () => clock.now()), locale: locale ?? team.definition.locale },
  );
  session.useIdPrefix(await claimChatPrefix(store, clock.now()));
  return { team, platform, ctx, session, answers, holder };
}
