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
 * The MongoDB-wire server for the db project, from the first source that works: MONGODB_URI,
 * a mongod from mongodb-memory-server, or FerretDB built with the local Go.
 */
export async function startMongoServer(say: (line: string) => void): Promise<MongoServer> {
  const fromEnv = process.env.MONGODB_URI?.trim();
  if (fromEnv) return { uri: fromEnv, source: 'the server at MONGODB_URI', stop: async () => {} };
  const tried = ['MONGODB_URI is not set'];

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
      'To run them, do one of these: set MONGODB_URI to a running MongoDB 6+ or FerretDB ' +
      '(for example MONGODB_URI=mongodb://127.0.0.1:27017 npm test); or install Go, and the tests build and start ' +
      `FerretDB ${FERRETDB_VERSION} themselves (the first build takes a minute or two and needs the Go module proxy); ` +
      'or let mongodb-memory-server download mongod once (it needs to reach fastdl.mongodb.org, or set MONGOMS_DOWNLOAD_MIRROR). ' +
      '`npm run test:unit` runs the tests that need no database.',
  );
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim().split('\n')[0]!;
}
