import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWeekOf } from '../../src/report/week.ts';
import { useBrowser, watchPage } from '../support/browser.ts';
import { childEnv, PROJECT_DIR } from '../support/child-env.ts';
import { freePort } from '../support/free-port.ts';

/**
 * The acceptance, as a newcomer runs it: `npm run seed -- --weeks 12` with ARCHIVE_SECRET
 * and PUBLIC_URL set (the local chat, which then serves the archive on PORT), the lead publishes
 * this week in the chat, `npx weekly-report archive-link --template payments-weekly --week <this
 * week>` prints a link, and headless Chromium opens it: the week's report, from the running bot.
 * The same link with one character of its signature changed opens nothing.
 * Real processes on the real clock (this week is the machine's), so one test only: the rest of the
 * archive is tested in ./archive.test.ts on a fake clock.
 */

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const BIN = path.join(PROJECT_DIR, 'bin/weekly-report.js');
/** How long a process may take to say what the test waits for (tsx compiles on first start). */
const PROCESS_MS = 60_000;
const SECRET = 'acceptance-archive-secret-0123456789abcdef';
/** A line of the reference replies (seeds/2024-W23/), which the seed answers this week with. */
const REPORT_LINE = '省心租开发进度正常，预计617上线。';

/** The local chat's output, and a way to wait for what it says next. */
class LocalChat {
  private output = '';
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    const keep = (chunk: Buffer) => (this.output += chunk.toString());
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
  }

  /** Resolves once the output since `from` holds `text`; rejects with the output when it does not in time or the process ends. */
  async said(text: string | RegExp, from = 0): Promise<number> {
    const deadline = Date.now() + PROCESS_MS;
    for (;;) {
      const seen = this.output.slice(from);
      const at = typeof text === 'string' ? seen.indexOf(text) : seen.search(text);
      if (at !== -1) return from + at;
      if (this.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`the local chat did not say ${String(text)}; it said:\n${this.output.slice(-4_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** What it said since `from`. */
  since(from: number): string {
    return this.output.slice(from);
  }

  type(line: string): number {
    const from = this.output.length;
    this.child.stdin.write(`${line}\n`);
    return from;
  }
}

function archiveLink(env: Record<string, string>, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, 'archive-link', ...args], { cwd: PROJECT_DIR, env: childEnv(env), timeout: PROCESS_MS }, (error, stdout, stderr) =>
      error ? reject(new Error(`archive-link failed: ${stderr}`)) : resolve(stdout.trim()),
    );
  });
}

describe('the acceptance of the web archive, with the seeded local chat running', () => {
  const browser = useBrowser();
  let chat: LocalChat;
  let env: Record<string, string>;
  beforeAll(async () => {
    const port = await freePort();
    env = { ARCHIVE_SECRET: SECRET, PUBLIC_URL: `http://127.0.0.1:${port}`, PORT: String(port) };
    // `npm run seed -- --weeks 12` is `tsx src/main.ts --seed --weeks 12`.
    const child = spawn(process.execPath, ['--import', TSX, path.join(PROJECT_DIR, 'src/main.ts'), '--seed', '--weeks', '12'], {
      cwd: PROJECT_DIR,
      env: childEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    chat = new LocalChat(child);
    await chat.said('You are lead.');
  }, PROCESS_MS * 2);
  afterAll(async () => {
    if (chat && chat.child.exitCode === null) {
      const exited = new Promise((resolve) => chat.child.once('exit', resolve));
      chat.child.stdin.end();
      chat.child.kill('SIGTERM');
      await exited;
    }
  });

  it("prints a link to this week's page, which Chromium opens with the report; one character of its signature changed opens nothing", async () => {
    const week = isoWeekOf(new Date(), 'Asia/Shanghai');
    // Some sections are left for the lead: publishing asks first.
    const published = chat.type('/weekly-report publish confirm');
    await chat.said(/lead> /, (await chat.said(week, published)) + week.length);
    const digestLink = new RegExp(`${env.PUBLIC_URL}/archive/payments-weekly/weeks/${week}\\?exp=\\d+&sig=[\\w-]+`).exec(chat.since(published))?.[0];

    const link = await archiveLink(env, ['--template', 'payments-weekly', '--week', week]);
    expect(link).toMatch(new RegExp(`^${env.PUBLIC_URL}/archive/payments-weekly/weeks/${week}\\?exp=\\d+&sig=[\\w-]+$`));

    const context = await browser().newContext();
    try {
      const page = await context.newPage();
      const watch = await watchPage(page, env.PUBLIC_URL!);
      expect((await page.goto(link))?.status()).toBe(200);
      const report = await page.locator('article.report').innerText();
      expect(report).toContain(week);
      expect(report).toContain(REPORT_LINE);

      // The digest posted to the channel links the same page.
      expect(digestLink, 'the digest links the week').toBeDefined();
      expect((await page.goto(digestLink!))?.status()).toBe(200);
      expect(await page.locator('article.report').innerText()).toContain(REPORT_LINE);

      // A lead asks the chat for the archive, and follows its link to the newest of 13 weeks.
      const asked = chat.type('/weekly-report archive');
      await chat.said(/lead> /, await chat.said('/archive/payments-weekly?', asked));
      const teamLink = new RegExp(`${env.PUBLIC_URL}/archive/payments-weekly\\?exp=\\d+&sig=[\\w-]+`).exec(chat.since(asked))![0];
      expect((await page.goto(teamLink))?.status()).toBe(200);
      const weeks = await page.locator('li.week-row > a').allInnerTexts();
      expect(weeks).toHaveLength(13);
      expect(weeks[0]).toBe(week);
      await page.locator('li.week-row > a').first().click();
      await page.waitForURL(new RegExp(`/weeks/${week}\\?`));
      expect(await page.locator('article.report').innerText()).toContain(REPORT_LINE);
      expect(watch).toEqual({ dialogs: [], foreignRequests: [], cspViolations: [], errors: [] });

      const sig = new URL(link).searchParams.get('sig')!;
      const tampered = link.replace(`sig=${sig}`, `sig=${sig.slice(0, 5)}${sig[5] === 'x' ? 'y' : 'x'}${sig.slice(6)}`);
      expect((await page.goto(tampered))?.status()).toBe(401);
      expect(await page.locator('body').innerText()).not.toContain(REPORT_LINE);
    } finally {
      await context.close();
    }
  });
});
