import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTeamById } from '../../../src/config/definitions.ts';
import { createLogger } from '../../../src/log.ts';
import { PLATFORM_MODULES, PLATFORM_NAMES } from '../../../src/platforms/modules.ts';
import { seedHistory } from '../../../src/seed/history.ts';
import { MongoStore } from '../../../src/store/index.ts';
import { childEnv } from '../../support/child-env.ts';
import { testDatabaseUri } from '../../support/db.ts';
import { documentLines, EXPECTED_MD } from '../../support/golden.ts';
import { storeReferenceWeek, storeWeek } from '../../support/stored-weeks.ts';
import { expectExportGolden } from '../../cli/export-golden.ts';

const run = promisify(execFile);
const PROJECT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * `npx weekly-report export` as a person runs it, in a process of its own, against the MongoDB-wire
 * server: 12 weeks of seeded history (src/seed/, `npm run seed -- --weeks 12`) and the reference
 * week after them.
 */
describe('npx weekly-report export, against MongoDB', () => {
  let uri: string;
  let store: MongoStore;

  beforeAll(async () => {
    uri = testDatabaseUri('export_process');
    store = await MongoStore.connect(uri, { logger: createLogger('export-process-test'), platforms: PLATFORM_NAMES });
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    expect((await seedHistory(store, team, '2024-W23', 12)).written).toHaveLength(12);
    await storeReferenceWeek(store, team, new Date('2024-06-07T17:00:00+08:00'));
    // This week, opened and not published yet: a draft.
    await storeWeek(store, team, '2024-W24', new Date('2024-06-11T15:30:00+08:00'), [{ sectionId: 'o1', text: '1. W24 草稿的内容' }]);
  });

  afterAll(async () => {
    await store.connection.dropDatabase().catch(() => {});
    await store.close();
  });

  /** The command's output; `--no --offline`: npx runs this project's own bin and never asks the registry. */
  async function exportCli(...args: string[]): Promise<string> {
    const { stdout } = await run('npx', ['--no', '--offline', 'weekly-report', 'export', '--template', 'payments-weekly', ...args], {
      cwd: PROJECT,
      // Nothing of the developer's environment: the database is the test's own.
      env: childEnv({ MONGODB_URI: uri }),
      maxBuffer: 32 * 1024 * 1024,
    });
    return stdout;
  }

  it('prints each week as it was published, the reference week byte for byte', async () => {
    const markdown = await exportCli('--from', '2024-W11', '--to', '2024-W23', '--format', 'markdown');
    const documents = markdown.split('\n---\n\n');
    expect(documents.map((d) => /^# (\S+)/.exec(d)?.[1])).toEqual(Array.from({ length: 13 }, (_, i) => `2024-W${String(11 + i).padStart(2, '0')}`));
    expect(documentLines(documents.at(-1)!)).toEqual(documentLines(EXPECTED_MD));
    expectExportGolden('seeded-weeks.md', markdown);
  });

  it('prints one section across weeks', async () => {
    expectExportGolden('seeded-incidents-section.md', await exportCli('--from', '2024-W11', '--to', '2024-W23', '--section', 'incidents'));
  });

  it('prints the answers, metrics and incidents as JSON and CSV', async () => {
    // The last three weeks: every answer with its items is long, and a golden file is read in review.
    const json = await exportCli('--from', '2024-W21', '--to', '2024-W23', '--format', 'json');
    expect((JSON.parse(json) as { weeks: { week: string }[] }).weeks.map((w) => w.week)).toEqual(['2024-W21', '2024-W22', '2024-W23']);
    expectExportGolden('seeded-weeks.json', json);
    const csv = await exportCli('--from', '2024-W11', '--to', '2024-W23', '--format', 'csv');
    expect(csv.split('\n')[0]).toBe('week,type,section,metric,label,value,unit,time,text,status');
    expectExportGolden('seeded-weeks.csv', csv);
  });

  it('leaves out a week not published yet unless asked for with --drafts, and then says it is a draft', async () => {
    const published = await exportCli('--from', '2024-W23', '--to', '2024-W24');
    expect(documentLines(published)).toEqual(documentLines(EXPECTED_MD));
    const withDrafts = (await exportCli('--from', '2024-W23', '--to', '2024-W24', '--drafts')).split('\n---\n\n');
    expect(withDrafts).toHaveLength(2);
    expect(withDrafts[1]).toMatch(/^> ⚠️ 草稿：2024-W24 周报尚未发布，内容可能还会变化。\n\n# 2024-W24\n/);
    expect(withDrafts[1]).toContain('W24 草稿的内容');
  });

  it('says so, with exit code 1 and nothing on stdout, when the range holds no week to export', async () => {
    const failed = await exportCli('--from', '2024-W30', '--to', '2024-W35').then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'no stored week of payments-weekly from 2024-W30 to 2024-W35 (stored: 2024-W11 to 2024-W24)\n',
    });
  });

  it('says what is wrong, with exit code 1, for a section the report does not have', async () => {
    const failed = await exportCli('--from', '2024-W11', '--to', '2024-W23', '--section', 'nope').then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/--section: payments-weekly has no section "nope"/);
  });
});
