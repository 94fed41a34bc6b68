import { RoleStore } from './composite.ts';
import { PROMPT_SENDING_STALE_MS, SEEN_EVENT_WINDOW_MS, type StoreDescription, type StoreTiming } from './policy.ts';
import { MemoryClaims } from './memory/claims.ts';
import { MemoryCycles } from './memory/cycles.ts';
import { MemoryEvents } from './memory/events.ts';
import { MemoryGoalReviews } from './memory/goal-reviews.ts';
import { MemoryPlans } from './memory/plans.ts';
import { MemoryPrompts } from './memory/prompts.ts';
import { MemorySubmissions } from './memory/submissions.ts';

/** What main logs when it falls back to MemoryStore. */
export const MEMORY_STORE_WARNING =
  'No MONGODB_URI is set: using the in-memory store. All data (cycles, replies, prompts, job runs) is lost on exit; ' + 'set MONGODB_URI to keep it.';

/**
 * Store kept in process memory, for local runs, demos and tests: one memory implementation per
 * role (./memory/). Same semantics as MongoStore: every method body runs without awaiting, so each
 * operation is atomic on Node's single thread, the way a single-document operation is atomic on
 * the server.
 */
export class MemoryStore extends RoleStore {
  constructor(timing: StoreTiming = {}) {
    const prompts = new MemoryPrompts(timing.promptSendingStaleMs ?? PROMPT_SENDING_STALE_MS);
    super({
      cycles: new MemoryCycles(),
      submissions: new MemorySubmissions(),
      prompts,
      claims: new MemoryClaims(prompts),
      plans: new MemoryPlans(),
      goalReviews: new MemoryGoalReviews(),
      events: new MemoryEvents(timing.seenEventWindowMs ?? SEEN_EVENT_WINDOW_MS),
    });
  }

  describe(): StoreDescription {
    return { kind: 'memory', durable: false, location: 'process memory', warning: MEMORY_STORE_WARNING };
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
