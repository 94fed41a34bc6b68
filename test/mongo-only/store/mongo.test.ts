import mongoose from 'mongoose';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { MongoStore } from '../../../src/store/mongo/mongo-store.ts';
import { COLLECTIONS, type StoreModels } from '../../../src/store/mongo/schemas.ts';
import type { Store } from '../../../src/store/store.ts';
import { testDatabaseUri } from '../../support/db.ts';
import { runStoreContract } from '../../store/contract.ts';
import { PLATFORM_NAMES } from '../../../src/platforms/modules.ts';

const logger = createLogger('store-test');
const uris = new Map<Store, string>();

async function connect(uri: string): Promise<MongoStore> {
  return MongoStore.connect(uri, { logger, serverSelectionTimeoutMS: 5000, retry: { maxAttempts: 1 }, platforms: PLATFORM_NAMES });
}

// A database of its own per test: each test starts empty, and files may run in parallel.
runStoreContract(
  'MongoStore',
  async () => {
    const uri = testDatabaseUri('store');
    const store = await connect(uri);
    uris.set(store, uri);
    return store;
  },
  async (store) => {
    const mongo = store as MongoStore;
    uris.delete(store);
    await mongo.connection.dropDatabase();
    await mongo.close();
  },
  { replicaOf: async (store) => connect(uris.get(store)!) },
);

describe('MongoStore', () => {
  const opened: MongoStore[] = [];
  afterAll(async () => {
    for (const store of opened) {
      await store.connection.dropDatabase();
      await store.close();
    }
  });

  it('uses a connection of its own, not mongoose’s global one', async () => {
    const store = await connect(testDatabaseUri('own_connection'));
    opened.push(store);
    expect(store.connection).not.toBe(mongoose.connection);
    expect(mongoose.connection.readyState).toBe(0);
  });

  it('keeps a platform payload with awkward keys as JSON text and an ordinary one as a document', async () => {
    const store = await connect(testDatabaseUri('raw_payload'));
    opened.push(store);
    const base = {
      teamId: 'r',
      week: '2024-W23',
      sectionId: 's',
      owner: 'o',
      platform: 'feishu' as const,
      rawText: 'hi',
      content: { kind: 'text' as const, markdown: 'hi' },
      receivedAt: new Date(0),
    };
    await store.recordSubmission({ ...base, eventId: 'plain', rawPayload: { message: { content: '{"text":"hi"}' } } });
    await store.recordSubmission({ ...base, eventId: 'odd', rawPayload: { 'a.b': 1, $c: 2 } });
    const raw = store.connection.collection(COLLECTIONS.submissions);
    expect(await raw.findOne({ eventId: 'plain' })).toMatchObject({
      rawPayload: { message: { content: '{"text":"hi"}' } },
      rawPayloadEncoding: 'document',
    });
    expect(await raw.findOne({ eventId: 'odd' })).toMatchObject({ rawPayload: '{"a.b":1,"$c":2}', rawPayloadEncoding: 'json' });
  });

  it('reads the answers of teams asking for the same week together in one query', async () => {
    const store = await connect(testDatabaseUri('week_reads'));
    opened.push(store);
    const answer = (teamId: string, week: string, eventId: string, text: string) =>
      store.recordSubmission({
        teamId,
        week,
        sectionId: 's',
        owner: 'o',
        platform: 'slack',
        eventId,
        rawText: text,
        content: { kind: 'text', markdown: text },
        receivedAt: new Date(0),
      });
    await answer('a', '2024-W23', 'a1', 'first');
    await answer('a', '2024-W23', 'a2', 'second');
    await answer('b', '2024-W23', 'b1', 'b’s');
    await answer('c', '2024-W22', 'c1', 'another week');
    const { submissions } = (store as unknown as { models: StoreModels }).models;
    const find = vi.spyOn(submissions, 'find');
    const [a = [], b = [], c] = await Promise.all(['a', 'b', 'c'].map((team) => store.latestSubmissions(team, '2024-W23')));
    expect(find).toHaveBeenCalledTimes(1);
    expect(a.map((s) => [s.teamId, s.rawText, s.revision])).toEqual([['a', 'second', 2]]);
    expect(b.map((s) => [s.teamId, s.rawText])).toEqual([['b', 'b’s']]);
    expect(c).toEqual([]);
    // Asked after a revision was stored: a new query, which has it.
    await answer('b', '2024-W23', 'b2', 'b’s second');
    expect((await store.latestSubmissions('b', '2024-W23')).map((s) => s.rawText)).toEqual(['b’s second']);
    expect(find).toHaveBeenCalledTimes(2);
    find.mockRestore();
  });

  it('refuses a document that breaks the schema', async () => {
    const store = await connect(testDatabaseUri('schema'));
    opened.push(store);
    await expect(
      store.recordSubmission({
        teamId: 'r',
        week: '2024-W23',
        sectionId: 's',
        owner: 'o',
        platform: 'teams' as never,
        eventId: 'e',
        rawText: 'x',
        content: { kind: 'list', items: [] },
        receivedAt: new Date(0),
      }),
    ).rejects.toThrow(/platform/);
    await expect(
      store.recordSubmission({
        teamId: 'r',
        week: '2024-W23',
        sectionId: 's',
        owner: 'o',
        platform: 'slack',
        eventId: 'e2',
        rawText: 'x',
        content: { kind: 'table' } as never,
        receivedAt: new Date(0),
      }),
    ).rejects.toThrow(/content\.kind/);
  });
});

describe('MongoStore.ping', () => {
  it('answers true while connected, and false at once when the connection is gone', async () => {
    const store = await connect(testDatabaseUri('ping'));
    expect(await store.ping()).toBe(true);
    await store.connection.dropDatabase();
    await store.close();
    const started = Date.now();
    expect(await store.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
