import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../support/browser.ts';
import { startArchiveSite, WEEK } from './archive-site.ts';

/**
 * `npm run docs:screenshots`: docs/images/archive-week.png and docs/images/archive-trends.png, the
 * web archive as Chromium shows it, from what `npm run seed -- --weeks 12` stores (the reference
 * week after 12 seeded weeks, then published), served as the browser tests serve it.
 *
 * It lives beside the browser tests rather than in src/cli/ with docs:chart: it drives Chromium
 * through playwright-core, a dev dependency, and serves the archive with the tests' site
 * (./archive-site.ts); src/ is built into dist/ and runs with the dev dependencies pruned.
 * Chromium gets the charts' font (Noto Sans SC, an npm dependency), so that the Chinese of the
 * pages is drawn on a machine without CJK fonts too.
 */

const SEEDED_WEEKS = 12;
const VIEWPORT = { width: 1200, height: 900 };
/** Past this, a picture is too heavy for a README. */
const MAX_BYTES = 400 * 1024;
const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));
/** ECharts animates a chart for about a second after it is drawn: the picture is of the end. */
const CHART_ANIMATION_MS = 1_500;

function fontDirs(): string[] {
  const require = createRequire(import.meta.url);
  return ['400Regular/NotoSansSC_400Regular.ttf', '700Bold/NotoSansSC_700Bold.ttf'].map((file) =>
    path.dirname(require.resolve(`@expo-google-fonts/noto-sans-sc/${file}`)),
  );
}

export async function takeArchiveScreenshots(): Promise<string[]> {
  mkdirSync(IMAGES, { recursive: true });
  const site = await startArchiveSite({ weeks: SEEDED_WEEKS });
  const browser = await launchChromium(process.env, { fontDirs: fontDirs() });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'zh-CN' });
    const page = await context.newPage();
    // As a lead reads it: the team's link, the newest week, then the trends from the nav.
    await page.goto(site.teamLink());
    await page.locator('li.week-row > a', { hasText: WEEK }).click();
    await page.locator('article.report').waitFor();
    const week = path.join(IMAGES, 'archive-week.png');
    await page.screenshot({ path: week });

    await page.locator('nav.archive-nav a[href*="/trends?"]').click();
    const charts = page.locator('div.chart');
    await charts.first().waitFor();
    const count = await charts.count();
    await page.waitForFunction(`document.querySelectorAll('div.chart[data-chart-ready="true"]').length === ${count}`);
    await page.waitForTimeout(CHART_ANIMATION_MS);
    const trends = path.join(IMAGES, 'archive-trends.png');
    await page.screenshot({ path: trends, fullPage: true });
    await context.close();

    for (const file of [week, trends]) {
      const bytes = statSync(file).size;
      if (bytes > MAX_BYTES) throw new Error(`${file} is ${Math.round(bytes / 1024)} KB, over ${MAX_BYTES / 1024} KB`);
    }
    return [week, trends];
  } finally {
    await browser.close();
    await site.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const file of await takeArchiveScreenshots()) console.log(`${path.relative(process.cwd(), file)}  ${Math.round(statSync(file).size / 1024)} KB`);
}
