import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Which store a test file runs on is where it lives:
 * - test/both-stores/ — whole weeks (and the replica races inside them), run once per store: on
 *   MemoryStore in unit and on MongoStore in db. They open their store with openTestStore
 *   (test/support/test-store.ts), which reads the project's storeKind.
 * - test/mongo-only/ — MongoStore itself and what needs a real server (its contract, connecting,
 *   indexes, a FerretDB stopped under a bot process, `npx weekly-report export` with MONGODB_URI):
 *   db only.
 * - everything else under test/ — unit only.
 * Below either folder, a file keeps the path it would have under test/ (test/both-stores/handlers/…).
 */
const BOTH_STORES = 'test/both-stores/**/*.test.ts';
const MONGO_ONLY = 'test/mongo-only/**/*.test.ts';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // No test reads MONGODB_URI or a `.env`: the team's database is never theirs.
    setupFiles: ['test/support/test-env.ts'],
    projects: [
      {
        // Needs Node and Chromium (test/browser/): `npm run test:unit` passes on a machine without a database or Go.
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, MONGO_ONLY],
          provide: { storeKind: 'memory' },
          // A worker runs file after file on the modules it has loaded (Bolt, the Lark SDK,
          // ECharts, the handlers): loading them again for each of ~90 files cost more than the
          // tests themselves. The tests share no state through them: every bot, fake, store and
          // pacing clock is a test's own, and module-level memory is either keyed by those
          // (WeakMaps) or pure caches.
          isolate: false,
          // Vitest's default is a worker fewer than the cores: one on a 2-core machine, idle
          // whenever a test waits on a socket or a child process. At least two.
          maxWorkers: Math.max(2, availableParallelism() - 1),
        },
      },
      {
        // One MongoDB-wire server for the whole project: TEST_MONGODB_URI (never MONGODB_URI),
        // mongodb-memory-server or FerretDB built with Go, whichever works first
        // (test/support/mongo-server.ts); each file works in databases of its own, dropped at the end.
        extends: true,
        test: {
          name: 'db',
          include: [BOTH_STORES, MONGO_ONLY],
          globalSetup: ['test/support/global-db.ts'],
          provide: { storeKind: 'mongo' },
        },
      },
    ],
  },
});
