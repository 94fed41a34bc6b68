import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { dropDatabasesStartingWith, NoMongoServerError, startMongoServer } from './mongo-server.ts';

/**
 * Gives the db project one MongoDB-wire server, shared by every test file (each file works in a
 * database of its own, so files may run in parallel), and stops it after the run. Every database of
 * the run is named with the run's prefix (test/support/db.ts), and the run drops them all at the
 * end: those of a test that failed before its own cleanup too, on a server of the developer's
 * (TEST_MONGODB_URI) as on one it started.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const say = (line: string) => console.log(`[db] ${line}`);
  try {
    const server = await startMongoServer(say);
    say(`the db tests run on ${server.source}`);
    const prefix = `t_${randomBytes(3).toString('hex')}_`;
    project.provide('mongoUri', server.uri);
    project.provide('databasePrefix', prefix);
    return async () => {
      await dropDatabasesStartingWith(server.uri, prefix).catch((error: unknown) => say(`could not drop the run's databases (${prefix}…): ${String(error)}`));
      await server.stop();
    };
  } catch (error) {
    if (!(error instanceof NoMongoServerError)) throw error;
    // Thrown, it would print under vitest's "Unhandled Error" banner with a stack trace; the
    // paragraph is the whole story, and nothing has started that would need stopping.
    process.stderr.write(`\n${error.message}\n\n`);
    process.exit(1);
  }
}
