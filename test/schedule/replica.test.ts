import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimReplicaIdentity, DataDirInUseError, REPLICA_FILE } from '../../src/schedule/replica.ts';

describe('the replica named by its DATA_DIR', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'replica-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const dead = () => false;
  const alive = () => true;

  it('has no previous life on a first start, and names each start differently', async () => {
    const first = await claimReplicaIdentity(dir, { hostname: 'bot-1', pid: 100, isAlive: dead });
    expect(first.previousHolder).toBeNull();
    expect(first.holder).toMatch(/^bot-1:100:/);
    const second = await claimReplicaIdentity(dir, { hostname: 'bot-1', pid: 200, isAlive: dead });
    expect(second.holder).not.toBe(first.holder);
  });

  it('finds the previous process’s name after a restart, whose claims it then releases', async () => {
    const crashed = await claimReplicaIdentity(dir, { hostname: 'bot-1', pid: 100, isAlive: dead });
    const restarted = await claimReplicaIdentity(dir, { hostname: 'bot-1', pid: 101, isAlive: dead });
    expect(restarted.previousHolder).toBe(crashed.holder);
    // In a container the restarted process often has the same pid as the one it replaces.
    const again = await claimReplicaIdentity(dir, { hostname: 'bot-1', pid: 101, isAlive: alive });
    expect(again.previousHolder).toBe(restarted.holder);
  });

  it('refuses to share the directory with a live process on the same host, and changes nothing', async () => {
    const running = await claimReplicaIdentity(dir, { hostname: 'bot-1', pid: 100, isAlive: dead });
    const before = await readFile(path.join(dir, REPLICA_FILE), 'utf8');
    const second = claimReplicaIdentity(dir, { hostname: 'bot-1', pid: 300, isAlive: (pid) => pid === 100 });
    await expect(second).rejects.toThrow(DataDirInUseError);
    await expect(second).rejects.toThrow(/in use by another bot process \(pid 100\)\. Give each replica its own DATA_DIR/);
    expect(await readFile(path.join(dir, REPLICA_FILE), 'utf8')).toBe(before);
    expect(before).toContain(running.holder);
  });

  it('uses the real process table by default: its own parent is alive', async () => {
    await writeFile(path.join(dir, REPLICA_FILE), JSON.stringify({ holder: 'parent', hostname: 'bot-1', pid: process.ppid }));
    await expect(claimReplicaIdentity(dir, { hostname: 'bot-1' })).rejects.toThrow(DataDirInUseError);
  });

  it('starts as new from a record cut short by a crash', async () => {
    await writeFile(path.join(dir, REPLICA_FILE), '{"holder":"bot-1:1');
    expect((await claimReplicaIdentity(dir, { hostname: 'bot-1', pid: 5 })).previousHolder).toBeNull();
  });
});
