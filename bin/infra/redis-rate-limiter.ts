import type { Redis } from 'ioredis';
import type { RateLimiter, RateLimitRule } from '../../core/ratelimit/index.js';

/**
 * The RateLimiter port on Redis: sliding-window counters (the current fixed window plus the previous
 * one weighted by how much of it is still inside the window), checked and charged by one Lua script,
 * so concurrent requests on any number of processes can never overshoot, and a request either
 * charges every counter it names or none. Keys expire two windows after their last write.
 *
 * KEYS: per rule, the current window's key then the previous window's key.
 * ARGV: now (ms), then per rule: limit, window (ms), cost.
 * Returns: allowed (1/0), then per rule: remaining, retry-after (ms), reset (ms).
 */
const CONSUME = `
local now = tonumber(ARGV[1])
local n = #KEYS / 2
local allowed = 1
local states = {}
for i = 1, n do
  local limit = tonumber(ARGV[(i - 1) * 3 + 2])
  local window = tonumber(ARGV[(i - 1) * 3 + 3])
  local cost = tonumber(ARGV[(i - 1) * 3 + 4])
  local curr = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local prev = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  local elapsed = now % window
  local used = prev * (window - elapsed) / window + curr
  local wait = 0
  if used + cost > limit then
    allowed = 0
    local room = limit - cost - curr
    if cost > limit then
      wait = window
    elseif room >= 0 and prev > 0 then
      wait = math.max(1, math.ceil(window - room * window / prev - elapsed))
    else
      local later = 0
      if curr > 0 then later = math.max(0, window - (limit - cost) * window / curr) end
      wait = math.ceil(window - elapsed + later)
    end
  end
  states[i] = { limit - used, wait, window - elapsed, cost }
end
local out = { allowed }
for i = 1, n do
  local s = states[i]
  local remaining = s[1]
  if allowed == 1 then
    if s[4] > 0 then
      redis.call('INCRBY', KEYS[2 * i - 1], s[4])
    end
    redis.call('PEXPIRE', KEYS[2 * i - 1], tonumber(ARGV[(i - 1) * 3 + 3]) * 2)
    remaining = remaining - s[4]
  end
  table.insert(out, math.floor(math.max(0, remaining)))
  table.insert(out, s[2])
  table.insert(out, math.ceil(s[3]))
end
return out
`;

interface WithConsume {
  aiportRateLimitConsume(numKeys: number, ...args: Array<string | number>): Promise<number[]>;
}

export interface RedisRateLimiterOptions {
  /** Prepended to every key (tests use a unique one per file). */
  prefix?: string;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now?: () => number;
}

export function createRedisRateLimiter(redis: Redis, options: RedisRateLimiterOptions = {}): RateLimiter {
  const prefix = options.prefix ?? 'aiport:rl:';
  const now = options.now ?? Date.now;
  if (!('aiportRateLimitConsume' in redis)) {
    redis.defineCommand('aiportRateLimitConsume', { lua: CONSUME });
  }
  const client = redis as unknown as Redis & WithConsume;

  function keysFor(rule: Pick<RateLimitRule, 'key' | 'windowMs'>, at: number): [string, string] {
    const index = Math.floor(at / rule.windowMs);
    return [`${prefix}${rule.key}:${index}`, `${prefix}${rule.key}:${index - 1}`];
  }

  return {
    async consume(rules) {
      if (rules.length === 0) return { allowed: true, states: [], retryAfterMs: 0 };
      const at = now();
      const keys: string[] = [];
      const args: Array<string | number> = [at];
      for (const rule of rules) {
        keys.push(...keysFor(rule, at));
        args.push(rule.limit, rule.windowMs, Math.max(0, Math.ceil(rule.cost)));
      }
      const out = await client.aiportRateLimitConsume(keys.length, ...keys, ...args);
      const states = rules.map((rule, i) => ({
        key: rule.key,
        limit: rule.limit,
        remaining: Number(out[1 + i * 3]),
        retryAfterMs: Number(out[2 + i * 3]),
        resetMs: Number(out[3 + i * 3]),
      }));
      const allowed = Number(out[0]) === 1;
      return {
        allowed,
        states: allowed ? states.map((s) => ({ ...s, retryAfterMs: 0 })) : states,
        retryAfterMs: allowed ? 0 : Math.max(...states.map((s) => s.retryAfterMs)),
      };
    },

    async add(rules) {
      if (rules.length === 0) return;
      const at = now();
      const pipeline = client.multi();
      for (const rule of rules) {
        const [current] = keysFor(rule, at);
        pipeline.incrby(current, Math.max(0, Math.ceil(rule.cost)));
        pipeline.pexpire(current, rule.windowMs * 2);
      }
      await pipeline.exec();
    },
  };
}
