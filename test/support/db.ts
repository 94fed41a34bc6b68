import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/**
 * A connection string to a database of its own for one test file (or one test), on the server
 * global-db.ts started for the db project (whatever database its URI names is never used), named
 * with the run's prefix: the run drops it at the end. Names stay under MongoDB's 63-byte
 * database-name limit.
 */
export function testDatabaseUri(label: string): string {
  const uri = inject('mongoUri');
  if (!uri) {
    throw new Error(`testDatabaseUri('${label}'): no MongoDB server in this project; tests that need one belong to the db project (vitest.config.ts)`);
  }
  const base = new URL(uri);
  const name = `${inject('databasePrefix')}${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  base.pathname = `/${name}`;
  return base.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by global-db.ts, in the db project only. */
    mongoUri: string;
    /** What the name of every database of the run starts with (`t_<run>_`); global-db.ts drops them at the end. */
    databasePrefix: string;
  }
}
