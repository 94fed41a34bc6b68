import { describeMongoUri } from '../src/store/index.ts';

/** MONGODB_URI with the database part replaced (hosts, credentials and options kept). */
export function withDatabase(uri: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/i.exec(uri.trim());
  if (!match) throw new Error(`MONGODB_URI: expected mongodb://host:port[/db][?options], got ${describeMongoUri(uri)}`);
  return `${match[1]}/${database}${match[3] ?? ''}`;
}
