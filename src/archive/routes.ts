import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '../http/server.ts';
import type { Logger } from '../log.ts';
import { isIsoWeek } from '../report/week.ts';
import type { ArchiveData } from './archive-data.ts';
import { ARCHIVE_CSS, ARCHIVE_ICON_SVG, ARCHIVE_JS, echartsMinJs } from './assets.ts';
import { sendAsset, sendPage } from './headers.ts';
import type { ArchiveLinks } from './links.ts';
import { renderError, renderPage, TEAM_PAGES, type PageRequest, type TeamPage } from './pages.ts';

export interface ArchiveRoutesOptions {
  links: ArchiveLinks;
  data: ArchiveData;
  /** The bot's clock (BotContext.clock): links expire by it. Only `now`, so that the archive depends on no handler's context. */
  clock: { now(): Date };
  logger: Logger;
}

const ASSETS: Record<string, { type: string; body: () => string | Buffer }> = {
  'archive.css': { type: 'text/css; charset=utf-8', body: () => ARCHIVE_CSS },
  'icon.svg': { type: 'image/svg+xml', body: () => ARCHIVE_ICON_SVG },
  'archive.js': { type: 'text/javascript; charset=utf-8', body: () => ARCHIVE_JS },
  'echarts.min.js': { type: 'text/javascript; charset=utf-8', body: echartsMinJs },
};

/**
 * The web archive on the bot's server (GET /archive/…): its static files, and a team's pages,
 * each opened only by a signed link (./links.ts). A request without a valid signature for the page
 * is answered 401, an expired one 403, before anything is read: neither page holds report data.
 */
export function archiveRoutes(options: ArchiveRoutesOptions): HttpRoute[] {
  return [{ path: '/archive/', prefix: true, method: 'GET', handler: (req, res) => void answer(options, req, res) }];
}

/** `/archive/<team>[/weeks/<week> | /<page>]`, or null for a path that is none of these. */
export function readArchivePath(path: string, query: URLSearchParams): { teamId: string; request: PageRequest } | null {
  const parts = path.slice('/archive/'.length).split('/');
  let teamId: string;
  try {
    teamId = decodeURIComponent(parts[0] ?? '');
  } catch {
    return null;
  }
  if (teamId === '') return null;
  if (parts.length === 1) return { teamId, request: { page: 'weeks' } };
  if (parts.length === 3 && parts[1] === 'weeks' && isIsoWeek(parts[2]!)) return { teamId, request: { page: 'week', week: parts[2]! } };
  if (parts.length === 2 && (TEAM_PAGES as readonly string[]).includes(parts[1]!)) {
    const page = parts[1] as TeamPage;
    return { teamId, request: page === 'search' ? { page, query: query.get('q') ?? '' } : { page } };
  }
  return null;
}

async function answer({ links, data, clock, logger }: ArchiveRoutesOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://archive.invalid');
  try {
    const asset = url.pathname.startsWith('/archive/assets/') ? ASSETS[url.pathname.slice('/archive/assets/'.length)] : undefined;
    if (asset) return sendAsset(res, asset.type, asset.body());
    const target = readArchivePath(url.pathname, url.searchParams);
    if (!target) return sendPage(res, 404, renderError(404, 'notFound'));
    const { teamId, request } = target;
    const check = links.check(url.searchParams, teamId, request.page === 'week' ? request.week : undefined, clock.now());
    if (!check.ok) return sendPage(res, check.status, renderError(check.status, check.status === 401 ? 'unauthorized' : 'expired'));
    const team = data.team(teamId);
    if (!team) return sendPage(res, 404, renderError(404, 'notFound'));
    const reader = { team, scope: check.scope, exp: url.searchParams.get('exp')!, sig: url.searchParams.get('sig')! };
    const html = await renderPage(data, reader, request);
    if (html === null) return sendPage(res, 404, renderError(404, 'notFound'));
    sendPage(res, 200, html);
  } catch (error) {
    // The path only: the query holds the signature.
    logger.error({ err: error, path: url.pathname }, 'archive page failed');
    if (!res.headersSent) sendPage(res, 503, renderError(503, 'unavailable'));
    else res.destroy();
  }
}
