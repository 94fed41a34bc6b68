import { configDefaults, defineConfig } from 'vitest/config';

/** Tests of MongoStore itself: its contract on a real server, connecting, the indexes it relies on. */
const MONGO_ONLY = [
  'test/store/mongo.test.ts',
  'test/store/connect.test.ts',
  'test/store/indexes.test.ts',
  // Stops and starts a FerretDB of its own under a bot process (issue #14's acceptance).
  'test/platforms/store-outage.test.ts',
  'test/platforms/fan-out-kill.test.ts',
  // Starts a bot process whose database appears only later, behind a proxy (issue #19's acceptance).
  'test/platforms/store-late.test.ts',
  // Runs `npx weekly-report export` in a process of its own, with MONGODB_URI.
  'test/cli/export-process.test.ts',
];

/**
 * Whole weeks (and the replica races inside them), run once per store: on MemoryStore in unit and
 * on MongoStore in db. They open their store with openTestStore (test/support/test-store.ts),
 * which reads the project's storeKind.
 */
const ONCE_PER_STORE = [
  'test/handlers/week.test.ts',
  'test/handlers/refusals.test.ts',
  'test/schedule/scheduler.test.ts',
  'test/platforms/slack/week.test.ts',
  'test/platforms/slack/reliability.test.ts',
  'test/platforms/feishu/week.test.ts',
  'test/handlers/answers.test.ts',
  'test/handlers/schedule-rules.test.ts',
  'test/platforms/slack/answers.test.ts',
  'test/platforms/feishu/answers.test.ts',
  'test/platforms/third-platform.test.ts',
  'test/platforms/slack/schedule.test.ts',
  'test/platforms/feishu/schedule.test.ts',
  'test/platforms/slack/late-answer.test.ts',
  'test/platforms/slack/reference-by-item.test.ts',
  'test/platforms/feishu/reference-by-item.test.ts',
  'test/cli/export.test.ts',
  'test/handlers/across-weeks.test.ts',
  'test/handlers/digest-metrics.test.ts',
  'test/platforms/slack/digest-chart.test.ts',
  'test/platforms/feishu/digest-chart.test.ts',
  // Goals that carry over (issue #13).
  'test/handlers/goals.test.ts',
  'test/platforms/slack/goals.test.ts',
  'test/platforms/feishu/goals.test.ts',
  'test/cli/export-goals.test.ts',
  // Exactly once across crashes and replicas (issue #14).
  'test/platforms/slack/crash-recovery.test.ts',
  'test/platforms/feishu/crash-recovery.test.ts',
  'test/platforms/slack/republish.test.ts',
  'test/handlers/job-lease.test.ts',
  // Counts that add up across status, the digest, participation and the export (issue #20).
  'test/handlers/counts.test.ts',
  // Starting over after the report went out (issue #20).
  'test/handlers/start-over-after-publishing.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        // Needs nothing but Node: `npm run test:unit` passes on a machine without a database or Go.
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...MONGO_ONLY],
          provide: { storeKind: 'memory' },
        },
      },
      {
        // One MongoDB-wire server for the whole project: MONGODB_URI, mongodb-memory-server or
        // FerretDB built with Go, whichever works first (test/support/mongo-server.ts).
        extends: true,
        test: {
          name: 'db',
          include: [...MONGO_ONLY, ...ONCE_PER_STORE],
          globalSetup: ['test/support/global-db.ts'],
          provide: { storeKind: 'mongo' },
        },
      },
    ],
  },
});
