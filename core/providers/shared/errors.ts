import { CoreError, type CoreErrorCode } from '../../errors.js';

/**
 * An upstream call failed. `retryable` answers one question for the router: may the same request be
 * tried again (on this route later, or on the next route) without the caller changing anything?
 * Messages carry the upstream's error text (never prompts, outputs or keys).
 */
export class ProviderError extends CoreError {
  readonly provider: string;
  /** Upstream HTTP status, absent for network failures and timeouts. */
  readonly status: number | undefined;
  /** The wait the upstream asked for (retry-after-ms / retry-after), when it said one. */
  readonly retryAfterMs: number | undefined;
  /**
   * The upstream's own machine-readable reason, in its wording (OpenAI `error.code`, Anthropic
   * `error.details.error_code`, Gemini `ErrorInfo.reason`, RunningHub's code name). The failover
   * table (routing/failover) reads it.
   */
  readonly upstreamCode: string | undefined;

  constructor(
    code: CoreErrorCode,
    message: string,
    options: {
      provider: string;
      status?: number;
      retryable?: boolean;
      retryAfterMs?: number;
      upstreamType?: string;
      upstreamCode?: string;
      cause?: unknown;
    },
  ) {
    super(code, message, {
      retryable: options.retryable,
      cause: options.cause,
      details: {
        provider: options.provider,
        ...(options.status === undefined ? {} : { status: options.status }),
        ...(options.upstreamType === undefined ? {} : { upstream_type: options.upstreamType }),
        ...(options.upstreamCode === undefined ? {} : { upstream_code: options.upstreamCode }),
        ...(options.retryAfterMs === undefined ? {} : { retry_after_ms: options.retryAfterMs }),
      },
    });
    this.name = 'ProviderError';
    this.provider = options.provider;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamCode = options.upstreamCode;
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}

/** Retryable: 408, 409, 429 and every 5xx (529 included). Every other 4xx needs the request changed. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The CoreError code an upstream HTTP status means for our callers. */
export function codeForStatus(status: number): CoreErrorCode {
  if (status === 429) return 'rate_limited';
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 413) return 'payload_too_large';
  if (isRetryableStatus(status)) return 'upstream_unavailable';
  return 'upstream_error';
}

export interface StatusErrorInput {
  provider: string;
  status: number;
  /** The upstream's own error message, if its body had one. */
  message?: string;
  /** The upstream's error type/status string (e.g. `overloaded_error`, `RESOURCE_EXHAUSTED`). */
  upstreamType?: string;
  /** The upstream's machine-readable reason (see ProviderError.upstreamCode). */
  upstreamCode?: string;
  retryAfterMs?: number;
  /** A vendor rule that knows better than the status (e.g. a spend cap sent as 429). */
  retryable?: boolean;
  /** A vendor rule that knows better than the status (e.g. Gemini's bad key sent as 400). */
  code?: CoreErrorCode;
}

export function providerErrorFromStatus(input: StatusErrorInput): ProviderError {
  const retryable = input.retryable ?? isRetryableStatus(input.status);
  const code = input.code ?? codeForStatus(input.status);
  const message = `${input.provider} returned HTTP ${input.status}${input.message ? `: ${input.message}` : ''}`;
  return new ProviderError(code === 'rate_limited' && !retryable ? 'upstream_error' : code, message, {
    provider: input.provider,
    status: input.status,
    retryable,
    retryAfterMs: input.retryAfterMs,
    upstreamType: input.upstreamType,
    upstreamCode: input.upstreamCode,
  });
}

/** A network failure, timeout or a stream that ended before its end marker: always worth a retry. */
export function providerNetworkError(provider: string, message: string, cause?: unknown): ProviderError {
  return new ProviderError('upstream_unavailable', `${provider}: ${message}`, {
    provider,
    retryable: true,
    cause,
  });
}

/** The upstream answered 2xx with something we cannot understand. Retrying may get a good answer. */
export function providerProtocolError(provider: string, message: string, cause?: unknown): ProviderError {
  return new ProviderError('upstream_error', `${provider}: ${message}`, { provider, retryable: true, cause });
}

/**
 * Reads `retry-after-ms` first, then `retry-after` (seconds or an HTTP date), as the vendors' SDKs do.
 * `now` is injected so the HTTP-date form stays testable.
 */
export function parseRetryAfterMs(
  headers: Record<string, string | undefined>,
  now: () => number = Date.now,
): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined) {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const after = headers['retry-after'];
  if (after === undefined || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now());
}
