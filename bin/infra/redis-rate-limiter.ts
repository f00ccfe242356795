import type { Redis } from 'ioredis';
import type { RateLimiter } from '../../core/ratelimit/index.js';

/**
 * The RateLimiter port on Redis: sliding-window counters (the current fixed window plus the previous
 * one weighted by how much of it is still inside the window), checked and charged by one Lua script,
 * so concurrent requests on any number of processes can never overshoot, and a request either
 * charges every counter it names or none. Keys expire two windows after their last write.
 *
 * Time is Redis's own (TIME), read inside the script: processes whose clocks disagree still count
 * in the same windows (with each process's clock, one running ahead wrote into a window the others
 * did not read yet, letting up to twice the limit through). The window keys are therefore named in
 * the script from each rule's base key (`<base>:<window index>`), which needs a single Redis or all
 * of a rule's keys in one slot, not a cluster spreading them.
 *
 * KEYS: per rule, its base key.
 * ARGV: now (ms; empty: Redis TIME), then per rule: limit, window (ms), cost.
 * Returns: allowed (1/0), then per rule: remaining, retry-after (ms), reset (ms).
 */
const NOW = `
local function now_ms()
  if ARGV[1] ~= '' then return tonumber(ARGV[1]) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

const CONSUME = `${NOW}
local now = now_ms()
local n = #KEYS
local allowed = 1
local states = {}
local current = {}
for i = 1, n do
  local limit = tonumber(ARGV[(i - 1) * 3 + 2])
  local window = tonumber(ARGV[(i - 1) * 3 + 3])
  local cost = tonumber(ARGV[(i - 1) * 3 + 4])
  local index = math.floor(now / window)
  current[i] = KEYS[i] .. ':' .. string.format('%d', index)
  local curr = tonumber(redis.call('GET', current[i]) or '0')
  local prev = tonumber(redis.call('GET', KEYS[i] .. ':' .. string.format('%d', index - 1)) or '0')
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
      redis.call('INCRBY', current[i], s[4])
    end
    redis.call('PEXPIRE', current[i], tonumber(ARGV[(i - 1) * 3 + 3]) * 2)
    remaining = remaining - s[4]
  end
  table.insert(out, math.floor(math.max(0, remaining)))
  table.insert(out, s[2])
  table.insert(out, math.ceil(s[3]))
end
return out
`;

/** Adds cost to each rule's current window, unconditionally. KEYS: base keys; ARGV: now, then window and cost per rule. */
const ADD = `${NOW}
local now = now_ms()
for i = 1, #KEYS do
  local window = tonumber(ARGV[(i - 1) * 2 + 2])
  local cost = tonumber(ARGV[(i - 1) * 2 + 3])
  local key = KEYS[i] .. ':' .. string.format('%d', math.floor(now / window))
  redis.call('INCRBY', key, cost)
  redis.call('PEXPIRE', key, window * 2)
end
return 1
`;

interface WithScripts {
  aiportRateLimitConsume(numKeys: number, ...args: Array<string | number>): Promise<number[]>;
  aiportRateLimitAdd(numKeys: number, ...args: Array<string | number>): Promise<number>;
}

export interface RedisRateLimiterOptions {
  /** Prepended to every key (tests use a unique one per file). */
  prefix?: string;
  /** Milliseconds since the epoch, for tests that move time; default: Redis's clock (TIME). */
  now?: () => number;
}

export function createRedisRateLimiter(redis: Redis, options: RedisRateLimiterOptions = {}): RateLimiter {
  const prefix = options.prefix ?? 'aiport:rl:';
  const now = () => (options.now ? String(options.now()) : '');
  if (!('aiportRateLimitConsume' in redis)) {
    redis.defineCommand('aiportRateLimitConsume', { lua: CONSUME });
  }
  if (!('aiportRateLimitAdd' in redis)) {
    redis.defineCommand('aiportRateLimitAdd', { lua: ADD });
  }
  const client = redis as unknown as Redis & WithScripts;

  return {
    async consume(rules) {
      if (rules.length === 0) return { allowed: true, states: [], retryAfterMs: 0 };
      const keys: string[] = [];
      const args: Array<string | number> = [now()];
      for (const rule of rules) {
        keys.push(`${prefix}${rule.key}`);
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
      const keys: string[] = [];
      const args: Array<string | number> = [now()];
      for (const rule of rules) {
        keys.push(`${prefix}${rule.key}`);
        args.push(rule.windowMs, Math.max(0, Math.ceil(rule.cost)));
      }
      await client.aiportRateLimitAdd(keys.length, ...keys, ...args);
    },
  };
}
