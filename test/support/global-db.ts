import type { TestProject } from 'vitest/node';

/**
 * Provides one MongoDB-wire server to every test file: MONGODB_URI when set (CI starts FerretDB,
 * see .ci/run), otherwise a mongod started by mongodb-memory-server (downloads once; needs internet).
 * Database tests are never skipped: without a server the run fails and says how to get one.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.MONGODB_URI;
  if (fromEnv) {
    project.provide('mongoUri', fromEnv);
    return async () => {};
  }
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server');
    const server = await MongoMemoryServer.create();
    project.provide('mongoUri', server.getUri());
    return async () => {
      await server.stop();
    };
  } catch (error) {
    throw new Error(
      'The tests need a MongoDB-compatible server and none could be started.\n' +
        `mongodb-memory-server failed: ${(error as Error).message}\n` +
        'Either set MONGODB_URI=mongodb://127.0.0.1:27017 to a running MongoDB 6+ or FerretDB, ' +
        'or run `bash .ci/run`, which builds and starts FerretDB itself.',
    );
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}
