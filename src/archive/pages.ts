import { DateTime } from 'luxon';
import type { ArchiveData, ArchiveTeam } from './archive-data.ts';
import { chartOptionJson, scriptSafeJson } from './chart-json.ts';
import { archivePath, type ArchiveScope } from './links.ts';
import { pageTexts, type PageTexts } from './page-texts.ts';
import { reportHtml } from './report-html.ts';
import { MAX_QUERY_CHARS, normaliseQuery } from './search.ts';
import * as templates from './templates.ts';

/** The pages of a team besides a week's, in the nav bar's order. */
export const TEAM_PAGES = ['trends', 'participation', 'incidents', 'goals', 'search'] as const;
export type TeamPage = (typeof TEAM_PAGES)[number];
/** What a request asks for: the list of weeks, one week, or another team page. */
export type PageRequest = { page: 'weeks' } | { page: 'week'; week: string } | { page: TeamPage; query?: string };

/** Who is reading: the team, what the link opens, and the signed query every link on the page carries. */
export interface Reader {
  team: ArchiveTeam;
  scope: ArchiveScope;
  /** `exp=…&sig=…`, exactly as the request had it. */
  exp: string;
  sig: string;
}

/** A page's HTML, from the data the archive reads. */
export async function renderPage(data: ArchiveData, reader: Reader, request: PageRequest): Promise<string | null> {
  const { team } = reader;
  const t = pageTexts(team.locale);
  const href = (page?: string) => `${archivePath(team.id, page)}?exp=${encodeURIComponent(reader.exp)}&sig=${encodeURIComponent(reader.sig)}`;
  const weekHref = (week: string) => href(`weeks/${week}`);
  const current = request.page === 'week' ? null : request.page;
  // A week link opens its week only: its page links nowhere else.
  const nav =
    reader.scope.week === undefined
      ? [
          { href: href(), label: t.nav.weeks, current: current === 'weeks' },
          ...TEAM_PAGES.map((page) => ({ href: href(page), label: t.nav[page], current: current === page })),
        ]
      : [{ href: weekHref(reader.scope.week), label: reader.scope.week, current: true }];
  const layout = { lang: team.locale, teamName: team.name, archiveWord: t.archive, nav, t };
  const titled = (what: string) => `${what} · ${team.name}`;

  switch (request.page) {
    case 'weeks': {
      const weeks = await data.weeks(team.id);
      return templates.weeksPage({
        ...layout,
        title: titled(t.weeksHeading),
        heading: t.weeksHeading,
        weeks: weeks.map((w) => ({ ...w, href: weekHref(w.week) })),
      });
    }
    case 'week': {
      const week = await data.week(team.id, request.week);
      if (!week) return null;
      const at = (d: Date) => DateTime.fromJSDate(d, { zone: team.timeZone });
      return templates.weekPage({
        ...layout,
        title: titled(week.title),
        weekOnly: reader.scope.week !== undefined,
        draft: week.draft,
        reportHtml: reportHtml(week.markdown),
        revisions: week.revisions.map((r) => ({ ...r, iso: at(r.at).toISO(), when: at(r.at).toFormat('yyyy-MM-dd HH:mm') })),
      });
    }
    case 'trends': {
      const charts = await data.trends(team.id);
      return templates.trendsPage({
        ...layout,
        title: titled(t.trendsHeading),
        charts: charts.map((c) => ({ title: c.title, optionJson: scriptSafeJson(chartOptionJson(c.option)) })),
      });
    }
    case 'participation':
      return templates.participationPage({ ...layout, title: titled(t.participationHeading), ...(await data.participation(team.id)) });
    case 'incidents': {
      const weeks = await data.incidents(team.id);
      return templates.incidentsPage({ ...layout, title: titled(t.incidentsHeading), weeks: weeks.map((w) => ({ ...w, href: weekHref(w.week) })) });
    }
    case 'goals': {
      const weeks = await data.goals(team.id);
      return templates.goalsPage({
        ...layout,
        title: titled(t.goalsHeading),
        weeks: weeks.map((w) => ({ ...w, href: weekHref(w.week), reviews: w.reviews.map((r) => ({ ...r, goalsOf: t.goalsOf(r.goalsWeek) })) })),
      });
    }
    case 'search': {
      const query = normaliseQuery(request.query ?? '');
      const hits = query ? await data.search(team.id, query) : [];
      return templates.searchPage({
        ...layout,
        title: titled(t.searchHeading),
        action: archivePath(team.id, 'search'),
        exp: reader.exp,
        sig: reader.sig,
        query,
        maxQuery: MAX_QUERY_CHARS,
        count: t.searchCount(hits.length),
        none: t.searchNone(query),
        hits: hits.map((h) => ({ ...h, href: weekHref(h.week) })),
      });
    }
  }
}

export type ErrorKind = 'unauthorized' | 'expired' | 'notFound' | 'unavailable';

/** A short page saying what is wrong, in both languages (the reader may not be of the team it names), with no report data. */
export function renderError(status: number, kind: ErrorKind): string {
  const messages = [pageTexts('zh-CN'), pageTexts('en')].map((t: PageTexts) => t[kind]);
  return templates.errorPage({ lang: 'zh-CN', status, title: messages[1]!.title, messages });
}
