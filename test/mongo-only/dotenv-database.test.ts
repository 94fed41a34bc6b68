import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadTeamById } from '../../src/config/definitions.ts';
import { createLogger } from '../../src/log.ts';
import { PLATFORM_MODULES, PLATFORM_NAMES } from '../../src/platforms/modules.ts';
import { isoWeekOf, momentInWeek } from '../../src/report/week.ts';
import { MongoStore } from '../../src/store/index.ts';
import { childEnv, PROJECT_DIR, runMain } from '../support/child-env.ts';
import { testDatabaseUri } from '../support/db.ts';
import { dropDatabasesStartingWith } from '../support/mongo-server.ts';
import { storeWeek, W22_REPLIES } from '../support/stored-weeks.ts';

const run = promisify(execFile);
const BIN = path.join(PROJECT_DIR, 'bin/weekly-report.js');

/**
 * Issue #20, case 1: with MONGODB_URI in the checkout's `.env` (as the docs suggest), `npm test`
 * started the bot with `--seed --weeks 12`, which read the `.env`, added 12 sample weeks to the
 * team's database and wrote the reference replies over its published week. Here a `.env` names a
 * database of this test's own, holding one published week of the team, and the bot and the CLI are
 * run the way the tests run them (test/main.test.ts, test/cli/export-process.test.ts): the
 * database is left as it was, byte for byte. A person running `npm run seed` there does read the
 * `.env`, and the seed then refuses that database, writing nothing.
 */

/** Every collection of a database, its indexes, and each document as its BSON bytes. */
async function contents(connection: Connection): Promise<Record<string, { indexes: unknown[]; documents: string[] }>> {
  const db = connection.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const all: Record<string, { indexes: unknown[]; documents: string[] }> = {};
  for (const name of names) {
    const documents = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
    all[name] = {
      indexes: (await db.collection(name).indexes()).sort((a, b) => String(a.name).localeCompare(String(b.name))),
      documents: documents.map((d) => Buffer.from(mongoose.mongo.BSON.serialize(d)).toString('base64')),
    };
  }
  return all;
}

describe('npm test in a checkout whose .env names a database', () => {
  let store: MongoStore;
  let checkout: string;
  let week: string;
  let before: Awaited<ReturnType<typeof contents>>;

  beforeAll(async () => {
    const uri = testDatabaseUri('dotenv_team');
    store = await MongoStore.connect(uri, { logger: createLogger('dotenv-test', { level: 'silent' }), platforms: PLATFORM_NAMES });
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    // The team's own week, this week (the one the seed answers), published.
    week = isoWeekOf(new Date(), team.definition.timeZone);
    const { open, publish } = team.definition.schedule;
    await storeWeek(store, team, week, momentInWeek(week, open, team.definition.timeZone), W22_REPLIES);
    await store.markPublished(
      team.definition.id,
      week,
      [{ platform: 'slack', channel: 'C0PAYMENTS', messageId: '1717754400.000100', role: 'header', index: 0 }],
      momentInWeek(week, publish, team.definition.timeZone),
    );
    checkout = await mkdtemp(path.join(tmpdir(), 'checkout-'));
    await writeFile(path.join(checkout, '.env'), `MONGODB_URI=${uri}\n`);
    before = await contents(store.connection);
    expect(before.cycles?.documents).toHaveLength(1);
    expect(before.submissions?.documents).toHaveLength(W22_REPLIES.length);
  });

  afterAll(async () => {
    await store?.connection.dropDatabase().catch(() => {});
    await store?.close();
    if (checkout) await rm(checkout, { recursive: true, force: true });
  });

  it('is left as it was by the bot as the tests start it (--seed --weeks 12) and by the CLI’s export', async () => {
    const bot = await runMain({}, '/weekly-report status\n/quit\n', ['--seed', '--weeks', '12'], checkout);
    expect(bot.stderr).toBe('');
    expect(bot.code).toBe(0);
    expect(bot.stdout).toContain('using the in-memory store');
    expect(bot.stdout).toMatch(/^Seeded payments-weekly: .*published \(12 earlier weeks\)/m);

    const cli = await run(process.execPath, [BIN, 'export', '--template', 'payments-weekly', '--from', '2024-W01', '--to', week], {
      cwd: checkout,
      env: childEnv(),
    }).catch((error: { code: number; stderr: string }) => error);
    expect(cli).toMatchObject({ code: 1, stderr: expect.stringContaining('MONGODB_URI is not set') as unknown });

    expect(await contents(store.connection)).toEqual(before);
  });

  it('is read by `npm run seed` as a person runs it there, and the seed refuses it, writing nothing', async () => {
    const person = await runMain({ WEEKLY_REPORT_DOTENV: undefined }, '/quit\n', ['--seed', '--weeks', '12'], checkout);
    expect(person.code).toBe(1);
    expect(person.stderr).toContain(`holds weeks the seed did not write: payments-weekly ${week} (published).`);
    expect(person.stderr).toContain('npm run seed -- --force');
    expect(await contents(store.connection)).toEqual(before);
  });
});

describe('the db tests’ own databases', () => {
  it('are named with the run’s prefix, and dropped with it at the end', async () => {
    const own = new URL(testDatabaseUri('names'));
    expect(own.pathname).toMatch(new RegExp(`^/${inject('databasePrefix')}names_[0-9a-f]{8}$`));
    // As global-db.ts drops the run's, with a prefix of this test's own (the run's databases are in use).
    const prefix = `t_sweep${randomBytes(3).toString('hex')}_`;
    const connection = await mongoose.createConnection(inject('mongoUri')).asPromise();
    try {
      for (const name of [`${prefix}a`, `${prefix}b`, own.pathname.slice(1)]) await connection.useDb(name).collection('x').insertOne({ at: 1 });
      expect((await dropDatabasesStartingWith(inject('mongoUri'), prefix)).sort()).toEqual([`${prefix}a`, `${prefix}b`]);
      const left = (await connection.db!.admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name);
      expect(left).toContain(own.pathname.slice(1));
      expect(left.filter((name) => name.startsWith(prefix))).toEqual([]);
    } finally {
      await connection.useDb(own.pathname.slice(1)).dropDatabase();
      await connection.close();
    }
  });
});
