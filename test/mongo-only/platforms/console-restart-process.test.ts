import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { PLATFORM_NAMES } from '../../../src/platforms/modules.ts';
import { isoWeekOf } from '../../../src/report/week.ts';
import { MongoStore } from '../../../src/store/index.ts';
import { alwaysOpenTemplates } from '../../support/bot-process.ts';
import { testDatabaseUri } from '../../support/db.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** `npm start` in local mode with MONGODB_URI, typing `input`; what it printed. */
function startLocal(env: Record<string, string>, input: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
    child.stdin.end(input);
  });
}

/**
 * The local chat as a person restarts it (issue #20): `npm start` with MONGODB_URI, quit, and
 * `npm start` again on the same database. The second run's ids are its own, and the prompt the
 * first run showed is still answered by its id.
 */
describe('npm start twice on the same MongoDB', () => {
  let env: Record<string, string>;
  let uri: string;

  beforeAll(async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'console-restart-'));
    await alwaysOpenTemplates(path.join(work, 'templates'));
    uri = testDatabaseUri('console_restart_process');
    env = { MONGODB_URI: uri, TEMPLATES_DIR: path.join(work, 'templates') };
  });

  afterAll(async () => {
    const store = await MongoStore.connect(uri, { logger: createLogger('cleanup', { level: 'silent' }), platforms: PLATFORM_NAMES });
    await store.connection.dropDatabase().catch(() => {});
    await store.close();
  });

  it('numbers each start’s ids, and answers a prompt of the first by the id it showed', async () => {
    const first = await startLocal(env, '/open\n/as owner-o1\n/quit\n');
    expect(first.code).toBe(0);
    const prompt = /\[(1m\d+)\] @owner-o1\n📝 .*【O1 业务服务】/.exec(first.stdout)?.[1];
    expect(prompt, first.stdout).toBeDefined();

    const second = await startLocal(env, `/as owner-o1\n/reply ${prompt!} 1. 重启之后的回答\n/reply m4 1. 旧的 id\n/quit\n`);
    expect(second.code).toBe(0);
    // The confirmation is this run's first message, in the thread of the first run's prompt.
    expect(second.stdout).toContain(`[2m1] @owner-o1 ↳ ${prompt!}\n✅ 已收到 【O1 业务服务】（第 1 版）`);
    expect(second.stdout).toContain('(you sent 2u1;');
    // No run showed `m4`: it is refused, not taken for whatever prompt an old run numbered so.
    expect(second.stdout).toContain('⚠️ 没有 id 为 m4 的消息，这条没有记录。');

    const store = await MongoStore.connect(uri, { logger: createLogger('check', { level: 'silent' }), platforms: PLATFORM_NAMES });
    try {
      const week = isoWeekOf(new Date(), 'Asia/Shanghai');
      const history = await store.submissionHistory({ teamId: 'payments-weekly', week, sectionId: 'o1', owner: 'owner-o1' });
      expect(history.map((s) => [s.rawText, s.sourceMessageId])).toEqual([['1. 重启之后的回答', '2u1']]);
    } finally {
      await store.close();
    }
  });
});
