import { setTimeout as delay } from 'node:timers/promises';
import type { PromptKey } from '../store.ts';

/** What the Mongo roles share: how an insert guarded by a unique index decides, and their filters. */

/** Passes of an insert of the next revision before giving up (recordSubmission, recordGoalReview). */
export const MAX_RECORD_ATTEMPTS = 100;

export function isDuplicateKey(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 11000 || code === 11001;
}

/** Runs an insert; false when a unique index refused it because the document exists. */
export async function insertUnlessExists(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** Spreads contenders for the same revision out a little, so that a burst settles in a few passes. */
export function backOff(attempt: number): Promise<void> {
  return delay(Math.floor(Math.random() * Math.min(20, 2 + attempt * 2)));
}

export const promptFilter = (key: PromptKey): PromptKey => ({
  teamId: key.teamId,
  week: key.week,
  sectionId: key.sectionId,
  owner: key.owner,
});
