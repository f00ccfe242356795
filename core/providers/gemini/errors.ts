import type { ProviderError } from '../shared/errors.js';
import { parseRetryAfterMs, providerErrorFromStatus } from '../shared/errors.js';
import type { HttpResponse } from '../shared/http.js';
import { isObject, type JsonObject, str } from '../shared/wire.js';

/**
 * Gemini errors: `{"error":{"code","message","status","details":[...]}}`. The wait comes from the
 * header if any, else from a `google.rpc.RetryInfo` detail (`retryDelay: "34.4s"`). A bad API key is
 * answered 400 (`API_KEY_INVALID`): that is our configuration, not the caller's request, so it is
 * reported as `upstream_error`.
 */
export async function errorFromResponse(res: HttpResponse): Promise<ProviderError> {
  let body: unknown;
  try {
    body = JSON.parse(await res.text());
  } catch {
    body = undefined;
  }
  const error = isObject(body) && isObject(body.error) ? body.error : {};
  return errorFromBody(res.status, error, parseRetryAfterMs(res.headers));
}

export function errorFromBody(status: number, error: JsonObject, retryAfterMs?: number): ProviderError {
  const details = Array.isArray(error.details) ? error.details.filter(isObject) : [];
  const reason = details.map((d) => str(d.reason)).find((r) => r !== undefined);
  const badKey = reason === 'API_KEY_INVALID';
  return providerErrorFromStatus({
    provider: 'gemini',
    status,
    message: str(error.message),
    upstreamType: str(error.status),
    upstreamCode: reason,
    retryAfterMs: retryAfterMs ?? retryDelayMs(details),
    ...(badKey ? { code: 'upstream_error' as const } : {}),
  });
}

function retryDelayMs(details: JsonObject[]): number | undefined {
  for (const detail of details) {
    if (!str(detail['@type'])?.endsWith('google.rpc.RetryInfo')) continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(str(detail.retryDelay) ?? '');
    if (match) return Math.round(Number(match[1]) * 1000);
  }
  return undefined;
}

/** An `{"error":...}` object arriving as a stream chunk. */
export function errorFromStreamChunk(error: unknown): ProviderError {
  const obj = isObject(error) ? error : {};
  const status = typeof obj.code === 'number' && obj.code >= 400 ? obj.code : 500;
  return errorFromBody(status, obj);
}
