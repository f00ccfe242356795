import { isCoreError } from '../../core/errors.js';
import type { Messages } from './i18n/index.js';

/**
 * The short localized message a bot user sees for a failure, saying what to do next.
 * Reads the structured details core attaches (`needed_mrp`, `balance_mrp`, `retry_after_s`,
 * `model`); anything that is not a CoreError, and our own or upstream faults, become the
 * "generation failed, you were not charged" message (failures are never billed), naming the
 * medium when `medium` says the request was for an image or a video.
 */
export function errorMessage(error: unknown, messages: Messages, medium?: 'image' | 'video'): string {
  // A failed image or video says which it was ("Video gagal dibuat..."), not "the answer".
  const failed = () => (medium ? messages.mediaFailed({ kind: medium }) : messages.generationFailed());
  if (!isCoreError(error)) return failed();
  const details = error.details;
  switch (error.code) {
    case 'insufficient_balance':
      return messages.insufficientBalance({
        neededMrp: toMrp(details['needed_mrp']),
        // The ledger and the gateway report what is available to spend as `available_mrp`.
        balanceMrp: toMrp(details['balance_mrp'] ?? details['available_mrp']),
      });
    case 'rate_limited':
      return messages.rateLimited({ retryAfterS: toSeconds(details['retry_after_s']) });
    case 'model_not_found':
    case 'upstream_unavailable':
      return messages.modelUnavailable({
        model: typeof details['model'] === 'string' ? details['model'] : undefined,
      });
    case 'content_refused':
      return messages.contentRefused();
    case 'payload_too_large':
      return messages.inputTooLong();
    case 'account_suspended':
      return messages.accountSuspended();
    case 'invalid_request':
      return details['reason'] === 'context_length_exceeded'
        ? messages.inputTooLong()
        : messages.invalidRequest();
    case 'unauthorized':
    case 'forbidden':
    case 'not_found':
    case 'conflict':
    case 'idempotency_conflict':
    case 'key_limit_reached':
      return messages.invalidRequest();
    case 'upstream_error':
    case 'internal':
      return failed();
  }
}

function toMrp(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  return undefined;
}

function toSeconds(value: unknown): number | undefined {
  const seconds = typeof value === 'string' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/**
 * Failures that tell something about the person's account (their balance, a suspension): shown
 * to them alone, never in a group.
 */
export function revealsAccount(error: unknown): boolean {
  return isCoreError(error) && (error.code === 'insufficient_balance' || error.code === 'account_suspended');
}
