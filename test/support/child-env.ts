import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The checkout: where `npm start` runs the bot from. */
export const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** tsx's loader by path, so that the bot can be started from any working directory. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * The environment of a process a test starts (the bot, the CLI), built from nothing: what a
 * process needs to run (PATH, HOME, TMPDIR) and what the test gives. Never the developer's own
 * variables (their MONGODB_URI above all: tests never touch the team's database), and always
 * WEEKLY_REPORT_DOTENV=0: the bot does not read the `.env` of its working directory, which for
 * most tests is the checkout, whose `.env` may name the team's database.
 * A variable given as undefined is left out: the tests of `.env` itself leave out
 * WEEKLY_REPORT_DOTENV, as a person running the bot does.
 */
export function childEnv(vars: Readonly<Record<string, string | undefined>> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    WEEKLY_REPORT_DOTENV: '0',
    ...vars,
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `npm start`'s entry point (src/main.ts) run to its end, with exactly the given environment (see
 * childEnv), arguments and input, from `cwd` (the checkout by default, as `npm start` runs it).
 */
export function runMain(env: Readonly<Record<string, string | undefined>>, input: string, args: readonly string[] = [], cwd = PROJECT_DIR): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, path.join(PROJECT_DIR, 'src/main.ts'), ...args], { cwd, env: childEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
