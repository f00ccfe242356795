import { Readable } from 'node:stream';
import { Agent, type Dispatcher, request as undiciRequest } from 'undici';
import { ProviderError, providerNetworkError, providerProtocolError } from './errors.js';
import type { JsonChunks } from './json-slices.js';

/**
 * One pooled HTTP client for every upstream. Timeouts, all in milliseconds:
 * - connect: TCP + TLS handshake;
 * - headers (first byte): from the request being sent until the response headers arrive;
 * - body (idle): the longest gap between two body chunks, so a stream that stalls fails even though
 *   the connection stays open.
 * Network failures and timeouts reject with a retryable `ProviderError` (`upstream_unavailable`),
 * both when the request is made and while the body is read. A caller's own abort is not turned into
 * a ProviderError: it rejects with the signal's reason, so the caller can tell "I stopped" from
 * "upstream failed".
 */
export interface HttpClientOptions {
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Connections kept per origin. */
  connectionsPerOrigin?: number;
  keepAliveTimeoutMs?: number;
}

export interface HttpRequestInit {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  headers?: Record<string, string>;
  /** Chunks are written one by one with their total as `content-length` (never joined). */
  body?: string | Uint8Array | JsonChunks;
  signal?: AbortSignal;
  /** Names the upstream in errors (e.g. 'openai'). */
  provider?: string;
  /** Per-request overrides, e.g. a longer first-byte wait for image generation. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ', '. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as bytes; read it once, by one of body / json() / text() / bytes(). */
  readonly body: AsyncIterable<Uint8Array>;
  json(): Promise<unknown>;
  text(): Promise<string>;
  bytes(): Promise<Uint8Array>;
  /** Throws the body away so the connection can be reused. Never rejects. */
  discard(): Promise<void>;
}

export interface HttpClient {
  request(url: string, init?: HttpRequestInit): Promise<HttpResponse>;
  close(): Promise<void>;
}

export const DEFAULT_HTTP_TIMEOUTS = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 120_000,
  bodyTimeoutMs: 60_000,
} as const;

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const agent = new Agent({
    connect: { timeout: options.connectTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.connectTimeoutMs },
    headersTimeout: options.headersTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.bodyTimeoutMs,
    connections: options.connectionsPerOrigin ?? 64,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
  });

  return {
    async request(url, init = {}) {
      const provider = init.provider ?? 'upstream';
      let raw: Dispatcher.ResponseData;
      const chunked = isChunks(init.body);
      try {
        raw = await undiciRequest(url, {
          dispatcher: agent,
          method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
          headers: chunked ? { ...init.headers, 'content-length': String(chunked.byteLength) } : init.headers,
          body: chunked
            ? Readable.from(chunked.chunks, { objectMode: false })
            : (init.body as string | Uint8Array | undefined),
          signal: init.signal,
          ...(init.headersTimeoutMs === undefined ? {} : { headersTimeout: init.headersTimeoutMs }),
          ...(init.bodyTimeoutMs === undefined ? {} : { bodyTimeout: init.bodyTimeoutMs }),
        });
      } catch (error) {
        throw translateNetworkError(provider, error, init.signal);
      }
      return wrapResponse(provider, raw, init.signal);
    },
    async close() {
      await agent.close();
    },
  };
}

function isChunks(body: HttpRequestInit['body']): JsonChunks | undefined {
  return body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array) ? body : undefined;
}

function wrapResponse(provider: string, raw: Dispatcher.ResponseData, signal?: AbortSignal): HttpResponse {
  const headers = flattenHeaders(raw.headers);
  const body = raw.body;
  const fail = (error: unknown) => translateNetworkError(provider, error, signal);

  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body) yield chunk as Uint8Array;
    } catch (error) {
      throw fail(error);
    } finally {
      if (!body.destroyed) body.destroy();
    }
  }

  return {
    status: raw.statusCode,
    headers,
    body: { [Symbol.asyncIterator]: chunks },
    async json() {
      let text: string;
      try {
        text = await body.text();
      } catch (error) {
        throw fail(error);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw providerProtocolError(provider, `HTTP ${raw.statusCode} body is not JSON`, error);
      }
    },
    async text() {
      try {
        return await body.text();
      } catch (error) {
        throw fail(error);
      }
    },
    async bytes() {
      try {
        return new Uint8Array(await body.arrayBuffer());
      } catch (error) {
        throw fail(error);
      }
    },
    async discard() {
      try {
        await body.dump();
      } catch {
        // Nothing to keep: the caller already decided this body is worthless.
      }
    },
  };
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const TIMEOUT_MESSAGES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time (first-byte timeout)',
  UND_ERR_BODY_TIMEOUT: 'response body stalled (idle timeout)',
};

function translateNetworkError(provider: string, error: unknown, signal?: AbortSignal): unknown {
  if (error instanceof ProviderError) return error;
  if (signal?.aborted) return signal.reason ?? error;
  const code = (error as { code?: unknown } | null)?.code;
  const text =
    typeof code === 'string' ? (TIMEOUT_MESSAGES[code] ?? `network error (${code})`) : 'network error';
  return providerNetworkError(provider, text, error);
}
