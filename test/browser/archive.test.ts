import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser, watchPage, type PageWatch } from '../support/browser.ts';
import { startArchiveSite, WEEK, type ArchiveSite } from './archive-site.ts';
import { seedHostileWeek } from './hostile-week.ts';

/**
 * The web archive in Debian's Chromium, read as a person reads it: a signed link opens a week, the
 * nav goes to the trends, whose charts ECharts draws in the page, a search finds a week, a link
 * with one character of its signature changed opens nothing, and a phone screen needs no sideways
 * scrolling. Every page is watched (test/support/browser.ts): a page that opens a dialog, loads
 * from elsewhere, breaks its Content-Security-Policy or logs a script error fails its test.
 */

/** A line of the reference week's report (seeds/2024-W23/o-beiyizhuan.md): only its week's page shows it. */
const REPORT_LINE = '省心租开发进度正常，预计617上线。';
/** An incident the seeded history draws in some weeks (src/seed/history.ts), and the reference week has too. */
const SEARCHED = '拉卡拉通道异常';
const PHONE = { width: 390, height: 844 };

/** Text as an HTML parser keeps it: line breaks as \n, no NUL, a <pre>'s first line break dropped. */
function comparable(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\0/g, '').replace(/^\n/, '');
}

/** One Chromium for the file; each test opens a context (a fresh profile) of its own. */
const browser = useBrowser();

