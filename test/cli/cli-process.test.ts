import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from '../support/child-env.ts';
import { SEEDS_DIR } from '../support/golden.ts';

const BIN = fileURLToPath(new URL('../../bin/weekly-report.js', import.meta.url));

/** A port nothing listens on: taken from the system, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A person's environment, without what .env is meant to provide: built from nothing (childEnv),
 * with `.env` read as a person's CLI reads it. The `.env` here is in a folder of the test's own.
 */
function environmentWithout(...names: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = childEnv({ WEEKLY_REPORT_DOTENV: undefined });
  for (const name of names) delete env[name];
  return env;
}

/** `weekly-report <args>` as a person runs it, in a process of its own, from `cwd`. */
function weeklyReport(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/**
 * The CLI as a person runs it: from a folder of their own that holds a `.env` (read from the
 * working directory, as the bot reads it), and against a database that is not there.
 */
describe('npx weekly-report, run from a folder with a .env', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = mkdtempSync(path.join(tmpdir(), 'weekly-report-cli-'));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('reads MONGODB_URI from .env, and gives up on a store it cannot reach within 10 s: exit 1, one line', async () => {
    const port = await closedPort();
    writeFileSync(path.join(cwd, '.env'), `# the bot's settings\nMONGODB_URI=mongodb://127.0.0.1:${port}/weekly-report\n`);
    const run = await weeklyReport(
      cwd,
      ['export', '--template', 'payments-weekly', '--from', '2024-W20', '--to', '2024-W23'],
      environmentWithout('MONGODB_URI', 'LOG_LEVEL'),
    );
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(10_000);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^MongoDB unreachable at mongodb://127\\.0\\.0\\.1:${port}/weekly-report \\(gave up after \\d+ s\\): .*ECONNREFUSED.*check MONGODB_URI`),
    );
  });

  it('reads TEMPLATES_DIR from .env, and a variable set in the environment wins over the file', async () => {
    const fromFile = path.join(cwd, 'teams-from-env-file');
    const fromEnvironment = path.join(cwd, 'teams-from-environment');
    mkdirSync(fromFile);
    mkdirSync(fromEnvironment);
    writeFileSync(path.join(cwd, '.env'), `TEMPLATES_DIR=${fromFile}\n`);
    const args = ['compile', '--template', 'payments-weekly', '--week', '2024-W23', '--replies', SEEDS_DIR];
    const env = environmentWithout('TEMPLATES_DIR');
    const fromDotEnv = await weeklyReport(cwd, args, env);
    expect(fromDotEnv).toMatchObject({ code: 1, stdout: '', stderr: `no team definition "payments-weekly" in ${fromFile} (found: none)\n` });
    const overridden = await weeklyReport(cwd, args, { ...env, TEMPLATES_DIR: fromEnvironment });
    expect(overridden).toMatchObject({ code: 1, stderr: `no team definition "payments-weekly" in ${fromEnvironment} (found: none)\n` });
  });
});
