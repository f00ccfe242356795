import { describe, expect, it } from 'vitest';
import { DiscordInbound } from '../../test/fakes/discord.js';
import { createDiscordVerifier, verifyDiscordSignature } from './verify-signature.js';

const discord = new DiscordInbound('http://unused');
const body = JSON.stringify({ type: 1, id: '1', token: 't', version: 1 });

function signed(rawBody: string, timestamp = '1800000000') {
  const headers = discord.headers(rawBody, { timestamp });
  return { rawBody, timestamp: headers['x-signature-timestamp'], signature: headers['x-signature-ed25519'] };
}

describe('Discord Ed25519 verification', () => {
  it('accepts a request signed with the application key', () => {
    const verify = createDiscordVerifier(discord.publicKeyHex);
    expect(verify(signed(body))).toBe(true);
    expect(verify({ ...signed(body), rawBody: Buffer.from(body) })).toBe(true);
  });

  it('refuses a tampered body, a changed timestamp and another key', () => {
    const request = signed(body);
    expect(verifyDiscordSignature(discord.publicKeyHex, { ...request, rawBody: `${body} ` })).toBe(false);
    expect(verifyDiscordSignature(discord.publicKeyHex, { ...request, timestamp: '1800000001' })).toBe(false);
    const other = new DiscordInbound('http://unused');
    expect(verifyDiscordSignature(other.publicKeyHex, request)).toBe(false);
    expect(verifyDiscordSignature(discord.publicKeyHex, { ...request, signature: '00'.repeat(64) })).toBe(
      false,
    );
    expect(verifyDiscordSignature(discord.publicKeyHex, { ...request, signature: 'zz' })).toBe(false);
  });

  it('fails closed when the public key is unset, empty or malformed', () => {
    const request = signed(body);
    expect(verifyDiscordSignature(undefined, request)).toBe(false);
    expect(verifyDiscordSignature('', request)).toBe(false);
    expect(verifyDiscordSignature('abcd', request)).toBe(false);
    expect(verifyDiscordSignature(discord.publicKeyHex, { ...request, signature: undefined })).toBe(false);
  });
});
