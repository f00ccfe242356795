import type { FastifyReply } from 'fastify';
import { isCoreError } from '../../core/errors.js';
import type { RateLimitSummary } from '../../core/ratelimit/index.js';
import { type MappedError, mapError, openAiErrorBody } from '../plugins/errors.js';

/**
 * Errors of the model routes, in both dialects, with the headers rate-limited clients need
 * (`retry-after`, OpenAI's `x-ratelimit-*`).
 */

export function rateLimitHeaders(summary: RateLimitSummary | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (summary?.requests) {
    headers['x-ratelimit-limit-requests'] = String(summary.requests.limit);
    headers['x-ratelimit-remaining-requests'] = String(summary.requests.remaining);
    headers['x-ratelimit-reset-requests'] = `${Math.ceil(summary.requests.resetMs / 1000)}s`;
  }
  if (summary?.tokens) {
    headers['x-ratelimit-limit-tokens'] = String(summary.tokens.limit);
    headers['x-ratelimit-remaining-tokens'] = String(summary.tokens.remaining);
    headers['x-ratelimit-reset-tokens'] = `${Math.ceil(summary.tokens.resetMs / 1000)}s`;
  }
  return headers;
}

function headersFor(error: unknown): Record<string, string> {
  if (!isCoreError(error) || error.code !== 'rate_limited') return {};
  const headers = rateLimitHeaders(error.details.rate_limit as RateLimitSummary | undefined);
  const seconds = error.details.retry_after_s;
  if (typeof seconds === 'number') {
    headers['retry-after'] = String(Math.max(1, Math.ceil(seconds)));
    // The OpenAI and Anthropic SDKs prefer the exact wait when it is given.
    headers['retry-after-ms'] = String(Math.max(0, Math.ceil(seconds * 1000)));
  }
  return headers;
}

export function sendOpenAiError(reply: FastifyReply, error: unknown): FastifyReply {
  const mapped = mapError(error);
  logIfServerError(reply, mapped, error);
  return reply.status(mapped.status).headers(headersFor(error)).send(openAiErrorBody(mapped));
}

const ANTHROPIC_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
  503: 'overloaded_error',
  504: 'timeout_error',
};

export function anthropicErrorBody(mapped: MappedError, requestId?: string) {
  return {
    type: 'error',
    error: {
      type: ANTHROPIC_TYPE[mapped.status] ?? (mapped.status >= 500 ? 'api_error' : 'invalid_request_error'),
      message: mapped.message,
    },
    ...(requestId ? { request_id: requestId } : {}),
  };
}

export function sendAnthropicError(reply: FastifyReply, error: unknown): FastifyReply {
  const mapped = mapError(error);
  logIfServerError(reply, mapped, error);
  return reply
    .status(mapped.status)
    .headers(headersFor(error))
    .send(anthropicErrorBody(mapped, String(reply.request.id)));
}

/** The body of an error event inside an OpenAI stream (the SDKs raise it as an APIError). */
export function openAiStreamError(error: unknown) {
  return openAiErrorBody(mapError(error));
}

function logIfServerError(reply: FastifyReply, mapped: MappedError, error: unknown): void {
  if (mapped.status >= 500) reply.log.error({ err: error }, 'model request failed');
  else reply.log.info({ code: mapped.code, status: mapped.status }, 'model request refused');
}
