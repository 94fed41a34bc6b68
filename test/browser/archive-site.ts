import { archiveData } from '../../handlers/archive/archive-data.ts';
import { ArchiveLinks } from '../../src/archive/links.ts';
import { archiveRoutes } from '../../src/archive/routes.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { loadTeamById } from '../../src/config/definitions.ts';
import { HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';
import { ConsolePlatform } from '../../src/platforms/console/console-platform.ts';
import { PLATFORM_MODULES } from '../../src/platforms/modules.ts';
import type { Team } from '../../src/report/definition.ts';
import { momentInWeek } from '../../src/report/week.ts';
import { seedHistory } from '../../src/seed/history.ts';
import { seedWeek } from '../../src/seed/seed-week.ts';
import { MemoryStore } from '../../src/store/index.ts';
import { FakeClock } from '../support/bot.ts';
import { freePort } from '../support/free-port.ts';

/** The reference week, answered with the reference replies and published, as `npm run seed` leaves it (and then published). */
export const WEEK = '2024-W23';
export const TEAM_ID = 'payments-weekly';
const SECRET = 'browser-tests-archive-secret-0123456789abcdef';

export interface ArchiveSite {
  team: Team;
  ctx: BotContext;
  clock: FakeClock;
  links: ArchiveLinks;
  /** The bot's server, e.g. http://127.0.0.1:41234 (its PUBLIC_URL). */
  origin: string;
  /** A team link, as a lead gets it from `/weekly-report archive`. */
  teamLink(): string;
  /** A link to one week's page only. */
  weekLink(week: string): string;
  close(): Promise<void>;
}

/**
 * The archive as the bot serves it with ARCHIVE_SECRET set (src/main.ts's routes on the bot's one
 * server), on a MemoryStore, at Friday evening of the reference week after it was published:
 * `weeks` earlier weeks of seeded history (the seed's metrics, incidents and goal reviews, so that
 * the trends have lines), then `fill` for anything more.
 */
export async function startArchiveSite(options: { weeks: number; fill?: (site: ArchiveSite) => Promise<void> }): Promise<ArchiveSite> {
  const team = await loadTeamById(TEAM_ID, PLATFORM_MODULES);
  const { definition } = team;
  // The reference replies arrive on Wednesday of their week, before it is due (as npm run seed and docs:chart have it).
  const clock = new FakeClock(new Date('2024-06-05T10:00:00+08:00'));
  const logger = createLogger('browser-archive', { level: 'warn' });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const links = new ArchiveLinks(SECRET, origin);
  const ctx: BotContext = {
    teams: [team],
    store: new MemoryStore(),
    modules: PLATFORM_MODULES,
    platforms: { console: new ConsolePlatform() },
    clock,
    logger,
    archive: links,
  };

  await seedHistory(ctx.store, team, WEEK, options.weeks);
  await seedWeek(ctx, team, WEEK, 'console');
  const published = momentInWeek(WEEK, definition.schedule.publish, definition.timeZone);
  await ctx.store.markPublished(definition.id, WEEK, [], published);
  clock.set(new Date(published.getTime() + 60 * 60_000));

  const server = await HttpServer.start(archiveRoutes({ links, data: archiveData(ctx), clock, logger }), { port, host: '127.0.0.1', logger });
  const expiry = () => links.expiryFrom(clock.now());
  const site: ArchiveSite = {
    team,
    ctx,
    clock,
    links,
    origin,
    teamLink: () => links.teamLink(definition.id, expiry()),
    weekLink: (week) => links.weekLink(definition.id, week, expiry()),
    close: () => server.close(),
  };
  await options.fill?.(site);
  return site;
}
