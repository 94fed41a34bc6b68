import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * Debian's Chromium driven by playwright-core (which downloads no browser of its own): the archive's
 * pages as a person's browser shows them, their scripts and Content-Security-Policy included.
 * CHROMIUM_PATH names another binary; /usr/bin/chromium is where `apt-get install chromium` puts it.
 */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** What a test run without Chromium says: the browser tests fail, they never skip. */
export function chromiumMissing(binary: string): string {
  return [
    `Chromium is not at ${binary}: the browser tests (test/browser/) need it.`,
    "Install Debian's: `sudo apt-get install -y --no-install-recommends chromium` (`bash .ci/run` does it when missing),",
    'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  ].join('\n');
}

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
}

export interface LaunchOptions {
  /**
   * Folders of fonts Chromium gets besides the system's (through a fontconfig file of its own): a
   * machine without CJK fonts draws Chinese as empty boxes, which a test does not mind and a
   * screenshot does.
   */
  fontDirs?: string[];
}

/** Launches headless Chromium; throws chromiumMissing's message when there is none to run. */
export async function launchChromium(env: NodeJS.ProcessEnv = process.env, options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = chromiumPath(env);
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(chromiumMissing(executablePath));
  }
  // Chromium refuses to start its sandbox as root (a container, CI): without it there, as Playwright does.
  const asRoot = process.getuid?.() === 0;
  const fontconfig = options.fontDirs?.length ? fontconfigWith(options.fontDirs) : undefined;
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: asRoot ? ['--no-sandbox'] : [],
    ...(fontconfig ? { env: { ...process.env, FONTCONFIG_FILE: fontconfig } } : {}),
  });
  if (fontconfig) browser.on('disconnected', () => rmSync(path.dirname(fontconfig), { recursive: true, force: true }));
  return browser;
}

/** A fontconfig file (in a folder of its own): the system's configuration, and `dirs`. */
function fontconfigWith(dirs: string[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'archive-fonts-')), 'fonts.conf');
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n${dirs
      .map((dir) => `  <dir>${escape(path.resolve(dir))}</dir>\n`)
      .join('')}</fontconfig>\n`,
  );
  return file;
}

/**
 * One browser for the test file that calls it (in its describe or at the top), launched before its
 * tests and closed after them. Each test opens a context of its own (`browser().newContext()`).
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('useBrowser: the browser is not launched yet (call it in a test or a hook after beforeAll)');
    return browser;
  };
}

/** A Content-Security-Policy violation the page reported (its securitypolicyviolation event). */
export interface CspViolation {
  effectiveDirective: string;
  blockedURI: string;
  sample: string;
}

/** What a page did that its reader did not ask for, since `watchPage` began, across navigations. */
export interface PageWatch {
  /** The messages of the dialogs it opened (alert, confirm, prompt, beforeunload); each is dismissed. */
  dialogs: string[];
  /** Requests to any origin but the bot's. */
  foreignRequests: string[];
  /** Every CSP violation a document of the page reported. */
  cspViolations: CspViolation[];
  /** Console errors (a script's uncaught error, a refused load, a CSP report) and uncaught page errors. */
  errors: string[];
}

/**
 * Watches `page` for what hostile text could make it do: open a dialog, load from elsewhere, break
 * its CSP, throw. Call it before the first `goto`. The violations are reported by a listener added
 * to every document before its own scripts (Playwright's init scripts and exposed functions are
 * outside the page's CSP), so a violation is seen even when the page's own scripts never run.
 */
export async function watchPage(page: Page, origin: string): Promise<PageWatch> {
  const watch: PageWatch = { dialogs: [], foreignRequests: [], cspViolations: [], errors: [] };
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => {});
  });
  page.on('request', (request) => {
    const url = request.url();
    // data: and blob: URLs a page makes itself are not loads from elsewhere.
    if (new URL(url).origin !== origin && !/^(data|blob|about):/.test(url)) watch.foreignRequests.push(url);
  });
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const source = message.location().url;
    watch.errors.push(source ? `${message.text()} (${source})` : message.text());
  });
  page.on('pageerror', (error) => watch.errors.push(`uncaught: ${error.message}`));
  await page.exposeFunction(CSP_REPORT, (violation: CspViolation) => watch.cspViolations.push(violation));
  // A string, not a function: this project's types have no DOM (the script runs in the page).
  await page.addInitScript(
    `document.addEventListener('securitypolicyviolation', (e) => window.${CSP_REPORT}?.({ effectiveDirective: e.effectiveDirective, blockedURI: e.blockedURI, sample: e.sample }));`,
  );
  return watch;
}

const CSP_REPORT = '__archiveTestCspViolation';

/** A violation that means the page held code the CSP had to stop: a script, an inline handler, eval. */
export function wouldHaveRunCode(violation: CspViolation): boolean {
  return violation.effectiveDirective.startsWith('script-src') || violation.blockedURI === 'eval' || violation.blockedURI === 'inline';
}
