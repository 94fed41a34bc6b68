/**
 * Platform payloads are stored as received. MongoDB restricts field names (FerretDB rejects any
 * key that starts with `$` or contains `.`), and a payload is foreign data that may use such keys.
 * A payload whose keys are all storable is kept as a document, so that it can be queried in the
 * shell; any other payload is kept as its JSON text. Either way it reads back unchanged.
 */

export type RawPayloadEncoding = 'document' | 'json';

export interface EncodedRawPayload {
  rawPayload: unknown;
  rawPayloadEncoding: RawPayloadEncoding;
}

const MAX_DEPTH = 90; // BSON documents nest at most 100 levels deep.

function storableAsDocument(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') {
    return typeof value !== 'function' && typeof value !== 'symbol' && typeof value !== 'bigint' && value !== undefined;
  }
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => storableAsDocument(item, depth + 1));
  if (value instanceof Date) return true;
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return false;
  return Object.entries(value).every(
    ([key, inner]) => key.length > 0 && !key.startsWith('$') && !key.includes('.') && !key.includes('\0') && storableAsDocument(inner, depth + 1),
  );
}

export function encodeRawPayload(payload: unknown): EncodedRawPayload {
  if (storableAsDocument(payload, 0)) return { rawPayload: payload, rawPayloadEncoding: 'document' };
  return { rawPayload: JSON.stringify(payload), rawPayloadEncoding: 'json' };
}

export function decodeRawPayload(stored: unknown, encoding: RawPayloadEncoding | undefined): unknown {
  return encoding === 'json' && typeof stored === 'string' ? (JSON.parse(stored) as unknown) : stored;
}
