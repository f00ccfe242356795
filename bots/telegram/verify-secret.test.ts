import { describe, expect, it } from 'vitest';
import { verifyTelegramSecret } from './verify-secret.js';

describe('verifyTelegramSecret', () => {
  it('accepts the exact secret only', () => {
    expect(verifyTelegramSecret('s3cret_TOKEN-1', 's3cret_TOKEN-1')).toBe(true);
    expect(verifyTelegramSecret('s3cret_TOKEN-1', 's3cret_TOKEN-2')).toBe(false);
    expect(verifyTelegramSecret('s3cret_TOKEN-1', 's3cret_TOKEN-1x')).toBe(false);
    expect(verifyTelegramSecret('s3cret_TOKEN-1', ['s3cret_TOKEN-1'])).toBe(false);
  });

  it('fails closed when the secret is unset or empty, or the header is missing', () => {
    expect(verifyTelegramSecret(undefined, 'anything')).toBe(false);
    expect(verifyTelegramSecret('', '')).toBe(false);
    expect(verifyTelegramSecret('s3cret', undefined)).toBe(false);
    expect(verifyTelegramSecret('s3cret', '')).toBe(false);
  });
});
