import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type CoreErrorCode, isCoreError } from '../../core/errors.js';
import { cleanUpstreamText } from '../../core/security/upstream-text.js';
import { BODY_LIMIT_BYTES } from './raw-body.js';

const STATUS: Record<CoreErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  model_not_found: 404,
  conflict: 409,
  idempotency_conflict: 409,
  insufficient_balance: 402,
  key_limit_reached: 402,
  rate_limited: 429,
  content_refused: 400,
  upstream_unavailable: 503,
  upstream_error: 502,
  account_suspended: 403,
  payload_too_large: 413,
  internal: 500,
};

const OPENAI_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'insufficient_balance',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
};

/** Codes whose message may carry an upstream's text: cleaned before a client sees it. */
const UPSTREAM_CODES: ReadonlySet<CoreErrorCode> = new Set([
  'upstream_error',
  'upstream_unavailable',
  'content_refused',
]);

export interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface MappedError {
  status: number;
  code: string;
  message: string;
  param: string | null;
  details: Record<string, unknown>;
}

/**
 * Maps anything thrown to a status and a message people can act on. Internal 5xx messages are
 * hidden (they would only leak internals); upstream text is cleaned of provider names, addresses
 * and anything key-like. The code stays as it was.
 */
export function mapError(error: unknown): MappedError {
  if (isCoreError(error)) {
    const status = STATUS[error.code] ?? 500;
    const fromUpstream = typeof error.details.provider === 'string' || UPSTREAM_CODES.has(error.code);
    return {
      status,
      code: error.code,
      message:
        status >= 500 && error.code === 'internal'
          ? 'Internal server error'
          : fromUpstream
            ? cleanUpstreamText(error.message)
            : error.message,
      param: typeof error.details.param === 'string' ? error.details.param : null,
      details: error.details,
    };
  }
  const fe = error as Partial<FastifyError> & { statusCode?: number };
  if (fe.validation) {
    return {
      status: 400,
      code: 'invalid_request',
      message: fe.message ?? 'Invalid request',
      param: null,
      details: {},
    };
  }
  const status =
    typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500;
  if (status >= 500)
    return { status, code: 'internal', message: 'Internal server error', param: null, details: {} };
  const code =
    status === 413
      ? 'payload_too_large'
      : status === 415
        ? 'unsupported_media_type'
        : status === 404
          ? 'not_found'
          : 'invalid_request';
  return { status, code, message: friendlyFastifyMessage(fe), param: null, details: {} };
}

function friendlyFastifyMessage(error: Partial<FastifyError>): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is not valid JSON';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `The request body is too large: at most ${BODY_LIMIT_BYTES / (1024 * 1024)} MiB is accepted`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported content type';
    default:
      return error.message ?? 'Bad request';
  }
}

/**
 * The OpenAI error shape every non-Anthropic route answers with. `code` is the most specific code
 * known: a wire code set by the route (`previous_response_not_found`) or kept from the upstream's
 * own error (`context_length_exceeded`), else ours.
 */
export function openAiErrorBody(mapped: MappedError): ApiErrorBody {
  return {
    error: {
      message: mapped.message,
      type: OPENAI_TYPE[mapped.status] ?? (mapped.status >= 500 ? 'api_error' : 'invalid_request_error'),
      param: mapped.param,
      code: wireCode(mapped),
    },
  };
}

function wireCode(mapped: MappedError): string {
  const { wire_code: wire, upstream_code: upstream } = mapped.details;
  if (typeof wire === 'string' && wire !== '') return wire;
  if (mapped.status < 500 && typeof upstream === 'string' && /^[a-z0-9_]{1,64}$/.test(upstream))
    return upstream;
  return mapped.code;
}

async function errorsPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = mapError(error);
    if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: mapped.code, status: mapped.status }, 'request refused');
    if (mapped.status === 429 && typeof mapped.details.retry_after_s === 'number') {
      reply.header('retry-after', String(Math.max(1, Math.ceil(mapped.details.retry_after_s))));
    }
    return reply.status(mapped.status).send(openAiErrorBody(mapped));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(
      openAiErrorBody({
        status: 404,
        code: 'not_found',
        message: `No route for ${request.method} ${request.url.split('?')[0]}`,
        param: null,
        details: {},
      }),
    ),
  );
}

export default fp(errorsPlugin, { name: 'errors' });
