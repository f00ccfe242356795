import type { ProviderError } from '../shared/errors.js';
import { parseRetryAfterMs, providerErrorFromStatus } from '../shared/errors.js';
import type { HttpResponse } from '../shared/http.js';
import { isObject, str } from '../shared/wire.js';

/**
 * Anthropic errors: `{"type":"error","error":{"type","message","details"?},"request_id"}`.
 * 529 `overloaded_error` is retryable like any 5xx. A 429 whose `details.error_code` is
 * `enforced_spend_limit_reached` (sent without retry-after) is a monthly spend cap: not retryable.
 */
export async function errorFromResponse(res: HttpResponse): Promise<ProviderError> {
  let body: unknown;
  try {
    body = JSON.parse(await res.text());
  } catch {
    body = undefined;
  }
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  const details = isObject(error?.details) ? error.details : undefined;
  const shouldRetry = res.headers['x-should-retry'];
  let retryable: boolean | undefined;
  if (details?.error_code === 'enforced_spend_limit_reached') retryable = false;
  else if (shouldRetry === 'true') retryable = true;
  else if (shouldRetry === 'false') retryable = false;
  return providerErrorFromStatus({
    provider: 'anthropic',
    status: res.status,
    message: str(error?.message),
    upstreamType: str(error?.type),
    upstreamCode: str(details?.error_code),
    retryAfterMs: parseRetryAfterMs(res.headers),
    retryable,
  });
}

const STATUS_BY_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** An `error` event inside a 200 stream, e.g. `overloaded_error` after some text was sent. */
export function errorFromStreamEvent(data: unknown): ProviderError {
  const error = isObject(data) && isObject(data.error) ? data.error : {};
  const type = str(error.type);
  const details = isObject(error.details) ? error.details : undefined;
  return providerErrorFromStatus({
    provider: 'anthropic',
    status: (type === undefined ? undefined : STATUS_BY_TYPE[type]) ?? 500,
    message: str(error.message) ?? 'error event in stream',
    upstreamType: type,
    upstreamCode: str(details?.error_code),
  });
}
