import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface DiscordSignedRequest {
  /** The exact bytes received. */
  rawBody: Buffer | string;
  /** `X-Signature-Ed25519`, hex. */
  signature: string | undefined;
  /** `X-Signature-Timestamp`. */
  timestamp: string | undefined;
}

/** Verifies one request; returns false for anything malformed. */
export type DiscordVerifier = (request: DiscordSignedRequest) => boolean;

/**
 * Builds a verifier for the application's public key (hex, as the Developer Portal shows it).
 * Discord signs `timestamp + raw body` with Ed25519. A missing, empty or malformed key yields a
 * verifier that refuses everything, so an unconfigured endpoint fails closed.
 */
export function createDiscordVerifier(publicKeyHex: string | undefined): DiscordVerifier {
  const key = publicKeyFromHex(publicKeyHex);
  if (!key) return () => false;
  return (request) => {
    const { signature, timestamp } = request;
    if (!signature || !timestamp || !/^[0-9a-fA-F]{128}$/.test(signature)) return false;
    const rawBody = typeof request.rawBody === 'string' ? Buffer.from(request.rawBody) : request.rawBody;
    const message = Buffer.concat([Buffer.from(timestamp), rawBody]);
    try {
      return verify(null, message, key, Buffer.from(signature, 'hex'));
    } catch {
      return false;
    }
  };
}

export function verifyDiscordSignature(
  publicKeyHex: string | undefined,
  request: DiscordSignedRequest,
): boolean {
  return createDiscordVerifier(publicKeyHex)(request);
}

function publicKeyFromHex(hex: string | undefined): KeyObject | undefined {
  if (!hex || !/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
  try {
    return createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]),
      format: 'der',
      type: 'spki',
    });
  } catch {
    return undefined;
  }
}
