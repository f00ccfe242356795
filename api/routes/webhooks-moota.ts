import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { mrpToIdrNumber } from '../../core/ledger/index.js';
import type { MutationOutcome } from '../../core/topups/index.js';
import { mootaWebhookResponse } from '../schemas/responses-public.js';

function outcomeView(outcome: MutationOutcome) {
  switch (outcome.outcome) {
    case 'matched':
      return {
        mutation_id: outcome.mutationId,
        outcome: outcome.outcome,
        matched_by: outcome.matchedBy,
        amount_idr: mrpToIdrNumber(outcome.amountMrp),
      };
    case 'ignored':
      return { mutation_id: outcome.mutationId, outcome: outcome.outcome, reason: outcome.reason };
    default:
      return { mutation_id: outcome.mutationId, outcome: outcome.outcome };
  }
}

/**
 * `POST /webhooks/moota`: Moota's bank-mutation webhook. The body is kept as bytes (not parsed as
 * JSON first), so the signature is checked before anything is read and a malformed body from an
 * unsigned sender is refused as unsigned. Matching runs inline (a few indexed statements per
 * mutation); confirmations go to the delivery queue.
 */
export default async function mootaWebhookRoutes(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const { topups } = opts.core;

  // Encapsulated: only this plugin's routes get the bytes-only parser.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'buffer' },
    (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, undefined);
    },
  );

  app.post(
    '/webhooks/moota',
    { schema: { response: { 200: mootaWebhookResponse }, summary: 'Moota bank-mutation webhook (signed)' } },
    async (request) => {
      const signature = request.headers.signature;
      const result = await topups.acceptMootaWebhook(
        request.rawBody,
        typeof signature === 'string' ? signature : undefined,
      );
      if (result.confirmationsFailed > 0) {
        request.log.warn({ count: result.confirmationsFailed }, 'top-up confirmations could not be queued');
      }
      if (result.rejected.length > 0) {
        request.log.warn({ rejected: result.rejected }, 'moota mutations rejected');
      }
      return {
        received: result.received + result.rejected.length,
        stored: result.stored,
        mutations: result.outcomes.map(outcomeView),
        rejected: result.rejected.map((r) => ({
          index: r.index,
          mutation_id: r.mutationId,
          reason: r.reason,
        })),
      };
    },
  );
}
