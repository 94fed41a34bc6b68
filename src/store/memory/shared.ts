import type { PromptKey } from '../store.ts';

/**
 * What the memory roles share. Every method body of a memory role runs without awaiting, so each
 * operation is atomic on Node's single thread, the way a single-document operation is atomic on
 * the server.
 */

export const keyOf = (...parts: string[]): string => JSON.stringify(parts);
export const promptKeyOf = (key: PromptKey): string => keyOf(key.teamId, key.week, key.sectionId, key.owner);

// Everything goes in and comes out as a deep copy: a caller mutating what it passed or got back
// must not change what is stored, just as with a database.
export const copy = <T>(value: T): T => structuredClone(value);
