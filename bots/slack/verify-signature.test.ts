import { describe, expect, it } from 'vitest';
import { SlackInbound } from '../../test/fakes/slack.js';
import { verifySlackSignature } from './verify-signature.js';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const inbound = new SlackInbound(secret, 'http://unused');
const now = 1_800_000_000;
const body = 'token=x&command=%2Fbalance&text=';

function request(rawBody: string, headers: Record<string, string>) {
  return {
    rawBody,
    timestamp: headers['x-slack-request-timestamp'],
    signature: headers['x-slack-signature'],
  };
}

describe('verifySlackSignature', () => {
  it('accepts a request signed as Slack signs it, as a string or as bytes', () => {
    const headers = inbound.headers(body, 'application/x-www-form-urlencoded', { timestamp: now });
    expect(verifySlackSignature(secret, request(body, headers), now)).toEqual({ ok: true });
    const bytes = { ...request(body, headers), rawBody: Buffer.from(body) };
    expect(verifySlackSignature(secret, bytes, now + 299)).toEqual({ ok: true });
  });

  it('refuses a forged signature and a tampered body', () => {
    const headers = inbound.headers(body, 'application/json', { timestamp: now });
    const forged = new SlackInbound('another-secret', 'http://unused').headers(body, 'application/json', {
      timestamp: now,
    });
    expect(verifySlackSignature(secret, request(body, forged), now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifySlackSignature(secret, request(`${body}x`, headers), now)).toMatchObject({ ok: false });
    const truncated = { ...request(body, headers), signature: 'v0=abc' };
    expect(verifySlackSignature(secret, truncated, now)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses replayed (old) and future timestamps beyond five minutes', () => {
    const old = inbound.headers(body, 'application/json', { timestamp: now - 301 });
    expect(verifySlackSignature(secret, request(body, old), now)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    const future = inbound.headers(body, 'application/json', { timestamp: now + 301 });
    expect(verifySlackSignature(secret, request(body, future), now)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  it('fails closed without a secret or headers', () => {
    const headers = inbound.headers(body, 'application/json', { timestamp: now });
    expect(verifySlackSignature('', request(body, headers), now)).toEqual({
      ok: false,
      reason: 'secret_unset',
    });
    expect(verifySlackSignature(undefined, request(body, headers), now)).toMatchObject({ ok: false });
    const bare = { rawBody: body, timestamp: undefined, signature: undefined };
    expect(verifySlackSignature(secret, bare, now)).toEqual({ ok: false, reason: 'missing_headers' });
  });
});
