import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/**
 * A connection string to a database of its own for one test file (or one test), on the shared
 * server from global-db.ts. Names stay under MongoDB's 63-byte database-name limit.
 */
export function testDatabaseUri(label: string): string {
  const base = new URL(inject('mongoUri'));
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  base.pathname = `/${name}`;
  return base.toString();
}
