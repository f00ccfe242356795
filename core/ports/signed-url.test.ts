import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors.js';
import { signedUrl, signStorageKey, verifySignedKey } from './signed-url.js';

const SECRET = 'a-test-secret-of-enough-length-123';
const KEY = 'outputs/acc1/job1/0.png';

describe('signed storage URLs', () => {
  it('verifies its own signature until the expiry, then reports expired', () => {
    const { exp, sig } = signStorageKey(SECRET, KEY, 1_000);
    expect(verifySignedKey(SECRET, KEY, String(exp), sig, 999)).toBe('ok');
    expect(verifySignedKey(SECRET, KEY, String(exp), sig, 1_000)).toBe('ok');
    expect(verifySignedKey(SECRET, KEY, String(exp), sig, 1_001)).toBe('expired');
  });

  it('refuses another key, a changed expiry, another secret and malformed input', () => {
    const { exp, sig } = signStorageKey(SECRET, KEY, 1_000);
    expect(verifySignedKey(SECRET, 'outputs/acc1/job1/1.png', String(exp), sig, 0)).toBe('invalid');
    expect(verifySignedKey(SECRET, KEY, '2000', sig, 0)).toBe('invalid');
    expect(verifySignedKey('another-secret-of-enough-length', KEY, String(exp), sig, 0)).toBe('invalid');
    expect(verifySignedKey(SECRET, KEY, undefined, sig, 0)).toBe('invalid');
    expect(verifySignedKey(SECRET, KEY, String(exp), undefined, 0)).toBe('invalid');
    expect(verifySignedKey(SECRET, KEY, '01000', sig, 0)).toBe('invalid');
    expect(verifySignedKey(SECRET, KEY, String(exp), `${sig}A`, 0)).toBe('invalid');
    expect(verifySignedKey(SECRET, KEY, String(exp), 'x', 0)).toBe('invalid');
  });

  it('never accepts a flipped signature character', () => {
    const { exp, sig } = signStorageKey(SECRET, KEY, 5_000);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.nat(sig.length - 1), fc.constantFrom(...alphabet), (index, char) => {
        fc.pre(sig[index] !== char);
        const forged = sig.slice(0, index) + char + sig.slice(index + 1);
        return verifySignedKey(SECRET, KEY, String(exp), forged, 0) === 'invalid';
      }),
    );
  });

  it('builds a URL whose query verifies', () => {
    const url = new URL(signedUrl('https://aiport.example/files/', SECRET, KEY, 1_000));
    expect(url.pathname).toBe(`/files/${KEY}`);
    const check = verifySignedKey(
      SECRET,
      url.pathname.slice('/files/'.length),
      url.searchParams.get('exp') ?? undefined,
      url.searchParams.get('sig') ?? undefined,
      10,
    );
    expect(check).toBe('ok');
  });

  it('refuses a short secret, an unsafe key and a bad expiry when signing', () => {
    expect(() => signStorageKey('short', KEY, 1_000)).toThrow(CoreError);
    expect(() => signStorageKey(SECRET, '../etc/passwd', 1_000)).toThrow(CoreError);
    expect(() => signStorageKey(SECRET, KEY, 1.5)).toThrow(CoreError);
  });
});
