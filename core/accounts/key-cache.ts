/**
 * Authenticated API keys kept in one process for a few seconds, so a busy client's requests do not
 * each read its key again. Only for requests that hold money before they do anything: the hold
 * checks the key (revoked, expired, its account stopped, its allow-lists and limits) against the
 * database in the very transaction that reserves the money (ledger.ts, key-spend.ts), so a key
 * revoked through any process is refused by every process before anything is spent or sent
 * upstream, whatever this cache holds. Keys with spend limits are never kept: the remaining-spend
 * header they get must be read fresh. Bounded in age (`ttlMs`) and size (oldest out first).
 */
export interface KeyCache<T> {
  get(hash: string, nowMs: number): T | undefined;
  set(hash: string, value: T, nowMs: number): void;
}

export function createKeyCache<T>(options: { ttlMs: number; maxEntries: number }): KeyCache<T> {
  const entries = new Map<string, { value: T; storedMs: number }>();
  return {
    get(hash, nowMs) {
      const entry = entries.get(hash);
      if (!entry) return undefined;
      if (nowMs - entry.storedMs >= options.ttlMs || nowMs < entry.storedMs) {
        entries.delete(hash);
        return undefined;
      }
      return entry.value;
    },
    set(hash, value, nowMs) {
      entries.delete(hash);
      if (entries.size >= options.maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(hash, { value, storedMs: nowMs });
    },
  };
}
