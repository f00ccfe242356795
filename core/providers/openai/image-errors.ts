import { contentRefused } from '../media-contract.js';
import { type ProviderError, parseRetryAfterMs, providerErrorFromStatus } from '../shared/errors.js';
import type { HttpResponse } from '../shared/http.js';
import { isObject, str } from '../shared/wire.js';

/** The error codes OpenAI's image endpoints use for safety refusals (HTTP 400). */
const SAFETY_CODES = new Set(['content_policy_violation', 'moderation_blocked']);

/**
 * A non-2xx answer from the image endpoints. Safety refusals become `content_refused` (never billed,
 * never retried); the rest follows the shared status rules, with `x-should-retry` and an exhausted
 * quota taking precedence.
 */
export async function imageErrorFromResponse(res: HttpResponse): Promise<ProviderError> {
  let body: unknown;
  try {
    body = JSON.parse(await res.text());
  } catch {
    body = undefined;
  }
  const error = isObject(body) && isObject(body.error) ? body.error : {};
  const code = str(error.code);
  const type = str(error.type);
  if (
    res.status === 400 &&
    ((code !== undefined && SAFETY_CODES.has(code)) || type === 'image_generation_user_error')
  ) {
    return contentRefused('openai', code ?? type ?? 'safety', res.status);
  }
  const shouldRetry = res.headers['x-should-retry'];
  let retryable: boolean | undefined;
  if (shouldRetry === 'true') retryable = true;
  else if (shouldRetry === 'false') retryable = false;
  else if (type === 'insufficient_quota' || code === 'insufficient_quota') retryable = false;
  return providerErrorFromStatus({
    provider: 'openai',
    status: res.status,
    message: str(error.message),
    upstreamType: code ?? type,
    upstreamCode: code,
    retryAfterMs: parseRetryAfterMs(res.headers),
    retryable,
  });
}
