import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CoreError } from '../../core/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes received, for signature checks (webhooks verify these, never a re-serialization). */
    rawBody?: Buffer;
  }
}

/**
 * JSON and form bodies are read as bytes first, kept on `request.rawBody`, then parsed. Webhook
 * signatures are computed over exactly these bytes.
 */
async function rawBodyPlugin(app: FastifyInstance): Promise<void> {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'buffer' },
    (request, body: Buffer, done) => {
      request.rawBody = body;
      if (body.length === 0) return done(null, undefined);
      const text = body.toString('utf8');
      if (request.headers['content-type']?.startsWith('text/plain')) return done(null, text);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(new CoreError('invalid_request', 'The request body is not valid JSON'), undefined);
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
