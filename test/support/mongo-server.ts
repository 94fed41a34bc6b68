import { BotError } from '../../src/errors.ts';
import { ferretdbBinary, FERRETDB_VERSION, goIsAvailable, startFerretdb } from './ferretdb.ts';
import { startMemoryServer } from './memory-server.ts';

export interface MongoServer {
  uri: string;
  /** What the server is, for the one line the run prints (never the URI: it may hold a password). */
  source: string;
  stop(): Promise<void>;
}

/** No server could be had. The message is the whole explanation, written for a person. */
export class NoMongoServerError extends BotError {
  override name = 'NoMongoServerError';
  constructor(message: string, options?: ErrorOptions) {
    super('store_unreachable', message, options);
  }
}

/**
 * The server a person gave the db tests: TEST_MONGODB_URI, never MONGODB_URI. MONGODB_URI is the
 * bot's database (a checkout's `.env` names the team's own); the tests never use it, and say so
 * when it is set. The database the URI names, if any, is never used either: each test file works
 * in a database of its own (test/support/db.ts), dropped at the end.
 */
export function serverFromEnv(env: Readonly<Record<string, string | undefined>>, say: (line: string) => void): MongoServer | null {
  if (env.MONGODB_URI?.trim())
    say('MONGODB_URI is set and ignored: the tests never use the bot’s database (set TEST_MONGODB_URI to run the db tests on a server of your own)');
  const uri = env.TEST_MONGODB_URI?.trim();
  return uri ? { uri, source: 'the server at TEST_MONGODB_URI', stop: async () => {} } : null;
}

/**
 * The MongoDB-wire server for the db project, from the first source that works: TEST_MONGODB_URI,
 * a mongod from mongodb-memory-server, or FerretDB built with the local Go.
 */
export async function startMongoServer(say: (line: string) => void): Promise<MongoServer> {
  const given = serverFromEnv(process.env, say);
  if (given) return given;
  const tried = ['TEST_MONGODB_URI is not set'];

  try {
    return { ...(await startMemoryServer()), source: 'a mongod from mongodb-memory-server' };
  } catch (error) {
    tried.push(`mongodb-memory-server could not start mongod: ${firstLine(error)}`);
  }

  if (!(await goIsAvailable())) {
    tried.push(`FerretDB ${FERRETDB_VERSION} could not be built because \`go\` is not on PATH`);
  } else {
    try {
      const ferretdb = await startFerretdb(await ferretdbBinary(say));
      return { ...ferretdb, source: `FerretDB ${FERRETDB_VERSION} at ${ferretdb.uri}` };
    } catch (error) {
      tried.push(`FerretDB ${FERRETDB_VERSION} could not be built or started: ${firstLine(error)}`);
    }
  }

  throw new NoMongoServerError(
    `The db tests need a MongoDB-wire server and none could be had: ${tried.join('; ')}. ` +
      'To run them, do one of these: set TEST_MONGODB_URI to a running MongoDB 6+ or FerretDB ' +
      '(for example TEST_MONGODB_URI=mongodb://127.0.0.1:27017 npm test; the tests create databases of their own there, named t_…, and drop them); or install Go, and the tests build and start ' +
      `FerretDB ${FERRETDB_VERSION} themselves (the first build takes a minute or two and needs the Go module proxy); ` +
      'or let mongodb-memory-server download mongod once (it needs to reach fastdl.mongodb.org, or set MONGOMS_DOWNLOAD_MIRROR). ' +
      '`npm run test:unit` runs the tests that need no database.',
  );
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim().split('\n')[0]!;
}

/** Drops every database on the server at `uri` whose name starts with `prefix` (a run's, or a test's). */
export async function dropDatabasesStartingWith(uri: string, prefix: string): Promise<string[]> {
  const { default: mongoose } = await import('mongoose');
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    const { databases } = await connection.db!.admin().listDatabases({ nameOnly: true });
    const names = databases.map((d) => d.name).filter((name) => name.startsWith(prefix));
    for (const name of names) await connection.useDb(name).dropDatabase();
    return names;
  } finally {
    await connection.close();
  }
}
