import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  claimReplicaIdentity,
  DataDirInUseError,
  REPLICA_FILE,
  REPLICA_LOCK,
  type ReplicaIdentity,
  type ReplicaIdentityOptions,
} from '../../src/schedule/replica.ts';

/** tsx's loader and the module under test, for a replica in a process of its own. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const REPLICA_MODULE = new URL('../../src/schedule/replica.ts', import.meta.url).href;
/** A bot process as far as DATA_DIR goes: claims it, prints its holder name, releases it on SIGTERM. */
const REPLICA_PROCESS = `
const { claimReplicaIdentity } = await import(process.env.REPLICA_MODULE);
const replica = await claimReplicaIdentity(process.env.DATA_DIR);
process.on('SIGTERM', () => void replica.release().then(() => process.exit(0)));
process.stdout.write(JSON.stringify({ holder: replica.holder }) + '\\n');
setInterval(() => {}, 60_000);
`;

describe('the replica named by its DATA_DIR', () => {
  let dir: string;
  const claimed: ReplicaIdentity[] = [];
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'replica-'));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const replica of claimed.splice(0)) await replica.release();
    await rm(dir, { recursive: true, force: true });
  });

  /** Claims in this process; the lock is released after the test. */
  async function claim(options: ReplicaIdentityOptions): Promise<ReplicaIdentity> {
    const replica = await claimReplicaIdentity(dir, options);
    claimed.push(replica);
    return replica;
  }

  /** What a process killed with -9 leaves: its record, and its lock last refreshed `ageMs` ago. */
  async function leftByCrash(holder: string, pid: number, ageMs: number): Promise<void> {
    await writeFile(path.join(dir, REPLICA_FILE), JSON.stringify({ holder, hostname: 'bot-1', pid }));
    await mkdir(path.join(dir, REPLICA_LOCK));
    await age(ageMs);
  }

  /** Sets the lock's last refresh `ageMs` in the past: time passing without its holder, without waiting for it. */
  async function age(ageMs: number): Promise<void> {
    const then = new Date(Date.now() - ageMs);
    await utimes(path.join(dir, REPLICA_LOCK), then, then);
  }

  /** A replica in a process of its own; resolves once it holds the directory. */
  async function replicaProcess(): Promise<{ child: ChildProcess; holder: string; exited: Promise<number | null> }> {
    const child = spawn(process.execPath, ['--import', TSX, '--input-type=module', '--eval', REPLICA_PROCESS], {
      env: { PATH: process.env.PATH ?? '', REPLICA_MODULE, DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const holder = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve((JSON.parse(stdout) as { holder: string }).holder);
      });
      void exited.then((code) => reject(new Error(`the replica process exited (${code}): ${stderr}`)));
    });
    return { child, holder, exited };
  }

  it('has no previous life on a first start, and names each start differently', async () => {
    const first = await claim({ hostname: 'bot-1', pid: 100 });
    expect(first.previousHolder).toBeNull();
    expect(first.holder).toMatch(/^bot-1:100:/);
    await first.release();
    const second = await claim({ hostname: 'bot-1', pid: 200 });
    expect(second.holder).not.toBe(first.holder);
    expect(second.previousHolder).toBe(first.holder);
  });

  it('gives the directory up on release, at once, and releasing twice is harmless', async () => {
    const first = await claim({ hostname: 'bot-1', pid: 100 });
    await first.release();
    await first.release();
    await expect(stat(path.join(dir, REPLICA_LOCK))).rejects.toMatchObject({ code: 'ENOENT' });
    // No wait: the next process takes it immediately.
    expect((await claim({ hostname: 'bot-1', pid: 101, waitMs: 0 })).previousHolder).toBe(first.holder);
  });

  it('finds the previous process’s name after a crash, whose claims it then releases', async () => {
    await leftByCrash('bot-1:100:dead01', 100, 10_000);
    const restarted = await claim({ hostname: 'bot-1', pid: 101, waitMs: 0 });
    expect(restarted.previousHolder).toBe('bot-1:100:dead01');
    await restarted.release();
    // In a container the restarted process often has the same pid as the one it replaces: the lock, not the pid, decides.
    await leftByCrash('bot-1:101:dead02', 101, 10_000);
    expect((await claim({ hostname: 'bot-1', pid: 101, waitMs: 0 })).previousHolder).toBe('bot-1:101:dead02');
  });

  it('right after a kill -9, waits for the dead process’s lock to go stale, then is that replica restarted', async () => {
    // Refreshed 1.5 s before the crash: stale (2 s here) half a second from now.
    await leftByCrash('bot-1:100:dead01', 100, 1500);
    await expect(claimReplicaIdentity(dir, { hostname: 'bot-1', pid: 101, staleMs: 2000, waitMs: 0 })).rejects.toThrow(DataDirInUseError);
    const restarted = await claim({ hostname: 'bot-1', pid: 101, staleMs: 2000, waitMs: 3000 });
    expect(restarted.previousHolder).toBe('bot-1:100:dead01');
  });

  it('refuses to share the directory with a live process, and changes nothing', async () => {
    const running = await claim({ hostname: 'bot-1', pid: 100 });
    const before = await readFile(path.join(dir, REPLICA_FILE), 'utf8');
    const second = claimReplicaIdentity(dir, { hostname: 'bot-1', pid: 300, waitMs: 0 });
    await expect(second).rejects.toThrow(DataDirInUseError);
    await expect(second).rejects.toThrow(`DATA_DIR ${dir} is in use by another bot process (pid 100). Give each replica its own DATA_DIR.`);
    expect(await readFile(path.join(dir, REPLICA_FILE), 'utf8')).toBe(before);
    expect(before).toContain(running.holder);
  });

  it('waits for a live process that is stopping, and takes the directory once it is given up', async () => {
    const stopping = await claim({ hostname: 'bot-1', pid: 100 });
    const next = claim({ hostname: 'bot-1', pid: 101, waitMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stopping.release();
    expect((await next).previousHolder).toBe(stopping.holder);
  });

  it('with real processes: a second one is refused while the first lives; after its kill -9, the restart is the same replica', async () => {
    const first = await replicaProcess();
    const refused = claimReplicaIdentity(dir, { waitMs: 0 });
    await expect(refused).rejects.toThrow(DataDirInUseError);
    await expect(refused).rejects.toThrow(`DATA_DIR ${dir} is in use by another bot process (pid ${first.child.pid}).`);

    first.child.kill('SIGKILL');
    await first.exited;
    // kill -9 runs no exit hook: the lock is left behind, and goes stale 5 s after its last refresh.
    await expect(stat(path.join(dir, REPLICA_LOCK))).resolves.toBeDefined();
    await age(10_000);
    const restarted = await claim({ waitMs: 0 });
    expect(restarted.previousHolder).toBe(first.holder);
  });

  it('with real processes: a clean stop gives the directory up for the next one at once', async () => {
    const first = await replicaProcess();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect((await claim({ waitMs: 0 })).previousHolder).toBe(first.holder);
  });

  it('says so when the lock is taken away while held', async () => {
    const onLost = vi.fn();
    const replica = await claim({ hostname: 'bot-1', pid: 100, staleMs: 2000, onLost });
    await rm(path.join(dir, REPLICA_LOCK), { recursive: true });
    // The lock is refreshed every second here (proper-lockfile's shortest).
    await vi.waitFor(() => expect(onLost).toHaveBeenCalledTimes(1), { timeout: 5000 });
    const lost = onLost.mock.calls[0]![0] as DataDirInUseError;
    expect(lost).toBeInstanceOf(DataDirInUseError);
    expect(lost.message).toContain(`DATA_DIR ${dir}: lost its lock`);
    await replica.release();
  });

  it('starts as new from a record cut short by a crash', async () => {
    await writeFile(path.join(dir, REPLICA_FILE), '{"holder":"bot-1:1');
    expect((await claim({ hostname: 'bot-1', pid: 5 })).previousHolder).toBeNull();
  });
});
