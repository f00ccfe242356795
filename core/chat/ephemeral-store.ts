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
  /** Appends to a list, keeps only its last `maxLength` items and renews its time to live. */
  /**
   * Counts one event against each windowed counter and, when none is over its limit, claims the
   * lock (set if absent): one round trip for the checks in front of every chat turn.
   */
  admit(
    counters: { key: string; windowMs: number; limit: number }[],
    lock: { key: string; value: string; ttlMs: number },
  ): Promise<{ outcome: 'admitted' | 'busy' } | { outcome: 'limited'; resetInMs: number }>;
  appendList(key: string, values: string[], maxLength: number, ttlMs: number): Promise<void>;
  readList(key: string): Promise<string[]>;
  delete(key: string): Promise<void>;
}
