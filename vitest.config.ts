import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One MongoDB-wire server is shared by every test file (see test/support/global-db.ts);
    // each file works in a database of its own, so files may run in parallel.
    globalSetup: ['test/support/global-db.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
