import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

const production = {
  NODE_ENV: 'production',
  JWT_SECRET: 'x'.repeat(32),
  SMTP_URL: 'smtps://user:pass@smtp.example.com',
  PUBLIC_URL: 'https://aiport.example.com',
};

describe('configuration', () => {
  it('works with no variables at all, using the documented defaults', () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/aiport');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.REDIS_PREFIX).toBe('aiport');
    expect(config.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(config.bankAccounts).toEqual([]);
  });

  it('lists every problem with its variable name in one message', () => {
    expect(() =>
      parseConfig({
        PORT: 'eighty',
        DATABASE_URL: 'nope',
        NODE_ENV: 'production',
        BANK_ACCOUNTS: 'BCA',
        S3_BUCKET: 'b',
      }),
    ).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*BANK_ACCOUNTS: "BCA" is not BANK:NUMBER:HOLDER/);
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required in production/);
    expect(() => parseConfig({ S3_BUCKET: 'b' })).toThrow(/set all three or none/);
    expect(() => parseConfig({ REDIS_PREFIX: 'a b{c}' })).toThrow(/REDIS_PREFIX/);
  });

  it('listens on loopback in development and tests, on every interface in production', () => {
    expect(parseConfig({}).HOST).toBe('127.0.0.1');
    expect(parseConfig({ NODE_ENV: 'test' }).HOST).toBe('127.0.0.1');
    expect(parseConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(parseConfig(production).HOST).toBe('0.0.0.0');
    expect(parseConfig({ PORT: '9000' }).PUBLIC_URL).toBe('http://localhost:9000');
  });

  it('refuses production without its secrets, a real mailer and a public URL', () => {
    expect(parseConfig(production).isProduction).toBe(true);
    for (const name of ['JWT_SECRET', 'SMTP_URL', 'PUBLIC_URL']) {
      expect(() => parseConfig({ ...production, [name]: undefined })).toThrow(
        new RegExp(`${name}: required in production`),
      );
    }
    expect(parseConfig({}).jwtSecretGenerated).toBe(true);
    expect(parseConfig(production).jwtSecretGenerated).toBe(false);
    expect(() => parseConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('believes no forwarding header unless TRUSTED_PROXIES names proxies or hops', () => {
    expect(parseConfig({}).trustedProxies).toBe(false);
    expect(parseConfig({ TRUSTED_PROXIES: '2' }).trustedProxies).toBe(2);
    expect(parseConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => parseConfig({ TRUSTED_PROXIES: 'everyone' })).toThrow(/TRUSTED_PROXIES/);
  });

  it('parses bank accounts', () => {
    const config = parseConfig({
      BANK_ACCOUNTS: 'BCA:1234567890:PT AIport Indonesia; Mandiri:9876543210:PT AIport',
    });
    expect(config.bankAccounts).toEqual([
      { bank: 'BCA', number: '1234567890', holder: 'PT AIport Indonesia' },
      { bank: 'Mandiri', number: '9876543210', holder: 'PT AIport' },
    ]);
  });
});
