import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTeamById } from '../../src/config/definitions.ts';
import { createLogger } from '../../src/log.ts';
import { PLATFORM_MODULES, PLATFORM_NAMES } from '../../src/platforms/modules.ts';
import { slackModule } from '../../src/platforms/slack/module.ts';
import type { Team } from '../../src/report/definition.ts';
import { MongoStore } from '../../src/store/index.ts';
import { FakeSlackApi, type FakeMessage as SlackMessage } from '../fakes/slack-api.ts';
import { promptSection } from '../platforms/slack/harness.ts';
import { childEnv } from './child-env.ts';
import { ferretdbBinary, startFerretdb, type RunningFerretdb } from './ferretdb.ts';
import { freePort } from './free-port.ts';

/**
 * The bot as a real process (`node --import tsx src/main.ts`) against a FerretDB of its own that
 * a test can stop and start, with a team whose collection window is open whenever the test runs:
 * for what only a process shows (a kill -9, a restart, a database gone and back).
 */

const REPO = path.resolve(import.meta.dirname, '../..');
/** How long a test waits for what the bot should do. */
export const WAIT_MS = 120_000;

export interface Bot {
  child: ChildProcess;
  output: () => string;
}

/** The team's templates with a collection window that is open whenever the test runs (the bot runs on the real clock). */
export async function alwaysOpenTemplates(dir: string): Promise<void> {
  await cp(path.join(REPO, 'templates'), dir, { recursive: true });
  const file = path.join(dir, 'payments-weekly.yaml');
  const yaml = (await readFile(file, 'utf8'))
    .replace(/open: \{[^}]*\}/, 'open: { day: monday, time: "00:00" }')
    .replace(/remind: \{[^}]*\}/, 'remind: { day: sunday, time: "23:58" }')
    .replace(/publish: \{[^}]*\}/, 'publish: { day: sunday, time: "23:59" }');
  await writeFile(file, yaml);
}

export function startBot(env: Record<string, string>): Bot {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO,
    // Nothing of the developer's environment, and no .env: the database is the one the test gives.
    env: childEnv({ LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  process.once('exit', () => child.kill('SIGKILL'));
  return { child, output: () => output };
}

export async function killBot(bot: Bot): Promise<void> {
  if (bot.child.exitCode !== null) return;
  const exited = new Promise((resolve) => bot.child.once('exit', resolve));
  bot.child.kill('SIGKILL');
  await exited;
}

export async function waitFor<T>(
  what: string,
  bot: Bot | null,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${bot ? `\n--- bot output ---\n${bot.output()}` : ''}`);
    if (bot && bot.child.exitCode !== null) throw new Error(`the bot exited (${bot.child.exitCode}) while waiting for ${what}\n${bot.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function ready(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

/** (section, owner) pairs: one prompt each. */
export function promptCount(team: Team): number {
  return team.definition.sections.reduce((n, s) => n + s.owners.length, 0);
}

/** What the stored answers of the week hold: one entry per stored revision, with its event id. */
export async function storedEvents(uri: string, team: Team): Promise<{ eventId: string; sectionId: string; owner: string; text: string }[]> {
  const store = await MongoStore.connect(uri, { logger: createLogger('outage-check', { level: 'silent' }), platforms: PLATFORM_NAMES });
  try {
    const [cycle] = await store.listCycles(team.definition.id, 1);
    if (!cycle) return [];
    const found = [];
    for (const section of team.definition.sections) {
      for (const owner of section.owners) {
        for (const s of await store.submissionHistory({ teamId: team.definition.id, week: cycle.week, sectionId: section.id, owner })) {
          found.push({ eventId: s.eventId, sectionId: section.id, owner, text: s.rawText });
        }
      }
    }
    return found;
  } finally {
    await store.close();
  }
}

export interface Setup {
  team: Team;
  db: RunningFerretdb;
  dbPort: number;
  dbDir: string;
  binary: string;
  work: string;
  port: number;
  uri: string;
}

export async function setUpBotProcess(): Promise<Setup> {
  const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
  const binary = await ferretdbBinary(() => {});
  const work = await mkdtemp(path.join(tmpdir(), 'outage-'));
  const dbDir = path.join(work, 'db');
  const dbPort = await freePort();
  const db = await startFerretdb(binary, { dataDir: dbDir, port: dbPort });
  await alwaysOpenTemplates(path.join(work, 'templates'));
  return { team, db, dbPort, dbDir, binary, work, port: await freePort(), uri: `${db.uri}/outage` };
}

export function botEnv(setup: Setup, platformEnv: Record<string, string>): Record<string, string> {
  return {
    ...platformEnv,
    PORT: String(setup.port),
    MONGODB_URI: setup.uri,
    DATA_DIR: path.join(setup.work, 'data'),
    TEMPLATES_DIR: path.join(setup.work, 'templates'),
  };
}

/** Each owner's prompt per section on Slack, in the order of the definition. */
export function allSlackPrompts(fake: FakeSlackApi, team: Team): { owner: string; sectionKind: string; channel: string; message: SlackMessage }[] {
  const found = [];
  for (const section of team.definition.sections) {
    for (const owner of section.owners) {
      const userId = team.definition.people[owner]?.slack;
      if (!userId) continue;
      const message = fake.channelMessages(fake.dmChannelOf(userId)).find((m) => promptSection(m) === section.id);
      if (message) found.push({ owner: userId, sectionKind: section.kind, channel: message.channel, message });
    }
  }
  return found;
}

/** A fake Slack whose workspace has the team's people and report channel. */
export function slackFakeFor(team: Team, token: string): Promise<FakeSlackApi> {
  const people = Object.values(team.definition.people);
  return FakeSlackApi.start({
    token,
    users: people.flatMap((p) => (p.slack ? [{ id: p.slack, name: p.name ?? p.slack, email: p.email }] : [])),
    channels: [slackModule.reportChannel(team.definition)!],
  });
}

/** Kills the bot, stops the fake platform and the database, and removes the work directory. */
export async function tearDownBotProcess(setup: Setup | undefined, bot: Bot | null, stopFake: () => Promise<void>): Promise<void> {
  if (bot) await killBot(bot);
  await stopFake();
  await setup?.db.stop();
  if (setup) await rm(setup.work, { recursive: true, force: true });
}
