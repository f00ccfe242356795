import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface WebAsset {
  body: Buffer;
  gzip: Buffer;
  type: string;
}

/** The bundled web app: hashed files under /assets/, and the page that loads them. */
export interface WebAssets {
  files: Map<string, WebAsset>;
  index: string;
}

/**
 * Serves the web app: `/` is the page (never cached, so a new release is picked up at once), the
 * hashed `/assets/*` files are cached for a year and sent gzipped to browsers that accept it. The
 * page carries the strict HTML Content-Security-Policy of the security-headers plugin.
 */
async function webAppPlugin(app: FastifyInstance, options: { assets: WebAssets }): Promise<void> {
  const { files, index } = options.assets;

  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(index),
  );

  app.get('/assets/*', { schema: { hide: true } }, async (request, reply) => {
    const file = files.get(request.url.split('?')[0] ?? '');
    if (!file) return reply.code(404).type('text/plain').send('Not found');
    reply
      .type(file.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', 'accept-encoding');
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      return reply.header('content-encoding', 'gzip').send(file.gzip);
    }
    return reply.send(file.body);
  });
}

export default fp(webAppPlugin, { name: 'web-app' });
