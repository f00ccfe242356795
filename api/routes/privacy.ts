import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { usageToCsv } from '../../core/privacy/index.js';
import { authOf } from '../plugins/auth.js';
import { deleteAccountBody, updateAccountBody, usageQuery } from '../schemas/privacy.js';
import { accountResponse, exportResponse, mediaTypes } from '../schemas/responses.js';
import { deletedAccountResponse, usageCsv, usageResponse } from '../schemas/responses-account.js';
import { validate } from '../schemas/validate.js';
import { accountView } from '../views.js';

const DAY_MS = 24 * 3600 * 1000;

/** A date alone means the start of that day, UTC. */
function parseMoment(text: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
}

/**
 * The privacy rights of the signed-in account: export, usage report, correction, erasure. Each acts
 * on the authenticated caller's account only; there is no way to name another account here.
 */
export default async function privacyRoutes(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const { privacy, clock } = opts.core;
  app.addHook('preHandler', app.requireAccount());

  app.get(
    '/account/export',
    { schema: { response: { 200: exportResponse }, summary: 'Download all data about the account (JSON)' } },
    async (request, reply) => {
      const data = await privacy.exportData(authOf(request).accountId);
      const day = clock.now().toISOString().slice(0, 10);
      return reply
        .header('content-disposition', `attachment; filename="aiport-export-${day}.json"`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );

  app.get(
    '/account/usage',
    {
      schema: {
        response: { 200: mediaTypes({ 'application/json': usageResponse, 'text/csv': usageCsv }) },
        summary: 'Requests with tokens and cost (JSON or CSV)',
        querystring: usageQuery,
      },
    },
    async (request, reply) => {
      const query = validate(usageQuery, request.query, 'query');
      const to = query.to ? parseMoment(query.to) : clock.now();
      // A date-only `to` includes that whole day.
      const toExclusive =
        query.to && /^\d{4}-\d{2}-\d{2}$/.test(query.to) ? new Date(to.getTime() + DAY_MS) : to;
      const from = query.from ? parseMoment(query.from) : new Date(toExclusive.getTime() - 30 * DAY_MS);
      const report = await privacy.usage(authOf(request).accountId, {
        from,
        to: toExclusive,
        ...(query.key_id ? { keyId: query.key_id } : {}),
      });
      const wantsCsv =
        query.format === 'csv' || (!query.format && request.headers.accept?.includes('text/csv'));
      reply.header('cache-control', 'no-store');
      if (wantsCsv) {
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="aiport-usage-${report.from.slice(0, 10)}.csv"`,
          )
          .send(usageToCsv(report));
      }
      const { rows, ...summary } = report;
      return { object: 'usage', ...summary, data: rows };
    },
  );

  app.patch(
    '/account',
    {
      schema: {
        response: { 200: accountResponse },
        summary: 'Change name, email (re-verified), language or zero-retention',
        body: updateAccountBody,
      },
    },
    async (request) => {
      const body = validate(updateAccountBody, request.body);
      const account = await privacy.updateProfile(
        authOf(request).accountId,
        {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.email !== undefined ? { email: body.email } : {}),
          ...(body.zero_retention !== undefined ? { zeroRetention: body.zero_retention } : {}),
          ...(body.locale !== undefined ? { locale: body.locale } : {}),
        },
        { ip: request.ip, channel: 'api' },
      );
      return accountView(account);
    },
  );

  app.delete(
    '/account',
    {
      schema: {
        response: { 200: deletedAccountResponse },
        summary: 'Delete the account and its personal data',
        body: deleteAccountBody,
      },
    },
    async (request) => {
      const body = validate(deleteAccountBody, request.body);
      const result = await privacy.deleteAccount(
        authOf(request).accountId,
        { confirm: body.confirm, ...(body.password !== undefined ? { password: body.password } : {}) },
        { ip: request.ip, channel: 'api' },
      );
      return { deleted: true, outcome: result.outcome };
    },
  );
}
