import { appendFile, mkdtemp, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Spool, SPOOL_FILE, SpoolWriteError, type OpenSpoolFile } from '../../../src/platforms/intake/spool.ts';

describe('the inbound spool', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'spool-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps what was appended and not completed across a reopen, in arrival order', async () => {
    const spool = await Spool.open(dir);
    const at = new Date('2024-06-05T10:00:00Z');
    const entries = await Promise.all(['a', 'b', 'c', 'd'].map((text) => spool.append('slack', { text }, at)));
    await spool.complete(entries[1]!.id);
    await spool.close();

    const reopened = await Spool.open(dir);
    expect(reopened.pending().map((e) => (e.payload as { text: string }).text)).toEqual(['a', 'c', 'd']);
    expect(reopened.pending()[0]).toMatchObject({ platform: 'slack', receivedAt: at.toISOString() });
    // New entries get ids after the old ones, so the order stays the arrival order.
    const next = await reopened.append('feishu', { text: 'e' }, at);
    expect(next.id).toBeGreaterThan(entries.at(-1)!.id);
    await reopened.close();
  });

  it('ignores a last line cut short by a crash (it was never synced, so never acknowledged)', async () => {
    const spool = await Spool.open(dir);
    await spool.append('slack', { text: 'whole' }, new Date());
    await spool.close();
    await appendFile(path.join(dir, SPOOL_FILE), '{"add":{"id":2,"platform":"sla');
    const reopened = await Spool.open(dir);
    expect(reopened.pending().map((e) => e.payload)).toEqual([{ text: 'whole' }]);
    await reopened.close();
  });

  it('rewrites the file with only the pending entries when it opens', async () => {
    const spool = await Spool.open(dir);
    const done = await spool.append('slack', { text: 'done' }, new Date());
    await spool.append('slack', { text: 'pending' }, new Date());
    await spool.complete(done.id);
    await spool.close();
    await (await Spool.open(dir)).close();
    const lines = (await readFile(path.join(dir, SPOOL_FILE), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"pending"');
  });

  it('rejects an append it could not write', async () => {
    const spool = await Spool.open(dir);
    await spool.close();
    await expect(spool.append('slack', { text: 'x' }, new Date())).rejects.toThrow();
    expect(spool.pending()).toEqual([]);
  });

  it('says which file it could not write and what the system answered (a full disk)', async () => {
    const spool = await Spool.open(dir, diskFilling({ after: 0 }));
    const refused = await spool.append('slack', { text: 'x' }, new Date()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SpoolWriteError);
    expect(refused).toMatchObject({ code: 'ENOSPC', file: path.join(dir, SPOOL_FILE) });
    expect((refused as Error).message).toBe(`could not write the inbound spool ${path.join(dir, SPOOL_FILE)}: ENOSPC: no space left on device, write`);
    await spool.close();
  });

  it('keeps what it acknowledges after a write the disk cut short', async () => {
    // The disk takes 10 bytes of the first entry's line, then is full; then there is room again.
    const disk = diskFilling({ after: 10 });
    const spool = await Spool.open(dir, disk);
    await expect(spool.append('slack', { text: 'refused' }, new Date())).rejects.toThrow(SpoolWriteError);
    disk.room();
    await spool.append('slack', { text: 'acknowledged' }, new Date());
    await spool.close();
    const reopened = await Spool.open(dir);
    expect(reopened.pending().map((e) => e.payload)).toEqual([{ text: 'acknowledged' }]);
    await reopened.close();
  });
});

/**
 * Opens the spool's file on a disk that takes `after` more bytes, then refuses writes with ENOSPC
 * (having written what fitted, as a real short write does) until `room()`.
 */
function diskFilling({ after }: { after: number }): OpenSpoolFile & { room(): void } {
  let left: number | null = after;
  const openFile = async (file: string, flags: 'r' | 'w' | 'a'): Promise<FileHandle> => {
    const handle = await open(file, flags);
    if (flags !== 'a') return handle;
    return new Proxy(handle, {
      get(target, prop) {
        if (prop === 'write') {
          return async (text: string) => {
            if (left === null || Buffer.byteLength(text) <= left) return target.write(text);
            await target.write(Buffer.from(text).subarray(0, left));
            left = 0;
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { errno: -28, code: 'ENOSPC', syscall: 'write' });
          };
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
  return Object.assign(openFile, {
    room: () => {
      left = null;
    },
  });
}
