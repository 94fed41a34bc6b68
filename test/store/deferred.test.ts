import { describe, expect, it } from 'vitest';
import { DeferredStore, StoreNotOpenError } from '../../src/store/deferred.ts';
import { isStoreUnavailable, MemoryStore, type Store } from '../../src/store/index.ts';

describe('a deferred store (the store the handlers hold while it connects)', () => {
  it('fails every call as "unreachable" until it is opened, then is the store', async () => {
    const deferred = new DeferredStore<Store>();
    const { store } = deferred;
    const early = store.openCycle('payments-weekly', '2024-W23', new Date('2024-06-04T07:30:00Z'));
    await expect(early).rejects.toBeInstanceOf(StoreNotOpenError);
    // What the inbound pipeline asks before keeping a delivery for later.
    expect(isStoreUnavailable(await early.catch((error: unknown) => error))).toBe(true);
    expect(deferred.opened).toBeNull();

    const memory = new MemoryStore();
    deferred.open(memory);
    expect(deferred.opened).toBe(memory);
    await store.openCycle('payments-weekly', '2024-W23', new Date('2024-06-04T07:30:00Z'));
    expect(await memory.getCycle('payments-weekly', '2024-W23')).toMatchObject({ status: 'open' });
    expect(() => deferred.open(new MemoryStore())).toThrow(/open already/);
  });

  it('is one object throughout (caches are kept per store), and never a thenable', async () => {
    const deferred = new DeferredStore<Store>();
    const before = deferred.store;
    expect(await Promise.resolve(before)).toBe(before);
    deferred.open(new MemoryStore());
    expect(deferred.store).toBe(before);
  });
});
