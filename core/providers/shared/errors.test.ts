import { describe, expect, it } from 'vitest';
import { CoreError } from '../../errors.js';
import {
  codeForStatus,
  isRetryableStatus,
  ProviderError,
  parseRetryAfterMs,
  providerErrorFromStatus,
} from './errors.js';

describe('status mapping', () => {
  it.each([408, 409, 429, 500, 502, 503, 504, 529])('%i is retryable', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });
  it.each([400, 401, 402, 403, 404, 413, 422])('%i is not retryable', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });

  it('maps statuses to CoreError codes', () => {
    expect(codeForStatus(400)).toBe('invalid_request');
    expect(codeForStatus(422)).toBe('invalid_request');
    expect(codeForStatus(429)).toBe('rate_limited');
    expect(codeForStatus(529)).toBe('upstream_unavailable');
    expect(codeForStatus(503)).toBe('upstream_unavailable');
    expect(codeForStatus(401)).toBe('upstream_error');
    expect(codeForStatus(402)).toBe('upstream_error');
  });

  it('builds a ProviderError that is a CoreError', () => {
    const error = providerErrorFromStatus({
      provider: 'openai',
      status: 429,
      message: 'slow down',
      retryAfterMs: 2000,
    });
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toBeInstanceOf(CoreError);
    expect(error.code).toBe('rate_limited');
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(2000);
    expect(error.details).toMatchObject({ provider: 'openai', status: 429, retry_after_ms: 2000 });
  });

  it('lets a vendor rule override retryability (a spend cap sent as 429)', () => {
    const error = providerErrorFromStatus({ provider: 'anthropic', status: 429, retryable: false });
    expect(error.retryable).toBe(false);
    expect(error.code).toBe('upstream_error');
  });
});

describe('parseRetryAfterMs', () => {
  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(parseRetryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(parseRetryAfterMs({ 'retry-after': '3' })).toBe(3000);
    const now = Date.parse('2026-11-22T00:00:00Z');
    expect(parseRetryAfterMs({ 'retry-after': 'Sun, 22 Nov 2026 00:00:05 GMT' }, () => now)).toBe(5000);
    expect(parseRetryAfterMs({})).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
  });
});
