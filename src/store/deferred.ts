/** What every call on a DeferredStore's `store` rejects with before it is opened; isStoreUnavailable says so. */
export class StoreNotOpenError extends Error {
  override name = 'StoreNotOpenError';

  constructor() {
    super('the store is not connected yet (the bot is starting)');
  }
}

/**
 * The store the handlers are given at start-up, before the real one has connected (which may take
 * a while: MongoStore.connect waits for the server). `store` stands for it from the start: each
 * call goes to the real store once `open` has been called, and rejects with StoreNotOpenError
 * before. Work that meets that error is work the store was unreachable for (isStoreUnavailable):
 * the inbound pipeline keeps its delivery and it is processed once the store is there.
 *
 * Every method of a store returns a promise, so this needs to know none of them by name. It is the
 * same object before and after (the week cache is kept per store object).
 */
export class DeferredStore<S extends object> {
  readonly store: S;
  private target: S | null = null;

  constructor() {
    this.store = new Proxy({} as S, {
      get: (_, property) => {
        const target = this.target;
        if (target) {
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        }
        // Not a thenable (awaiting the store must not wait on it), and nothing for symbols.
        if (property === 'then' || typeof property === 'symbol') return undefined;
        return () => Promise.reject(new StoreNotOpenError());
      },
    });
  }

  /** From now on, `store` is `target`. */
  open(target: S): void {
    if (this.target) throw new Error('the store is open already');
    this.target = target;
  }

  /** The real store, once open. */
  get opened(): S | null {
    return this.target;
  }
}
