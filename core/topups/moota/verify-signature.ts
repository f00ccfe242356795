import { createHmac, timingSafeEqual } from 'node:crypto';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Checks Moota's `Signature` header: lowercase hex HMAC-SHA256 of the exact raw request bytes,
 * keyed with the webhook's secret token. Fails closed: an unset or empty secret, a missing header
 * or one that is not 64 lowercase hex characters all return false. Moota sends no timestamp, so
 * replays are stopped by deduplicating on `mutation_id`, not here.
 */
export function verifyMootaSignature(
  rawBody: Buffer,
  signatureHeader: string | undefined,
  secret: string | undefined,
): boolean {
  if (!secret || typeof signatureHeader !== 'string') return false;
  const received = signatureHeader.trim();
  if (!SHA256_HEX.test(received)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(received, 'hex'));
}
