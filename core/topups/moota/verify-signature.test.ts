import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyMootaSignature } from './verify-signature.js';

const secret = 'AElSnSQj';
const body = Buffer.from(
  '[{"account_number":"1234567890","date":"2026-11-22 10:00:00","description":"TRF AIP-7KQ2M","amount":5000,"type":"CR","mutation_id":"abc"}]',
);

function sign(bytes: Buffer, key: string): string {
  return createHmac('sha256', key).update(bytes).digest('hex');
}

describe('verifyMootaSignature', () => {
  it('accepts the lowercase hex HMAC-SHA256 of the raw bytes', () => {
    expect(verifyMootaSignature(body, sign(body, secret), secret)).toBe(true);
  });

  it('matches a known HMAC-SHA256 vector (RFC 4231 test case 2)', () => {
    const data = Buffer.from('what do ya want for nothing?');
    const known = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    expect(verifyMootaSignature(data, known, 'Jefe')).toBe(true);
  });

  it('tolerates surrounding whitespace in the header', () => {
    expect(verifyMootaSignature(body, ` ${sign(body, secret)}\n`, secret)).toBe(true);
  });

  it('refuses a signature made with another secret', () => {
    expect(verifyMootaSignature(body, sign(body, 'wrong-secret'), secret)).toBe(false);
  });

  it('refuses when one byte of the body changed, even only whitespace', () => {
    const signature = sign(body, secret);
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(verifyMootaSignature(reformatted, signature, secret)).toBe(false);
  });

  it('fails closed when the secret is unset or empty', () => {
    expect(verifyMootaSignature(body, sign(body, ''), '')).toBe(false);
    expect(verifyMootaSignature(body, sign(body, secret), undefined)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['uppercase hex', 'X'.repeat(64)],
    ['too short', 'ab'.repeat(16)],
    ['too long', 'ab'.repeat(33)],
    ['not hex', 'zz'.repeat(32)],
    ['sha256= prefixed', `sha256=${'ab'.repeat(32)}`],
  ])('refuses a %s header', (_label, header) => {
    expect(verifyMootaSignature(body, header, secret)).toBe(false);
  });

  it('refuses the uppercase form of a correct signature', () => {
    expect(verifyMootaSignature(body, sign(body, secret).toUpperCase(), secret)).toBe(false);
  });
});
