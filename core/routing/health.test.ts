import { describe, expect, it } from 'vitest';
import type { CatalogRoute } from '../catalog/index.js';
import { manualClock } from '../ports/clock.js';
import { createRouteHealth } from './health.js';

const a: CatalogRoute = { provider: 'openai', model: 'gpt-4o-mini' };
const b: CatalogRoute = { provider: 'openai-compatible', model: 'qwen' };
const c: CatalogRoute = { provider: 'deepseek', model: 'ds' };

describe('route health', () => {
  it('keeps catalog order while routes are healthy', () => {
    const health = createRouteHealth(manualClock());
    expect(health.order([a, b, c])).toEqual([a, b, c]);
    health.success(b, 10);
    health.success(a, 500);
    expect(health.order([a, b, c])).toEqual([a, b, c]);
  });

  it('opens after N consecutive failures, lets one probe through after the cool-down, and closes on success', () => {
    const clock = manualClock();
    const health = createRouteHealth(clock, { failureThreshold: 3, cooldownMs: 10_000 });
    health.failure(a, 'HTTP 500');
    health.success(a, 5); // a success resets the streak
    for (let i = 0; i < 3; i++) health.failure(a, 'HTTP 500');
    expect(health.order([a, b])).toEqual([b]);
    expect(health.tryAcquire(a)).toBe(false);
    clock.advance(9_999);
    expect(health.tryAcquire(a)).toBe(false);
    clock.advance(1);
    expect(health.order([a, b])).toEqual([a, b]);
    expect(health.tryAcquire(a)).toBe(true);
    expect(health.tryAcquire(a)).toBe(false); // one probe at a time
    expect(health.order([a, b])).toEqual([b]);
    health.success(a, 12);
    expect(health.snapshot().find((s) => s.provider === 'openai')).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
      ewmaLatencyMs: 6, // 0.8 x 5 + 0.2 x 12
    });
  });

  it('re-opens when the probe fails, and a neutral outcome frees the probe', () => {
    const clock = manualClock();
    const health = createRouteHealth(clock, { failureThreshold: 1, cooldownMs: 1_000 });
    health.failure(a, 'timeout');
    clock.advance(1_000);
    expect(health.tryAcquire(a)).toBe(true);
    health.neutral(a);
    expect(health.tryAcquire(a)).toBe(true);
    health.failure(a, 'timeout again');
    expect(health.snapshot()[0]).toMatchObject({ state: 'open', lastError: 'timeout again', failures: 2 });
    expect(health.tryAcquire(a)).toBe(false);
  });

  it('moves a route with a high error rate behind healthy ones until its errors decay', () => {
    const clock = manualClock();
    const health = createRouteHealth(clock, { failureThreshold: 100, errorHalfLifeMs: 60_000 });
    for (let i = 0; i < 4; i++) health.failure(a, 'HTTP 503');
    expect(health.order([a, b, c])).toEqual([b, c, a]);
    clock.advance(120_000);
    expect(health.order([a, b, c])).toEqual([a, b, c]);
  });
});
