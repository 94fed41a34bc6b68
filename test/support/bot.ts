import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BotContext, Clock } from '../../handlers/context.ts';
import { inboundHandlers } from '../../src/app.ts';
import { loadTeamReportById } from '../../src/config/definitions.ts';
import { createLogger } from '../../src/log.ts';
import { ConsolePlatform } from '../../src/platforms/console/console-platform.ts';
import { ConsoleSession } from '../../src/platforms/console/console-session.ts';
import type { OutgoingMessage, Visibility } from '../../src/platforms/platform.ts';
import { MongoStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/store.ts';
import { testDatabaseUri } from './db.ts';
import { SEEDS_DIR } from './golden.ts';

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

export async function openTestStore(label: string): Promise<MongoStore> {
  return MongoStore.connect(testDatabaseUri(label), { logger: createLogger('test-store') });
}

/** A bot on the console platform over a real store, with a fake clock, as one replica. */
export async function consoleBot(store: Store, clock: FakeClock, holder = 'replica-a') {
  const team = await loadTeamReportById('payments-weekly');
  const platform = new ConsolePlatform();
  const ctx: BotContext = { teams: [team], store, platforms: { console: platform }, clock, logger: createLogger('test-bot') };
  const answers: { message: OutgoingMessage; visibility: Visibility; to: string }[] = [];
  const session = new ConsoleSession(platform, inboundHandlers(ctx, holder), 'lead', (message, visibility) =>
    answers.push({ message, visibility, to: session.you }),
  );
  return { team, platform, ctx, session, answers, holder };
}

export function seedReply(sectionId: string): string {
  return readFileSync(path.join(SEEDS_DIR, `${sectionId}.md`), 'utf8');
}

export function fixtureReply(style: string, file: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/replies/${style}/${file}`, import.meta.url)), 'utf8');
}
