import { describe, expect, it } from 'vitest';
import { CoalescedReads } from '../../src/store/mongo/coalesced-reads.ts';

/** A query that answers when told to, noting what it was asked. */
function controlledQuery() {
  const asked: { key: string; members: string[]; answer: (fail?: Error) => void }[] = [];
  const reads = new CoalescedReads<string, string>(
    (key, members) =>
      new Promise((resolve, reject) => {
        asked.push({ key, members, answer: (fail) => (fail ? reject(fail) : resolve(new Map(members.map((m) => [m, `${key}:${m}`])))) });
      }),
  );
  return { reads, asked };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedReads', () => {
  it('asks once for the members that ask together, and gives each its own part', async () => {
    const { reads, asked } = controlledQuery();
    const answers = Promise.all(['a', 'b', 'c'].map((team) => reads.read('W23', team)));
    await tick();
    expect(asked.map((q) => q.members)).toEqual([['a', 'b', 'c']]);
    asked[0]!.answer();
    expect(await answers).toEqual(['W23:a', 'W23:b', 'W23:c']);
  });

  it('makes those asking while a query runs wait for one more query, started after it, with all of them', async () => {
    const { reads, asked } = controlledQuery();
    const first = reads.read('W23', 'a');
    await tick();
    const later = Promise.all([reads.read('W23', 'b'), reads.read('W23', 'a')]);
    await tick();
    expect(asked).toHaveLength(1);
    asked[0]!.answer();
    expect(await first).toBe('W23:a');
    await tick();
    // `a` asked again after the first query started: it gets the second one's answer, not the first's.
    expect(asked.map((q) => q.members)).toEqual([['a'], ['b', 'a']]);
    asked[1]!.answer();
    expect(await later).toEqual(['W23:b', 'W23:a']);
  });

  it('does not make one key wait for another', async () => {
    const { reads, asked } = controlledQuery();
    void reads.read('W22', 'a');
    void reads.read('W23', 'a');
    await tick();
    expect(asked.map((q) => q.key)).toEqual(['W22', 'W23']);
  });

  it('fails the callers of a failed query only; the next query goes out', async () => {
    const { reads, asked } = controlledQuery();
    const failed = reads.read('W23', 'a');
    await tick();
    const next = reads.read('W23', 'b');
    asked[0]!.answer(new Error('server went away'));
    await expect(failed).rejects.toThrow('server went away');
    await tick();
    asked[1]!.answer();
    expect(await next).toBe('W23:b');
  });
});
