import { createHash, timingSafeEqual } from 'node:crypto';

/** The header Telegram sends on every webhook POST when `setWebhook` was given a `secret_token`. */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * Checks `X-Telegram-Bot-Api-Secret-Token` against the configured secret in constant time
 * (both sides hashed first, so their lengths leak nothing). Fails closed when the secret is
 * unset or empty: an endpoint without a secret accepts nothing.
 */
export function verifyTelegramSecret(
  expected: string | undefined,
  received: string | string[] | undefined,
): boolean {
  if (!expected) return false;
  if (typeof received !== 'string' || received === '') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(received).digest();
  return timingSafeEqual(a, b);
}
