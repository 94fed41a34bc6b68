import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTeamById } from '../../src/config/definitions.ts';
import { createLogger } from '../../src/log.ts';
import { PLATFORM_MODULES, PLATFORM_NAMES } from '../../src/platforms/modules.ts';
import { isoWeekOf } from '../../src/report/week.ts';
import { MongoStore } from '../../src/store/index.ts';
import { childEnv, PROJECT_DIR, runMain } from '../support/child-env.ts';
import { testDatabaseUri } from '../support/db.ts';
import { freePort } from '../support/free-port.ts';

const run = promisify(execFile);
const BIN = path.join(PROJECT_DIR, 'bin/weekly-report.js');
const SECRET = 'archive-acceptance-secret-0123456789abcdef';
/** A sentence of the replies the seed answers this week with (seeds/2024-W23/o1.md). */
const REPORT_TEXT = '存管路由拓展16城';
const WAIT_MS = 60_000;

/**
 * Issue #21's acceptance for the archive, as a person does it: 12 weeks seeded into the test's
 * own database (`npm run seed -- --weeks 12`), the bot started with ARCHIVE_SECRET and PUBLIC_URL
 * (the local chat: the archive is served in every mode), `npx weekly-report archive-link --template
 * payments-weekly --week <this week>`, and the link fetched: 200 with the report; one character of
 * the signature changed, or no query, 401 with no report text.
 */
describe('the web archive, seeded, served by the bot and opened with the CLI’s link', () => {
  let uri: string;
  let port: number;
  let bot: ChildProcess | undefined;
  let output = '';
  let week: string;

  beforeAll(async () => {
    uri = testDatabaseUri('archive_acceptance');
    const seeded = await runMain({ MONGODB_URI: uri }, '/quit\n', ['--seed', '--weeks', '12']);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/^Seeded payments-weekly: .*published \(12 earlier weeks\)/m);
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    week = isoWeekOf(new Date(), team.definition.timeZone);

    port = await freePort();
    // The local chat reads its stdin: kept open, the bot keeps running until the test ends it.
    bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROJECT_DIR,
      env: childEnv({ MONGODB_URI: uri, PORT: String(port), ARCHIVE_SECRET: SECRET, PUBLIC_URL: `http://127.0.0.1:${port}` }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
    bot.stdout!.on('data', keep);
    bot.stderr!.on('data', keep);
  }, WAIT_MS * 2);

  afterAll(async () => {
    if (bot && bot.exitCode === null) {
      const exited = new Promise((resolve) => bot!.once('exit', resolve));
      bot.kill('SIGTERM');
      await exited;
    }
    const store = await MongoStore.connect(uri, { logger: createLogger('archive-acceptance', { level: 'silent' }), platforms: PLATFORM_NAMES });
    await store.connection.dropDatabase().catch(() => {});
    await store.close();
  });

  /** The answer to `url` once the bot answers it with something other than "not yet" (503 while the store connects). */
  async function fetchWhenUp(url: string): Promise<Response> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      if (bot?.exitCode !== null) throw new Error(`the bot exited (${bot?.exitCode})\n${output}`);
      const response = await fetch(url).catch(() => null);
      if (response && response.status !== 503) return response;
      if (Date.now() > deadline) throw new Error(`no answer from ${new URL(url).pathname}\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('answers the CLI’s link with the week’s report, and a tampered or bare one with 401 and no report text', async () => {
    const cli = await run(process.execPath, [BIN, 'archive-link', '--template', 'payments-weekly', '--week', week], {
      cwd: PROJECT_DIR,
      env: childEnv({ ARCHIVE_SECRET: SECRET, PUBLIC_URL: `http://127.0.0.1:${port}` }),
    });
    const link = cli.stdout.trim();
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/archive/payments-weekly/weeks/${week}\\?exp=\\d+&sig=[\\w-]+$`));

    const page = await fetchWhenUp(link);
    expect(page.status, output).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<article class="report">');
    expect(html).toContain(`<h1>${week}</h1>`);
    expect(html).toContain(REPORT_TEXT);

    const sig = new URL(link).searchParams.get('sig')!;
    const changed = `${sig.slice(0, -2)}${sig.at(-2) === 'x' ? 'y' : 'x'}${sig.at(-1)}`;
    for (const url of [link.replace(`sig=${sig}`, `sig=${changed}`), link.split('?')[0]!]) {
      const refused = await fetchWhenUp(url);
      expect(refused.status).toBe(401);
      const body = await refused.text();
      expect(body).not.toContain(REPORT_TEXT);
      expect(body).not.toContain(week);
    }
  });
});
