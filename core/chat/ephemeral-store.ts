/**
 * The short-lived state the conversation core keeps outside PostgreSQL: locks, counters, dedupe
 * marks and the running context of zero-retention accounts. The shell implements it over Redis;
 * every key expires, so nothing here outlives its purpose.
 */
export interface EphemeralStore {
  /** Sets `key` only when absent, with a time to live; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes `key` only while it still holds `value` (an owner releasing its own lock). */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  /** Increments a counter that expires `windowMs` after its first increment. */
  increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /**
   * Counts one event against each windowed counter and, when none is over its limit, claims the
   * lock (set if absent): one round trip for the checks in front of every chat turn.
   *
   * With `queue`, the lock is claimed only when nobody waits for it (first come, first served);
   * otherwise `queue.ticket` joins the end of the waiting line unless `queue.maxLength` tickets
   * already wait (`full`). Tickets start with their expiry (`<ms since epoch>|...`): expired ones
   * at the head are dropped, so a waiter that died never blocks the line for long.
   */
  admit(
    counters: { key: string; windowMs: number; limit: number }[],
    lock: LockClaim,
    queue?: QueueTicket & { maxLength: number },
  ): Promise<
    | { outcome: 'admitted' | 'busy' | 'full' }
    | { outcome: 'queued'; position: number }
    | { outcome: 'limited'; resetInMs: number }
  >;
  /**
   * A waiting ticket's try for the lock: `admitted` (lock claimed, ticket removed) when the ticket
   * heads the line and the lock is free, `waiting` while not, `lost` when the ticket is gone
   * (expired, or removed).
   */
  claimQueued(lock: LockClaim, queue: QueueTicket): Promise<'admitted' | 'waiting' | 'lost'>;
  /** Removes one value from a list (a waiter giving up its place). */
  removeFromList(key: string, value: string): Promise<void>;
  /** Appends to a list, keeps only its last `maxLength` items and renews its time to live. */
  appendList(key: string, values: string[], maxLength: number, ttlMs: number): Promise<void>;
  readList(key: string): Promise<string[]>;
  delete(key: string): Promise<void>;
}

export interface LockClaim {
  key: string;
  value: string;
  ttlMs: number;
}

export interface QueueTicket {
  key: string;
  ticket: string;
  /** Milliseconds since the epoch on the caller's clock: tickets that expired before it are dropped. */
  nowMs: number;
  /** Time to live of the whole line, renewed by every ticket that joins. */
  ttlMs: number;
}
