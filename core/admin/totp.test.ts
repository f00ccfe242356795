import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Base32Error,
  decodeBase32,
  encodeBase32,
  generateTotpSecret,
  hotp,
  TOTP_STEP_MS,
  totpAt,
  totpStep,
  totpUri,
  verifyTotp,
} from './totp.js';

const RFC_SECRET = encodeBase32(Buffer.from('12345678901234567890'));

describe('base32 (RFC 4648 section 10 vectors)', () => {
  it.each([
    ['', '', ''],
    ['f', 'MY', 'MY======'],
    ['fo', 'MZXQ', 'MZXQ===='],
    ['foo', 'MZXW6', 'MZXW6==='],
    ['foob', 'MZXW6YQ', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI', 'MZXW6YTBOI======'],
  ])('%j <-> %s', (plain, encoded, padded) => {
    expect(encodeBase32(Buffer.from(plain))).toBe(encoded);
    expect(decodeBase32(padded).toString()).toBe(plain);
    expect(decodeBase32(encoded.toLowerCase()).toString()).toBe(plain);
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeBase32(encodeBase32(bytes)).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('ignores spaces and hyphens, refuses strangers and impossible lengths', () => {
    expect(decodeBase32('mzxw 6ytb-oi').toString()).toBe('foobar');
    expect(() => decodeBase32('MZXW1')).toThrow(Base32Error);
    expect(() => decodeBase32('M')).toThrow(Base32Error);
    expect(() => decodeBase32('MZX')).toThrow(Base32Error);
  });

  it('encodes the RFC 6238 seed as expected', () => {
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });
});

describe('TOTP (RFC 6238 appendix B, SHA1)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('T=%i s -> %s', (seconds, expected) => {
    expect(totpAt(RFC_SECRET, seconds * 1000, 8)).toBe(expected);
    expect(totpAt(RFC_SECRET, seconds * 1000)).toBe(expected.slice(2));
  });

  it('HOTP matches RFC 4226 appendix D', () => {
    const key = Buffer.from('12345678901234567890');
    expect([0, 1, 2, 3, 9].map((counter) => hotp(key, counter))).toEqual([
      '755224',
      '287082',
      '359152',
      '969429',
      '520489',
    ]);
  });
});

describe('verifyTotp', () => {
  const now = 1_111_111_111_000;
  const step = totpStep(now);
  const codeAt = (offsetSteps: number) => totpAt(RFC_SECRET, now + offsetSteps * TOTP_STEP_MS);

  it('accepts the current code and returns its step', () => {
    expect(verifyTotp(RFC_SECRET, codeAt(0), now)).toEqual({ ok: true, step });
    expect(verifyTotp(RFC_SECRET, `${codeAt(0).slice(0, 3)} ${codeAt(0).slice(3)}`, now)).toEqual({
      ok: true,
      step,
    });
  });

  it('accepts one step of drift either way, not two or three', () => {
    expect(verifyTotp(RFC_SECRET, codeAt(-1), now)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(RFC_SECRET, codeAt(1), now)).toEqual({ ok: true, step: step + 1 });
    expect(verifyTotp(RFC_SECRET, codeAt(-2), now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyTotp(RFC_SECRET, codeAt(-3), now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyTotp(RFC_SECRET, codeAt(2), now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('never accepts a used step again, nor an older one', () => {
    const first = verifyTotp(RFC_SECRET, codeAt(0), now);
    expect(first.ok).toBe(true);
    const used = first.ok ? first.step : -1;
    expect(verifyTotp(RFC_SECRET, codeAt(0), now, used)).toEqual({ ok: false, reason: 'replayed' });
    expect(verifyTotp(RFC_SECRET, codeAt(0), now + TOTP_STEP_MS, used)).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect(verifyTotp(RFC_SECRET, codeAt(-1), now, used)).toEqual({ ok: false, reason: 'replayed' });
    expect(verifyTotp(RFC_SECRET, codeAt(1), now, used)).toEqual({ ok: true, step: step + 1 });
  });

  it('refuses malformed codes and unusable secrets', () => {
    for (const code of ['', '12345', '1234567', 'abcdef', '12345a']) {
      expect(verifyTotp(RFC_SECRET, code, now)).toEqual({ ok: false, reason: 'malformed_code' });
    }
    expect(verifyTotp('not base32!', '123456', now)).toEqual({ ok: false, reason: 'invalid_secret' });
    expect(verifyTotp('MZXW6YTB', '123456', now)).toEqual({ ok: false, reason: 'invalid_secret' });
  });

  it('works with a generated secret at any moment', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    fc.assert(
      fc.property(fc.integer({ min: TOTP_STEP_MS, max: 4_000_000_000_000 }), (moment) => {
        const result = verifyTotp(secret, totpAt(secret, moment), moment);
        // A neighbouring step may share the code (one in a million); the newest match is reported.
        expect(result.ok && result.step >= totpStep(moment) && result.step <= totpStep(moment) + 1).toBe(
          true,
        );
      }),
    );
  });
});

describe('totpUri', () => {
  it('builds an otpauth URI authenticator apps understand', () => {
    const uri = new URL(totpUri('GEZDGNBVGY3TQOJQ', 'admin@aiport.id', 'AIport Admin'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/AIport Admin:admin@aiport.id');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: 'GEZDGNBVGY3TQOJQ',
      issuer: 'AIport Admin',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
    expect(uri.toString()).not.toContain('+');
  });
});
