import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { isCoreError } from '../../core/errors.js';
import { idrToMrp, mrpToIdrNumber } from '../../core/ledger/index.js';
import type { StarRefunds } from '../../core/ports/star-refunds.js';
import {
  adjustBalanceBody,
  adminLoginBody,
  auditQuery,
  idParams,
  legalHoldBody,
  reasonBody,
  searchQuery,
} from '../schemas/admin.js';
import {
  accountDetailResponse,
  accountSearchResponse,
  adjustmentResponse,
  adminLoginResponse,
  adminMeResponse,
  auditResponse,
  legalHoldResponse,
  suspensionResponse,
} from '../schemas/responses-admin.js';
import { validate } from '../schemas/validate.js';
import { accountView } from '../views.js';
import adminHealthRoutes from './admin-health.js';
import { actorOf, requireAdmin } from './admin-session.js';
import adminTopupRoutes from './admin-topups.js';
import adminUncollectedRoutes from './admin-uncollected.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * The operators' JSON API under /admin: sign-in with password and TOTP (throttled, then locked,
 * per email and per IP), then short admin sessions. Every change needs a reason and writes an
 * audit row; reads never show prompt or output content.
 */
export default async function adminRoutes(
  app: FastifyInstance,
  opts: { core: Core; starRefunds?: StarRefunds },
): Promise<void> {
  const { adminUsers, adminConsole, loginThrottle } = opts.core;
  app.decorateRequest('admin', undefined);

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });

  app.post(
    '/admin/login',
    {
      schema: {
        response: { 200: adminLoginResponse },
        summary: 'Admin sign-in with password and TOTP',
        body: adminLoginBody,
      },
    },
    async (request) => {
      const body = validate(adminLoginBody, request.body);
      const attempt = { scope: 'admin' as const, identifier: body.email, ip: request.ip };
      // Counted before the password is checked, so concurrent guesses never pass the limit.
      const ticket = await loginThrottle.begin(attempt);
      try {
        const { admin, token, expiresAt } = await adminUsers.login({ ...body, ip: request.ip });
        await loginThrottle.succeeded(ticket);
        return { token, token_type: 'Bearer', expires_at: expiresAt.toISOString(), admin };
      } catch (error) {
        if (isCoreError(error) && error.code === 'unauthorized') await loginThrottle.failed(ticket);
        else await loginThrottle.void(ticket);
        throw error;
      }
    },
  );

  await app.register(async (authed) => {
    authed.addHook('preHandler', requireAdmin(adminUsers));
    await authed.register(adminTopupRoutes, {
      core: opts.core,
      ...(opts.starRefunds ? { starRefunds: opts.starRefunds } : {}),
    });
    await authed.register(adminHealthRoutes, { core: opts.core });
    await authed.register(adminUncollectedRoutes, { core: opts.core });

    authed.get(
      '/admin/me',
      { schema: { response: { 200: adminMeResponse }, summary: 'The signed-in admin' } },
      async (request) => ({
        admin: request.admin,
      }),
    );

    authed.get(
      '/admin/accounts',
      {
        schema: {
          response: { 200: accountSearchResponse },
          summary: 'Search accounts',
          querystring: searchQuery,
        },
      },
      async (request) => {
        const query = validate(searchQuery, request.query, 'query');
        const rows = await adminConsole.searchAccounts(query.q, query.limit);
        return {
          object: 'list',
          data: rows.map((r) => ({
            id: r.id,
            email: r.email,
            name: r.name,
            status: r.status,
            balance_idr: mrpToIdrNumber(r.balance_mrp),
            created_at: r.created_at.toISOString(),
          })),
        };
      },
    );

    authed.get(
      '/admin/accounts/:id',
      {
        schema: {
          response: { 200: accountDetailResponse },
          summary: 'An account in detail',
          params: idParams,
        },
      },
      async (request) => {
        const { id } = validate(idParams, request.params, 'params');
        const detail = await adminConsole.accountDetail(id, actorOf(request));
        return {
          account: {
            ...accountView(detail.account),
            legal_hold: detail.flags.legal_hold,
            suspended_at: iso(detail.flags.suspended_at),
            closed_at: iso(detail.flags.closed_at),
          },
          identities: detail.identities.map((i) => ({
            platform: i.platform,
            external_id: i.external_id,
            display_name: i.display_name,
            created_at: iso(i.created_at as Date),
          })),
          keys: detail.keys.map((k) => ({
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            scopes: k.scopes,
            revoked_at: iso(k.revoked_at as Date | null),
            last_used_at: iso(k.last_used_at as Date | null),
            created_at: iso(k.created_at as Date),
          })),
          ledger: detail.ledger.map((e) => ({
            id: e.id.toString(),
            amount_idr: mrpToIdrNumber(e.amount_mrp),
            kind: e.kind,
            reference: e.reference,
            reason: e.reason,
            created_at: e.created_at.toISOString(),
          })),
          jobs: detail.jobs.map((j) => ({
            id: j.id,
            channel: j.channel,
            kind: j.kind,
            model: j.model,
            status: j.status,
            provider: j.provider,
            input_tokens: j.input_tokens,
            output_tokens: j.output_tokens,
            units: j.units,
            cost_idr: j.cost_mrp === null ? null : mrpToIdrNumber(j.cost_mrp as bigint),
            uncollected_idr: mrpToIdrNumber(j.uncollected_mrp as bigint),
            error_code: j.error_code,
            legal_hold: j.legal_hold,
            content_purged: j.content_purged_at !== null,
            created_at: iso(j.created_at as Date),
          })),
        };
      },
    );

    authed.post(
      '/admin/accounts/:id/balance',
      {
        schema: {
          response: { 200: adjustmentResponse },
          summary: 'Adjust a balance, with a reason',
          params: idParams,
          body: adjustBalanceBody,
        },
      },
      async (request) => {
        const { id } = validate(idParams, request.params, 'params');
        const body = validate(adjustBalanceBody, request.body);
        const result = await adminConsole.adjustBalance(
          {
            accountId: id,
            amountMrp: idrToMrp(body.amount_idr),
            reason: body.reason,
            idempotencyKey: body.idempotency_key,
          },
          actorOf(request),
        );
        return {
          account_id: id,
          entry_id: result.entryId.toString(),
          balance_idr: mrpToIdrNumber(result.balanceMrp),
          created: result.created,
        };
      },
    );

    authed.post(
      '/admin/accounts/:id/suspend',
      {
        schema: {
          response: { 200: suspensionResponse },
          summary: 'Suspend an account',
          params: idParams,
          body: reasonBody,
        },
      },
      async (request) => {
        const { id } = validate(idParams, request.params, 'params');
        const { reason } = validate(reasonBody, request.body);
        return adminConsole.setSuspended(id, true, reason, actorOf(request));
      },
    );

    authed.post(
      '/admin/accounts/:id/unsuspend',
      {
        schema: {
          response: { 200: suspensionResponse },
          summary: 'Reinstate an account',
          params: idParams,
          body: reasonBody,
        },
      },
      async (request) => {
        const { id } = validate(idParams, request.params, 'params');
        const { reason } = validate(reasonBody, request.body);
        return adminConsole.setSuspended(id, false, reason, actorOf(request));
      },
    );

    authed.post(
      '/admin/accounts/:id/legal-hold',
      {
        schema: {
          response: { 200: legalHoldResponse },
          summary: 'Place or lift a legal hold on an account',
          params: idParams,
          body: legalHoldBody,
        },
      },
      async (request) => {
        const { id } = validate(idParams, request.params, 'params');
        const body = validate(legalHoldBody, request.body);
        return adminConsole.setLegalHold({ type: 'account', id }, body.hold, body.reason, actorOf(request));
      },
    );

    authed.post(
      '/admin/jobs/:id/legal-hold',
      {
        schema: {
          response: { 200: legalHoldResponse },
          summary: 'Place or lift a legal hold on a request',
          params: idParams,
          body: legalHoldBody,
        },
      },
      async (request) => {
        const { id } = validate(idParams, request.params, 'params');
        const body = validate(legalHoldBody, request.body);
        return adminConsole.setLegalHold({ type: 'job', id }, body.hold, body.reason, actorOf(request));
      },
    );

    authed.get(
      '/admin/audit',
      { schema: { response: { 200: auditResponse }, summary: 'The audit log', querystring: auditQuery } },
      async (request) => {
        const query = validate(auditQuery, request.query, 'query');
        const rows = await adminConsole.auditLog({
          ...(query.target_type ? { targetType: query.target_type } : {}),
          ...(query.target_id ? { targetId: query.target_id } : {}),
          ...(query.before ? { beforeId: BigInt(query.before) } : {}),
          limit: query.limit,
        });
        return {
          object: 'list',
          data: rows.map((r) => ({ ...r, id: r.id.toString(), created_at: r.created_at.toISOString() })),
          next_before: rows.length === query.limit ? rows.at(-1)!.id.toString() : null,
        };
      },
    );
  });
}
