import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { CoreError } from '../../core/errors.js';
import { JsonBodyError, JsonParsePool } from './json-parse-pool.js';

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

const NOT_JSON = 'The request body is not valid JSON';

/**
 * JSON and form bodies are read as bytes first, kept on `request.rawBody`, then parsed. Webhook
 * signatures are computed over exactly these bytes. Large JSON bodies are parsed off the event loop
 * (json-parse-pool.ts).
 */
async function rawBodyPlugin(app: FastifyInstance): Promise<void> {
  const pool = new JsonParsePool(MAX_JSON_VALUES);
  app.addHook('onClose', () => pool.close());
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'buffer' },
    async (request: FastifyRequest, body: Buffer) => {
      request.rawBody = body;
      if (body.length === 0) return undefined;
      if (request.headers['content-type']?.startsWith('text/plain')) return body.toString('utf8');
      if (body.length >= OFF_LOOP_JSON_BYTES) {
        try {
          return await pool.parse(body);
        } catch (error) {
          if (!(error instanceof JsonBodyError)) throw error;
          if (error.reason === 'too_many_values') {
            throw new CoreError(
              'payload_too_large',
              `The request body has too many items: at most ${MAX_JSON_VALUES.toLocaleString('en')} JSON values are accepted`,
            );
          }
          throw new CoreError(
            'invalid_request',
            error.reason === 'too_deep' ? 'The request body is nested too deeply' : NOT_JSON,
          );
        }
      }
      try {
        return JSON.parse(body.toString('utf8'));
      } catch {
        throw new CoreError('invalid_request', NOT_JSON);
      }
    },
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
