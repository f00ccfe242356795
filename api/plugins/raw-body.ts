import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { CoreError } from '../../core/errors.js';
import { JsonBodyError, type JsonBodyStream, JsonParsePool } from './json-parse-pool.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes received, for signature checks (webhooks verify these, never a re-serialization). */
    rawBody?: Buffer;
  }
}

/**
 * The largest request body any route accepts (multipart uploads have their own per-file limits):
 * room for a long conversation with inline images, small enough that one request never buffers
 * more. Larger bodies get 413 before they are parsed.
 */
export const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * Bodies from this size on are parsed on a worker thread: below it parsing takes well under a
 * millisecond, above it (a megabyte prompt takes several, the 10 MiB limit tens) it would stall
 * every other request on this event loop.
 */
export const OFF_LOOP_JSON_BYTES = 64 * 1024;

/**
 * Most values (strings, numbers, objects, ...) a large body may have: far above any real request (a
 * 5,000-turn conversation has ~15,000), low enough that rebuilding the parsed body stays cheap.
 */
export const MAX_JSON_VALUES = 100_000;

/**
 * The most of one body read in one event-loop turn. A fast client fills the socket faster than
 * this thread reads it, and each read lands in new memory (a few milliseconds a megabyte here), so
 * unpaced a turn could take in megabytes of several bodies at once; past this the body waits for
 * the next turn.
 */
export const BODY_BYTES_PER_TURN = 256 * 1024;

const NOT_JSON = 'The request body is not valid JSON';

function bodyTooLarge(limit: number): CoreError {
  return new CoreError(
    'payload_too_large',
    `The request body is too large: at most ${Math.floor(limit / (1024 * 1024))} MiB is accepted`,
  );
}

function parseError(error: unknown): unknown {
  if (!(error instanceof JsonBodyError)) return error;
  if (error.reason === 'too_many_values') {
    return new CoreError(
      'payload_too_large',
      `The request body has too many items: at most ${MAX_JSON_VALUES.toLocaleString('en')} JSON values are accepted`,
    );
  }
  return new CoreError(
    'invalid_request',
    error.reason === 'too_deep' ? 'The request body is nested too deeply' : NOT_JSON,
  );
}

/**
 * Reads a JSON (or text) body as it arrives, within the route's body limit. Small bodies are joined
 * and parsed here; once a body reaches `OFF_LOOP_JSON_BYTES`, its chunks are handed to a parser
 * thread as they come (json-parse-pool.ts: transferred, not copied) and come back whole with the
 * parsed value as `rawBody`, so no step on this thread ever copies or handles the whole body.
 */
export function readBody(
  pool: JsonParsePool,
  request: FastifyRequest,
  payload: NodeJS.ReadableStream,
): Promise<unknown> {
  const limit = request.routeOptions.bodyLimit ?? BODY_LIMIT_BYTES;
  const declared = Number(request.headers['content-length']);
  if (declared > limit) return Promise.reject(bodyTooLarge(limit));
  const text = request.headers['content-type']?.startsWith('text/plain') === true;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let stream: JsonBodyStream | undefined;
    const stop = (error: unknown) => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
      stream?.abort();
      reject(error);
    };
    let thisTurn = 0;
    const onData = (data: Buffer | string) => {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      size += chunk.length;
      thisTurn += chunk.length;
      if (thisTurn >= BODY_BYTES_PER_TURN && !payload.isPaused()) {
        payload.pause();
        setImmediate(() => {
          thisTurn = 0;
          payload.resume();
        });
      }
      if (size > limit) return stop(bodyTooLarge(limit));
      // Chunks written to the parser thread are handed over: the bytes come back with its answer.
      if (stream) return stream.write(chunk);
      chunks.push(chunk);
      if (!text && size >= OFF_LOOP_JSON_BYTES) {
        stream = pool.open();
        for (const early of chunks) stream.write(early);
        chunks.length = 0;
      }
    };
    const onError = (error: Error & { statusCode?: number }) => {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
      stop(error);
    };
    const onEnd = () => {
      payload.removeListener('data', onData);
      payload.removeListener('error', onError);
      if (!Number.isNaN(declared) && size !== declared) {
        stream?.abort();
        return reject(new CoreError('invalid_request', 'The request body size did not match Content-Length'));
      }
      if (stream) {
        const parsed = stream;
        return parsed.end().then(
          (value) => {
            request.rawBody = parsed.bytes();
            resolve(value);
          },
          (error) => reject(parseError(error)),
        );
      }
      const body = Buffer.concat(chunks, size);
      request.rawBody = body;
      if (size === 0) return resolve(undefined);
      if (text) return resolve(body.toString('utf8'));
      try {
        resolve(JSON.parse(body.toString('utf8')));
      } catch {
        reject(new CoreError('invalid_request', NOT_JSON));
      }
    };
    payload.on('data', onData);
    payload.once('end', onEnd);
    payload.once('error', onError);
    payload.resume();
  });
}

/**
 * JSON and form bodies are read as bytes first, kept on `request.rawBody`, then parsed. Webhook
 * signatures are computed over exactly these bytes. Large JSON bodies are parsed off the event loop
 * while they arrive (json-parse-pool.ts).
 */
async function rawBodyPlugin(app: FastifyInstance): Promise<void> {
  const pool = new JsonParsePool(MAX_JSON_VALUES);
  app.addHook('onClose', () => pool.close());
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    (request: FastifyRequest, payload: NodeJS.ReadableStream) => readBody(pool, request, payload),
  );
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (request, body: Buffer, done) => {
      request.rawBody = body;
      done(null, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    },
  );
}

export default fp(rawBodyPlugin, { name: 'raw-body' });
