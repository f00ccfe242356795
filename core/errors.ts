/**
 * The one error type the domain raises. Shells map `code` to their own vocabulary:
 * the API to an HTTP status and an OpenAI-shaped body, the bots to a localized message,
 * the workers to a retry or an unrecoverable failure.
 */
export type CoreErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'model_not_found'
  | 'conflict'
  | 'idempotency_conflict'
  | 'insufficient_balance'
  /** An API key's own spend limit (total or per period) has no room for the request. */
  | 'key_limit_reached'
  | 'rate_limited'
  | 'content_refused'
  | 'upstream_unavailable'
  | 'upstream_error'
  | 'account_suspended'
  | 'payload_too_large'
  | 'internal';

export interface CoreErrorOptions {
  retryable?: boolean;
  /** Structured facts for the shells (e.g. `{ balance_mrp, needed_mrp }`); never secrets or prompts. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<CoreErrorCode> = new Set(['rate_limited', 'upstream_unavailable']);

export class CoreError extends Error {
  readonly code: CoreErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: CoreErrorCode, message: string, options: CoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CoreError';
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.details = options.details ?? {};
  }
}

export function isCoreError(value: unknown): value is CoreError {
  return value instanceof CoreError;
}
