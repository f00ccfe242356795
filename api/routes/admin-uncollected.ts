import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Core } from '../../core/core.js';
import { mrpToIdrNumber } from '../../core/ledger/index.js';
import { uncollectedResponse } from '../schemas/responses-admin.js';
import { validate } from '../schemas/validate.js';

const query = z.object({ limit: z.coerce.number().int().min(1).max(200).optional() });

/**
 * `GET /admin/uncollected`: jobs whose real cost (the upstream's usage) was above what could be
 * charged when they settled: the account's balance (charged down to 0) or its API key's spend limit
 * (charged up to the limit). The rest is listed here, with the total, for operators to follow up
 * (also exported as `aiport_uncollected_idr` on /metrics).
 */
export default async function adminUncollectedRoutes(app: FastifyInstance, opts: { core: Core }) {
  app.get(
    '/admin/uncollected',
    {
      schema: {
        response: { 200: uncollectedResponse },
        summary: 'Jobs whose cost the account could not fully cover',
        querystring: query,
      },
    },
    async (request) => {
      const { limit } = validate(query, request.query, 'query');
      const report = await opts.core.metered.uncollected(limit === undefined ? {} : { limit });
      return {
        jobs: report.jobs,
        total_idr: mrpToIdrNumber(report.totalMrp),
        data: report.recent.map((j) => ({
          job_id: j.jobId,
          account_id: j.accountId,
          kind: j.kind,
          model: j.model,
          channel: j.channel,
          charged_idr: j.chargedMrp === null ? null : mrpToIdrNumber(j.chargedMrp),
          uncollected_idr: mrpToIdrNumber(j.uncollectedMrp),
          created_at: j.createdAt.toISOString(),
        })),
      };
    },
  );
}
