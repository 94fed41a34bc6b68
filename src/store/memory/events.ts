import type { EventStore, PlatformName } from '../store.ts';
import { keyOf } from './shared.ts';

/** Platform deliveries already handled, in memory, forgotten after the window. */
export class MemoryEvents implements EventStore {
  private readonly seenEvents = new Map<string, Date>();
  private lastPrune = 0;

  constructor(private readonly seenEventWindowMs: number) {}

  async markEventSeen(platform: PlatformName, eventId: string, now: Date): Promise<boolean> {
    const id = keyOf(platform, eventId);
    const seenAt = this.seenEvents.get(id);
    if (seenAt && seenAt.getTime() >= now.getTime() - this.seenEventWindowMs) return false;
    this.seenEvents.set(id, new Date(now));
    this.pruneSeenEvents(now);
    return true;
  }

  private pruneSeenEvents(now: Date): void {
    // Keeps a long-running demo from growing without bound; at most once an hour.
    if (now.getTime() - this.lastPrune < 60 * 60 * 1000) return;
    this.lastPrune = now.getTime();
    const cutoff = now.getTime() - this.seenEventWindowMs;
    for (const [id, seenAt] of this.seenEvents) if (seenAt.getTime() < cutoff) this.seenEvents.delete(id);
  }
}
