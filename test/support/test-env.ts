/**
 * Run before every test file (vitest.config.ts, setupFiles): the tests keep off the team's data.
 * MONGODB_URI is the bot's database, and a checkout's `.env` names the team's own: no test reads
 * either. Without MONGODB_URI in the environment, nothing a test runs in its own process can
 * connect to it (the db project has its own server, TEST_MONGODB_URI or one it starts); with
 * WEEKLY_REPORT_DOTENV=0, a process started with this environment reads no `.env`. The processes
 * the tests start get an environment of their own besides (test/support/child-env.ts).
 */
delete process.env.MONGODB_URI;
process.env.WEEKLY_REPORT_DOTENV = '0';
