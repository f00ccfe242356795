import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CatalogModel } from '../../core/catalog/index.js';
import type { Core } from '../../core/core.js';
import { formatIdr } from '../../core/ledger/index.js';
import { mediaTypes } from '../schemas/responses.js';
import { htmlPage } from '../schemas/responses-public.js';
import { pricingResponse } from '../schemas/responses-v1.js';
import { activeProviders, modelView, PROVIDER_NAMES } from '../v1/model-views.js';

/** `format=json` asks for JSON whatever the Accept header says. */
const pricingQuery = z.object({ format: z.enum(['json', 'html']).optional() });

/**
 * `GET /pricing`, public: JSON for programs (`Accept: application/json` or `?format=json`), a readable
 * table for people otherwise. It names the providers that actually serve each model, as the Privacy
 * Policy promises.
 */
export default async function pricingRoute(app: FastifyInstance, opts: { core: Core }) {
  const { catalog } = opts.core;

  app.get(
    '/pricing',
    {
      schema: {
        response: { 200: mediaTypes({ 'application/json': pricingResponse, 'text/html': htmlPage }) },
        summary: 'Models and IDR prices (JSON, or a page for people)',
        querystring: pricingQuery,
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.query as Record<string, unknown>;
      const accept = request.headers.accept ?? '';
      const wantsJson =
        query.format === 'json' || (accept.includes('application/json') && !accept.includes('text/html'));
      reply.header('cache-control', 'public, max-age=300');
      if (wantsJson) {
        return { object: 'list', currency: 'IDR', data: catalog.served.map(modelView) };
      }
      return reply
        .headers({
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy':
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'referrer-policy': 'no-referrer',
        })
        .send(pricingPage(catalog.served));
    },
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function priceText(model: CatalogModel): string {
  switch (model.kind) {
    case 'chat': {
      const cached =
        model.price.cachedInputPerMTokMrp === undefined
          ? ''
          : `<br>cached input ${formatIdr(model.price.cachedInputPerMTokMrp)}`;
      const writes =
        model.price.cacheWritePerMTokMrp === undefined
          ? ''
          : `<br>cache write ${formatIdr(model.price.cacheWritePerMTokMrp)}${
              model.price.cacheWrite1hPerMTokMrp === undefined
                ? ''
                : ` (1 hour: ${formatIdr(model.price.cacheWrite1hPerMTokMrp)})`
            }`;
      return `input ${formatIdr(model.price.inputPerMTokMrp)}<br>output ${formatIdr(model.price.outputPerMTokMrp)}${cached}${writes}<br><small>per 1 million tokens</small>`;
    }
    case 'embedding':
      return `input ${formatIdr(model.price.inputPerMTokMrp)}<br><small>per 1 million tokens</small>`;
    case 'image':
      return `${formatIdr(model.price.perImageMrp)} per image`;
    case 'video':
      return `${formatIdr(model.price.perVideoSecondMrp)} per second of video`;
    case 'transcription':
      return `${formatIdr(model.price.perAudioSecondMrp)} per second of audio`;
  }
}

const KIND_NAMES = {
  chat: 'Chat',
  embedding: 'Embedding',
  image: 'Image',
  video: 'Video',
  transcription: 'Speech to text',
} as const;

function pricingPage(models: CatalogModel[]): string {
  const rows = models
    .map(
      (m) => `<tr><td><strong>${escapeHtml(m.name)}</strong><br><code>${escapeHtml(m.id)}</code></td>
<td>${KIND_NAMES[m.kind]}</td><td>${priceText(m)}</td>
<td>${activeProviders(m)
        .map((p) => escapeHtml(PROVIDER_NAMES[p] ?? p))
        .join(', ')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>AIport: harga / pricing</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f5f5f5}code{font-size:.85em;color:#555}</style></head>
<body><h1>AIport pricing</h1>
<p>Prices in Indonesian rupiah, charged from your prepaid balance for what each request actually uses.
Requests refused by a provider for safety, and failed requests, are not charged.
The last column names the companies that process requests for each model.</p>
<table><thead><tr><th>Model</th><th>Kind</th><th>Price</th><th>Processed by</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p><small>Machine-readable: <code>GET /pricing?format=json</code></small></p>
</body></html>`;
}
