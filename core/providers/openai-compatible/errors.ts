import type { ProviderError } from '../shared/errors.js';
import { parseRetryAfterMs, providerErrorFromStatus } from '../shared/errors.js';
import type { HttpResponse } from '../shared/http.js';
import { isObject, str } from '../shared/wire.js';
import type { OpenAICompatibleVendor } from './vendor.js';

/**
 * Turns a non-2xx response into a ProviderError. Body: `{"error":{"message","type","param","code"}}`
 * (`code` may be a string or a number). `x-should-retry` is the upstream's explicit word and wins.
 */
export async function errorFromResponse(
  vendor: Pick<OpenAICompatibleVendor, 'id' | 'nonRetryableErrorTypes'>,
  res: HttpResponse,
): Promise<ProviderError> {
  let body: unknown;
  try {
    body = JSON.parse(await res.text());
  } catch {
    body = undefined;
  }
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  const type = str(error?.type) ?? (typeof error?.code === 'string' ? error.code : undefined);
  const shouldRetry = res.headers['x-should-retry'];
  let retryable: boolean | undefined;
  if (shouldRetry === 'true') retryable = true;
  else if (shouldRetry === 'false') retryable = false;
  else if (type !== undefined && vendor.nonRetryableErrorTypes?.includes(type)) retryable = false;
  const code = str(error?.code);
  const refused = code !== undefined && CONTENT_REFUSAL_CODES.has(code);
  return providerErrorFromStatus({
    provider: vendor.id,
    status: res.status,
    message: str(error?.message),
    upstreamType: type,
    upstreamCode: code,
    retryAfterMs: parseRetryAfterMs(res.headers),
    retryable: refused ? false : retryable,
    ...(refused ? { code: 'content_refused' as const } : {}),
  });
}

/** Error codes with which a prompt is refused up front by a moderation filter (not billed, not retried). */
const CONTENT_REFUSAL_CODES: ReadonlySet<string> = new Set(['content_policy_violation', 'content_filter']);

/** An `{"error": ...}` object sent inside a 200 stream: the upstream failed after the headers. */
export function errorFromStreamEvent(vendor: OpenAICompatibleVendor, error: unknown): ProviderError {
  const obj = isObject(error) ? error : {};
  const status = typeof obj.code === 'number' && obj.code >= 400 ? obj.code : 500;
  return providerErrorFromStatus({
    provider: vendor.id,
    status,
    message: str(obj.message) ?? 'error event in stream',
    upstreamType: str(obj.type),
    upstreamCode: str(obj.code),
  });
}
