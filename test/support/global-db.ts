import type { TestProject } from 'vitest/node';
import { NoMongoServerError, startMongoServer } from './mongo-server.ts';

/**
 * Gives the db project one MongoDB-wire server, shared by every test file (each file works in a
 * database of its own, so files may run in parallel), and stops it after the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const say = (line: string) => console.log(`[db] ${line}`);
  try {
    const server = await startMongoServer(say);
    say(`the db tests run on ${server.source}`);
    project.provide('mongoUri', server.uri);
    return server.stop;
  } catch (error) {
    if (!(error instanceof NoMongoServerError)) throw error;
    // Thrown, it would print under vitest's "Unhandled Error" banner with a stack trace; the
    // paragraph is the whole story, and nothing has started that would need stopping.
    process.stderr.write(`\n${error.message}\n\n`);
    process.exit(1);
  }
}
