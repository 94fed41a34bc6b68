import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveLinks } from '../../src/archive/links.ts';
import { ARCHIVE_CSP } from '../../src/archive/headers.ts';
import { archiveRoutes } from '../../src/archive/routes.ts';
import { HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { archiveData } from '../../handlers/archive/archive-data.ts';
import { consoleBot, FakeClock } from '../support/bot.ts';
import { storeReferenceWeek, storeWeek } from '../support/stored-weeks.ts';
import { hostileInputs } from '../report/hostile-corpus.ts';
import { executableMarkup } from './html-checks.ts';

/** Attribute values as the browser reads them (Handlebars escapes `=` and `&`). */
const decodeAttributes = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

const SECRET = 'archive-http-test-secret-0123456789abcdef';
const PUBLISHED = new Date('2024-06-07T09:00:00Z');
const LATE = new Date('2024-06-08T02:00:00Z');
/** A sentence of the reference week's report (seeds/2024-W23/o1.md). */
const REPORT_TEXT = '存管路由拓展16城';
const LATE_TEXT = '补充：农行通道联调完成';
/** The first hostile week, and how many there are: one week per input of the corpus. */
const HOSTILE_FROM = 2022;

describe('the web archive over HTTP', () => {
  const clock = new FakeClock(new Date('2024-06-10T02:00:00Z'));
  const links = new ArchiveLinks(SECRET, 'http://reports.test');
  let server: HttpServer;
  let store: MemoryStore;
  let base: string;
  const inputs = hostileInputs();
  const hostileWeek = (i: number) => `${HOSTILE_FROM + Math.floor(i / 50)}-W${String((i % 50) + 1).padStart(2, '0')}`;

  beforeAll(async () => {
    store = new MemoryStore();
    const { ctx, team } = await consoleBot(store, clock);
    await storeReferenceWeek(store, team, PUBLISHED);
    // An answer after publishing: a revision of o1, listed under the report.
    await store.recordSubmission({
      teamId: 'payments-weekly',
      week: '2024-W23',
      sectionId: 'o1',
      owner: team.definition.sections.find((s) => s.id === 'o1')!.owners[0]!,
      platform: 'console',
      eventId: 'late-o1',
      rawText: `1. ${LATE_TEXT}`,
      content: { kind: 'list', items: [{ text: LATE_TEXT, children: [] }] },
      receivedAt: LATE,
    });
    // A week opened and not published yet: a draft.
    await storeWeek(store, team, '2024-W24', new Date('2024-06-11T07:34:00Z'), [{ sectionId: 'o1', text: '1. 草稿里的内容' }]);
    // Each hostile input as the stored content of a free-text section (收获与反思), in a published week of its own.
    for (const [i, { text }] of inputs.entries()) {
      const week = hostileWeek(i);
      await store.openCycle('payments-weekly', week, new Date('2022-01-01T00:00:00Z'));
      await store.recordSubmission({
        teamId: 'payments-weekly',
        week,
        sectionId: 'reflections',
        owner: team.definition.sections.find((s) => s.id === 'reflections')!.owners[0]!,
        platform: 'console',
        eventId: `hostile-${i}`,
        rawText: text,
        content: { kind: 'text', markdown: text },
        receivedAt: new Date('2022-01-01T01:00:00Z'),
      });
      await store.markPublished('payments-weekly', week, [], new Date('2022-01-01T02:00:00Z'));
    }
    server = await HttpServer.start(archiveRoutes({ links, data: archiveData(ctx), clock, logger: createLogger('archive-test') }), {
      port: 0,
      logger: createLogger('archive-test'),
    });
    base = server.url();
  });
  afterAll(() => server?.close());

  const exp = () => links.expiryFrom(clock.now());
  /** A link as the bot gives it, fetched from the test's server. */
  const fetchLink = (link: string) => fetch(link.replace('http://reports.test', base), { redirect: 'manual' });

  it('answers a team link with the weeks, newest first, with participation and missed targets', async () => {
    const response = await fetchLink(links.teamLink('payments-weekly', exp()));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<nav class="archive-nav">');
    expect(html.indexOf('2024-W24')).toBeLessThan(html.indexOf('2024-W23'));
    expect(html.indexOf('2024-W23')).toBeLessThan(html.indexOf(`${HOSTILE_FROM}-W01`));
    // The week being collected is marked as a draft; a published one is not.
    expect(html).toMatch(/2024-W24<\/a> <span class="draft">草稿<\/span>/);
    expect(html).not.toMatch(/2024-W23<\/a> <span class="draft">/);
    expect(html).toMatch(/已提交 \d+\/\d+/);
  });

  it('answers a week link with the report as published and the revisions after publishing, with the archive’s headers', async () => {
    const response = await fetchLink(links.weekLink('payments-weekly', '2024-W23', exp()));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(ARCHIVE_CSP);
    expect(ARCHIVE_CSP).toContain("script-src 'self'");
    expect(ARCHIVE_CSP).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    const report = /<article class="report">([\s\S]*)<\/article>/.exec(html)?.[1] ?? '';
    expect(report).toContain('<h1>2024-W23</h1>');
    expect(report).toContain('资金安全&amp;物保');
    // The late answer came after the report was posted, and nothing posted it since: it is listed
    // under the report, as not posted yet, and the report is the one posted.
    expect(report).not.toContain(LATE_TEXT);
    const revisions = html.slice(html.indexOf('class="revisions"'));
    expect(revisions).toContain(LATE_TEXT);
    expect(revisions).toContain('2024-06-08 10:00');
    expect(revisions).toContain('尚未发布到周报');
    // A week link's page links to nothing but its week.
    expect(html.match(/<nav class="archive-nav">([\s\S]*?)<\/nav>/)?.[1]).not.toContain('/trends');
  });

  it('shows a late answer in the report once a publication posted it, and no longer as not posted', async () => {
    const cycle = (await store.getCycle('payments-weekly', '2024-W23'))!;
    await store.markPublished('payments-weekly', '2024-W23', cycle.posts, new Date(LATE.getTime() + 60_000));
    try {
      const html = await (await fetchLink(links.weekLink('payments-weekly', '2024-W23', exp()))).text();
      const report = /<article class="report">([\s\S]*)<\/article>/.exec(html)?.[1] ?? '';
      expect(report).toContain(LATE_TEXT);
      expect(html.slice(html.indexOf('class="revisions"'))).toContain(LATE_TEXT);
      expect(html).not.toContain('尚未发布到周报');
    } finally {
      await store.markPublished('payments-weekly', '2024-W23', cycle.posts, PUBLISHED);
    }
  });

  it('refuses a tampered signature (401), a missing one (401) and an expired one (403), with no report text', async () => {
    const link = links.weekLink('payments-weekly', '2024-W23', exp());
    const sig = new URL(link).searchParams.get('sig')!;
    const tampered = link.replace(`sig=${sig}`, `sig=${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    const expired = links.weekLink('payments-weekly', '2024-W23', Math.floor(clock.now().getTime() / 1000) - 1);
    for (const [url, status] of [
      [tampered, 401],
      [link.split('?')[0]!, 401],
      [expired, 403],
    ] as const) {
      const response = await fetchLink(url);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-security-policy')).toBe(ARCHIVE_CSP);
      const html = await response.text();
      expect(html).not.toContain(REPORT_TEXT);
      expect(html).not.toContain('2024-W23');
    }
  });

  it('opens no other page with a week link, and no page of another team with a team link', async () => {
    const week = new URL(links.weekLink('payments-weekly', '2024-W23', exp())).search;
    expect((await fetch(`${base}/archive/payments-weekly/weeks/2024-W22${week}`)).status).toBe(401);
    expect((await fetch(`${base}/archive/payments-weekly/trends${week}`)).status).toBe(401);
    expect((await fetch(`${base}/archive/payments-weekly${week}`)).status).toBe(401);
    const team = new URL(links.teamLink('payments-weekly', exp())).search;
    expect((await fetch(`${base}/archive/other-team${team}`)).status).toBe(401);
  });

  it('shows a week not published yet as a draft, and answers 404 for a week with no report, with a valid link', async () => {
    const draft = await fetchLink(links.weekLink('payments-weekly', '2024-W24', exp()));
    expect(draft.status).toBe(200);
    const html = await draft.text();
    expect(html).toContain('<p class="draft-banner">');
    expect(html).toContain('草稿里的内容');
    const published = await (await fetchLink(links.weekLink('payments-weekly', '2024-W23', exp()))).text();
    expect(published).not.toContain('draft-banner');
    expect((await fetchLink(links.weekLink('payments-weekly', '2024-W30', exp()))).status).toBe(404);
  });

  it('serves every team page with the nav bar, under a team link', async () => {
    const query = new URL(links.teamLink('payments-weekly', exp())).search;
    for (const page of ['trends', 'participation', 'incidents', 'goals', 'search']) {
      const response = await fetch(`${base}/archive/payments-weekly/${page}${query}`);
      expect(response.status, page).toBe(200);
      const html = await response.text();
      expect(html, page).toContain('<nav class="archive-nav">');
      expect(decodeAttributes(html), page).toContain(`href="/archive/payments-weekly/${page}${query}"`);
    }
  });

  it('shows participation, with every owner’s row, and the incidents of the last quarter by week', async () => {
    const query = new URL(links.teamLink('payments-weekly', exp())).search;
    const participation = await (await fetch(`${base}/archive/payments-weekly/participation${query}`)).text();
    expect(participation).toContain('<table class="participation">');
    expect(participation).toMatch(/<td>Owner O1<\/td><td>【O1 业务服务】<\/td>/);
    expect(participation).toContain('<th>2024-W23</th>');
    const incidents = await (await fetch(`${base}/archive/payments-weekly/incidents${query}`)).text();
    expect(incidents).toContain('由于中信银行侧装修存管商户配置问题');
    expect(decodeAttributes(incidents)).toContain(`href="/archive/payments-weekly/weeks/2024-W23${query}"`);
  });

  it('draws the trends from the PNG chart’s option, as JSON next to each chart', async () => {
    const html = await (await fetch(`${base}/archive/payments-weekly/trends${new URL(links.teamLink('payments-weekly', exp())).search}`)).text();
    const options = [...html.matchAll(/<script type="application\/json" class="chart-option">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
    expect(options.length).toBeGreaterThan(0);
    expect(html).toContain('<div class="chart"');
    expect(html).toContain('<script src="/archive/assets/echarts.min.js" defer></script>');
    expect(options[0].series[0].type).toBe('line');
    expect(options[0].xAxis.data.at(-1)).toBe('2024-W24');
  });

  it('finds text across weeks, with escaped snippets linking to the weeks', async () => {
    const query = new URL(links.teamLink('payments-weekly', exp())).search;
    const html = await (await fetch(`${base}/archive/payments-weekly/search${query}&q=${encodeURIComponent('农行通道')}`)).text();
    expect(html).toContain('<form class="search"');
    expect(html).toContain('<mark>农行通道</mark>');
    expect(html).toContain('/archive/payments-weekly/weeks/2024-W23?');
    const script = await (await fetch(`${base}/archive/payments-weekly/search${query}&q=${encodeURIComponent('<script>')}`)).text();
    // Found as the page shows it (the hostile weeks' `<script>` lines), not as the Markdown escapes it.
    expect(script).toContain('<mark>&lt;script&gt;</mark>');
    expect(executableMarkup(script)).toEqual([]);
  });

  it('serves its stylesheet, script and ECharts from its own origin', async () => {
    for (const [path, type] of [
      ['archive.css', 'text/css'],
      ['archive.js', 'text/javascript'],
      ['echarts.min.js', 'text/javascript'],
    ]) {
      const response = await fetch(`${base}/archive/assets/${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
    }
    expect(await (await fetch(`${base}/archive/assets/archive.js`)).text()).toContain("setAttribute('data-chart-ready', 'true')");
  });

  it('renders every input of the hostile corpus in a week page with no executable markup', async () => {
    expect(inputs.length).toBeGreaterThan(40);
    for (const [i, { name }] of inputs.entries()) {
      const response = await fetchLink(links.weekLink('payments-weekly', hostileWeek(i), exp()));
      expect(response.status, name).toBe(200);
      const html = await response.text();
      expect(executableMarkup(html), name).toEqual([]);
      // The input is in the page (as text): 收获与反思 is not the "nothing this week" of an empty section.
      expect(html, name).toContain('收获与反思');
      expect(html.replace(/\s+/g, ''), name).not.toContain('<h2>收获与反思</h2><p>暂无</p>');
    }
  });

  it('finds what the check looks for when it is there', () => {
    expect(executableMarkup('<p><script>alert(1)</script></p>')).toContain('tag <script>');
    expect(executableMarkup('<p><a href="javascript:alert(1)">x</a></p>')).toContain('href javascript:alert(1)');
    expect(executableMarkup('<p onclick="x">x</p>')).toContain('attribute onclick in <p onclick="x">');
    expect(executableMarkup('<img src=x onerror=alert(1)>')).not.toEqual([]);
  });
});
