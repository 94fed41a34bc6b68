/**
 * Time windows both Store implementations apply, so that MongoStore and MemoryStore agree and
 * the contract suite can test them.
 */

/**
 * A prompt reservation left in 'sending' and not renewed for longer than this is taken to belong
 * to a sender that crashed between reserving and recording the send; `reservePrompt` then lets
 * exactly one caller take it over, as `resumed`: it looks for the message before sending again.
 * A live sender renews its reservations every PROMPT_RENEW_MS while a send waits (rate limits), so
 * a slow send is never taken for a crashed one; a crashed sender's prompts are resolved by the
 * first run a minute later.
 */
export const PROMPT_SENDING_STALE_MS = 60 * 1000;
/** How often a sender renews the reservations it is sending (a third of the stale time). */
export const PROMPT_RENEW_MS = 20 * 1000;

/**
 * How long `markEventSeen` remembers an event id. Slack retries for about an hour and Feishu for
 * a few hours; seven days covers both with room to spare. Entries older than this are treated as
 * absent whether or not the server has expired them yet (FerretDB does not run TTL indexes).
 */
export const SEEN_EVENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export interface StoreTiming {
  /** See PROMPT_SENDING_STALE_MS. */
  promptSendingStaleMs?: number;
  /** See SEEN_EVENT_WINDOW_MS. */
  seenEventWindowMs?: number;
}

/** What a store says about itself, so that main can log where data lives. */
export interface StoreDescription {
  kind: 'mongo' | 'memory';
  /** False when the data is lost on exit. */
  durable: boolean;
  /** Where the data lives, without credentials. */
  location: string;
  /** Set when the operator should be told something at start-up. */
  warning?: string;
}
