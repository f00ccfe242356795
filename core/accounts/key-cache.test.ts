import { describe, expect, it } from 'vitest';
import { createKeyCache } from './key-cache.js';

describe('key cache', () => {
  it('forgets an entry once it is ttl old (or the clock went back), and drops the oldest when full', () => {
    const cache = createKeyCache<string>({ ttlMs: 1_000, maxEntries: 2 });
    cache.set('a', 'A', 0);
    expect(cache.get('a', 999)).toBe('A');
    expect(cache.get('a', 1_000)).toBeUndefined();
    cache.set('b', 'B', 5_000);
    expect(cache.get('b', 4_000)).toBeUndefined();
    cache.set('c', 'C', 10_000);
    cache.set('d', 'D', 10_000);
    cache.set('e', 'E', 10_000);
    expect([cache.get('c', 10_001), cache.get('d', 10_001), cache.get('e', 10_001)]).toEqual([
      undefined,
      'D',
      'E',
    ]);
  });
});