describe('the web archive in a browser', () => {
  let site: ArchiveSite;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    site = await startArchiveSite({ weeks: 8 });
  });
  afterAll(async () => {
    await site?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  /** A new tab of a browser of its own (no cookies or cache shared with another test), watched. */
  async function openTab(viewport = { width: 1200, height: 900 }): Promise<{ page: Page; watch: PageWatch }> {
    context = await browser().newContext({ viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    return { page, watch: await watchPage(page, site.origin) };
  }

  function expectNothingUntoward(watch: PageWatch): void {
    expect(watch).toEqual({ dialogs: [], foreignRequests: [], cspViolations: [], errors: [] });
  }

  it("opens a week's page from its signed link, with the report as published", async () => {
    const { page, watch } = await openTab();
    const response = await page.goto(site.weekLink(WEEK));
    expect(response?.status()).toBe(200);
    const report = page.locator('article.report');
    await expect.poll(() => report.isVisible()).toBe(true);
    expect(await report.locator('h1').first().innerText()).toBe(WEEK);
    expect(await report.innerText()).toContain(REPORT_LINE);
    // A week link opens its week only: the nav offers nothing else.
    expect(await page.locator('nav.archive-nav a').allInnerTexts()).toEqual([WEEK]);
    expectNothingUntoward(watch);
  });

  it('goes from the list of weeks to a week, then through the nav to the trends, where every chart is drawn', async () => {
    const { page, watch } = await openTab();
    expect((await page.goto(site.teamLink()))?.status()).toBe(200);
    // Newest first: the reference week, then the eight seeded before it.
    const weeks = await page.locator('li.week-row > a').allInnerTexts();
    expect(weeks).toHaveLength(9);
    expect(weeks[0]).toBe(WEEK);
    expect([...weeks].sort().reverse()).toEqual(weeks);

    await page.locator('li.week-row > a', { hasText: WEEK }).click();
    await page.waitForURL(/\/weeks\/2024-W23\?/);
    expect(await page.locator('article.report').innerText()).toContain(REPORT_LINE);

    await page.locator('nav.archive-nav a[href*="/trends?"]').click();
    await page.waitForURL(/\/trends\?/);
    const charts = page.locator('div.chart');
    await page.locator('div.chart[data-chart-ready="true"]').first().waitFor();
    const count = await charts.count();
    expect(count).toBeGreaterThan(0);
    await expect.poll(() => page.locator('div.chart[data-chart-ready="true"]').count()).toBe(count);
    for (let i = 0; i < count; i += 1) {
      // ECharts draws on a canvas (or an svg with its SVG renderer): one of non-zero size in each chart.
      const drawn = charts.nth(i).locator('canvas, svg').first();
      const box = await drawn.boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      expect(box?.height).toBeGreaterThan(100);
    }
    // Lines were drawn, not an empty frame: the chart has series with data from the seeded weeks.
    const series = await page.evaluate<number[]>(
      `[...document.querySelectorAll('div.chart')].map((div) => echarts.getInstanceByDom(div).getOption().series.filter((s) => s.data.some((v) => v !== null && v !== undefined && v !== '-')).length)`,
    );
    expect(series.every((n) => n > 0)).toBe(true);
    expectNothingUntoward(watch);
  });

  it('searches for a word and follows a result to the week that has it', async () => {
    const { page, watch } = await openTab();
    await page.goto(site.teamLink());
    await page.locator('nav.archive-nav a[href*="/search?"]').click();
    await page.locator('form.search input[name="q"]').fill(SEARCHED);
    await page.locator('form.search').press('Enter');
    await page.waitForURL(/\/search\?/);
    const results = page.locator('li.result');
    await results.first().waitFor();
    const found = await results.locator('> a').allInnerTexts();
    expect(found.length).toBeGreaterThan(1);
    expect(found).toContain(WEEK);
    expect(await results.first().locator('mark').first().innerText()).toBe(SEARCHED);

    // An earlier week than the newest: the result leads to that week, which has the word.
    const older = found.find((w) => w !== WEEK)!;
    await results.locator('> a', { hasText: older }).click();
    await page.waitForURL(new RegExp(`/weeks/${older}\\?`));
    const report = await page.locator('article.report').innerText();
    expect(report).toContain(SEARCHED);
    expect(report).not.toContain(REPORT_LINE);
    expectNothingUntoward(watch);
  });

  it('answers a link with one character of its signature changed, or none, with 401 and no report in the page', async () => {
    const { page } = await openTab();
    const link = new URL(site.weekLink(WEEK));
    const sig = link.searchParams.get('sig')!;
    link.searchParams.set('sig', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
    const withoutQuery = `${link.origin}${link.pathname}`;
    for (const tampered of [link.href, withoutQuery, site.teamLink().replace(/sig=./, 'sig=_')]) {
      const response = await page.goto(tampered);
      expect(response?.status(), tampered).toBe(401);
      expect(await page.locator('article.report').count()).toBe(0);
      const shown = await page.locator('body').innerText();
      expect(shown).not.toContain(REPORT_LINE);
      expect(shown).not.toContain(WEEK);
      expect(await page.locator('a').count()).toBe(0);
    }
    // The same link, untouched, still opens the week: it was the one character.
    expect((await page.goto(site.weekLink(WEEK)))?.status()).toBe(200);
  });

  it('answers an expired link with 403 and no report in the page', async () => {
    const { page } = await openTab();
    const expired = site.links.weekLink(site.team.definition.id, WEEK, site.links.expiryFrom(site.clock.now(), -1));
    const response = await page.goto(expired);
    expect(response?.status()).toBe(403);
    expect(await page.locator('body').innerText()).not.toContain(REPORT_LINE);
  });

  it('reads on a phone without sideways scrolling: the weeks, a week, the trends and the participation', async () => {
    const { page, watch } = await openTab(PHONE);
    const pages = [site.teamLink(), site.weekLink(WEEK), site.teamLink().replace('?', '/trends?'), site.teamLink().replace('?', '/participation?')];
    for (const url of pages) {
      expect((await page.goto(url))?.status()).toBe(200);
      if (url.includes('/trends?')) await page.locator('div.chart[data-chart-ready="true"]').first().waitFor();
      const widths = await page.evaluate<{ page: number; screen: number }>(`({ page: document.documentElement.scrollWidth, screen: window.innerWidth })`);
      expect(widths.page, url).toBeLessThanOrEqual(widths.screen);
    }
    expectNothingUntoward(watch);
  });
});

describe('the hostile corpus in the archive, in a browser', () => {
  const HOSTILE_WEEK = '2024-W22';
  let site: ArchiveSite;
  /** What the owners sent, one message each. */
  let messages: string[] = [];
  beforeAll(async () => {
    site = await startArchiveSite({
      weeks: 0,
      fill: async ({ ctx, team }) => {
        messages = (await seedHostileWeek(ctx.store, team, HOSTILE_WEEK)).messages;
      },
    });
  });
  afterAll(async () => {
    await site?.close();
  });

  it('shows every input as text and runs none of it: no dialog, nothing loaded from elsewhere, no CSP violation, no script error', async () => {
    const context = await browser().newContext({ viewport: { width: 1200, height: 900 } });
    try {
      const page = await context.newPage();
      const watch = await watchPage(page, site.origin);
      const team = site.teamLink();
      // Each page that shows owner text, and what on it shows the corpus.
      const visits: [url: string, ownerText: string][] = [
        [site.weekLink(HOSTILE_WEEK), 'article.report li'],
        [team.replace('?', `/search?q=${encodeURIComponent('<script>')}&`), 'li.result mark'],
        [team.replace('?', '/incidents?'), '.incident-text'],
        [team, 'li.week-row'],
      ];
      for (const [url, ownerText] of visits) {
        expect((await page.goto(url))?.status(), url).toBe(200);
        expect(await page.locator(ownerText).count(), `${ownerText} on ${url}`).toBeGreaterThan(0);
      }
      // Back on the week, which holds the whole corpus twice (in the report and as typed, among its revisions).
      await page.goto(site.weekLink(HOSTILE_WEEK));
      const report = page.locator('article.report');
      expect(await report.innerText()).toContain('<script>alert(1)</script>');
      // Every message is on the page, as text, character for character (but the controls a page does not show).
      const typed = await page.locator('.revision-text').allTextContents();
      expect(typed).toHaveLength(messages.length);
      expect(typed.map(comparable)).toEqual(messages.map(comparable));
      expect((await page.locator('.revisions').innerText()).includes('[x](javascript:alert(1))')).toBe(true);
      // Nothing an owner typed became markup that runs or loads.
      for (const selector of [
        'script',
        'iframe',
        'object',
        'embed',
        'img',
        'style',
        'link',
        'form',
        '[onclick]',
        '[onerror]',
        '[style]',
        'a[href^="javascript:" i]',
        'a[href^="data:" i]',
        'a[href^="vbscript:" i]',
      ]) {
        expect(await page.locator(`main ${selector}`).count(), selector).toBe(0);
      }
      // A script that ran could have sent the page elsewhere.
      expect(page.url()).toBe(site.weekLink(HOSTILE_WEEK));
      expect(watch).toEqual({ dialogs: [], foreignRequests: [], cspViolations: [], errors: [] });
    } finally {
      await context.close();
    }
  });

  it('keeps the corpus (50,000 spaces, 150 levels, unbroken runs) within a phone screen', async () => {
    const context = await browser().newContext({ viewport: PHONE });
    try {
      const page = await context.newPage();
      for (const url of [site.weekLink(HOSTILE_WEEK), site.teamLink().replace('?', '/incidents?')]) {
        expect((await page.goto(url))?.status()).toBe(200);
        const widths = await page.evaluate<{ page: number; screen: number }>(`({ page: document.documentElement.scrollWidth, screen: window.innerWidth })`);
        expect(widths.page, url).toBeLessThanOrEqual(widths.screen);
      }
    } finally {
      await context.close();
    }
  });
});
