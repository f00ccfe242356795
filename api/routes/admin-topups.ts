import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { CoreError } from '../../core/errors.js';
import { idrToMrp, mrpToIdrNumber } from '../../core/ledger/index.js';
import type { StarRefunds } from '../../core/ports/star-refunds.js';
import type { BankMutationRecord, Voucher } from '../../core/topups/index.js';
import {
  assignMutationBody,
  createVoucherBody,
  listQuery,
  mutationParams,
  reasonBody,
  starPaymentParams,
  starPaymentsQuery,
} from '../schemas/admin.js';
import {
  assignedResponse,
  mutationResponse,
  mutationsResponse,
  starPaymentsResponse,
  starRefundResponse,
  voucherResponse,
  vouchersResponse,
} from '../schemas/responses-admin.js';
import { validate } from '../schemas/validate.js';
import { actorOf } from './admin-session.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function mutationView(m: BankMutationRecord) {
  return {
    mutation_id: m.mutationId,
    bank_id: m.bankId,
    account_number: m.accountNumber,
    type: m.type,
    amount_idr: mrpToIdrNumber(m.amountMrp),
    description: m.description,
    note: m.note,
    mutation_date: m.mutationDate,
    status: m.status,
    account_id: m.accountId,
    topup_id: m.topupId,
    matched_by: m.matchedBy,
    return_flagged_at: iso(m.returnFlaggedAt),
    created_at: m.createdAt.toISOString(),
    resolved_at: iso(m.resolvedAt),
  };
}

function voucherView(v: Voucher) {
  return {
    id: v.id,
    code: v.code,
    amount_idr: mrpToIdrNumber(v.amountMrp),
    max_uses: v.maxUses,
    uses: v.uses,
    expires_at: iso(v.expiresAt),
    created_by: v.createdBy,
    created_at: v.createdAt.toISOString(),
  };
}

/**
 * Money that needs a person: unmatched bank transfers (assign to an account, or mark returned to the
 * sender) and vouchers. Registered inside the admin session scope; the top-ups domain writes the
 * audit rows in the same transactions as the changes.
 */
export default async function adminTopupRoutes(
  app: FastifyInstance,
  opts: { core: Core; starRefunds?: StarRefunds },
): Promise<void> {
  const { topups, adminConsole } = opts.core;

  app.get(
    '/admin/mutations/unmatched',
    {
      schema: {
        response: { 200: mutationsResponse },
        summary: 'Bank transfers that matched no top-up',
        querystring: listQuery,
      },
    },
    async (request) => {
      const query = validate(listQuery, request.query, 'query');
      const rows = await topups.listUnmatched({ limit: query.limit, flaggedOnly: query.flagged === 'true' });
      return { object: 'list', data: rows.map(mutationView) };
    },
  );

  app.get(
    '/admin/mutations/:mutation_id',
    { schema: { response: { 200: mutationResponse }, summary: 'One bank transfer', params: mutationParams } },
    async (request) => {
      const { mutation_id } = validate(mutationParams, request.params, 'params');
      return mutationView(await topups.getMutation(mutation_id));
    },
  );

  app.post(
    '/admin/mutations/:mutation_id/assign',
    {
      schema: {
        response: { 200: assignedResponse },
        summary: 'Credit an unmatched transfer to an account',
        params: mutationParams,
        body: assignMutationBody,
      },
    },
    async (request) => {
      const { mutation_id } = validate(mutationParams, request.params, 'params');
      const body = validate(assignMutationBody, request.body);
      const actor = actorOf(request);
      const result = await topups.assignMutation(mutation_id, body.account_id, actor.adminId, body.reason);
      await adminConsole.stampAudit({ action: 'bank_mutation.assign', targetId: mutation_id }, actor);
      return { mutation: mutationView(result.mutation), balance_idr: mrpToIdrNumber(result.balanceMrp) };
    },
  );

  app.post(
    '/admin/mutations/:mutation_id/returned',
    {
      schema: {
        response: { 200: mutationResponse },
        summary: 'Mark an unmatched transfer as returned to the sender',
        params: mutationParams,
        body: reasonBody,
      },
    },
    async (request) => {
      const { mutation_id } = validate(mutationParams, request.params, 'params');
      const { reason } = validate(reasonBody, request.body);
      const actor = actorOf(request);
      const mutation = await topups.markReturned(mutation_id, actor.adminId, reason);
      await adminConsole.stampAudit({ action: 'bank_mutation.return', targetId: mutation_id }, actor);
      return mutationView(mutation);
    },
  );

  app.get(
    '/admin/vouchers',
    { schema: { response: { 200: vouchersResponse }, summary: 'List vouchers', querystring: listQuery } },
    async (request) => {
      const query = validate(listQuery, request.query, 'query');
      return { object: 'list', data: (await topups.listVouchers({ limit: query.limit })).map(voucherView) };
    },
  );

  app.post(
    '/admin/vouchers',
    { schema: { response: { 201: voucherResponse }, summary: 'Create a voucher', body: createVoucherBody } },
    async (request, reply) => {
      const body = validate(createVoucherBody, request.body);
      const actor = actorOf(request);
      const voucher = await topups.createVoucher({
        ...(body.code !== undefined ? { code: body.code } : {}),
        amountMrp: idrToMrp(body.amount_idr),
        maxUses: body.max_uses,
        expiresAt: body.expires_at ? new Date(body.expires_at) : null,
        adminId: actor.adminId,
      });
      await adminConsole.stampAudit({ action: 'voucher.create', targetId: voucher.id }, actor, body.reason);
      return reply.status(201).send(voucherView(voucher));
    },
  );

  app.get(
    '/admin/star-payments',
    {
      schema: {
        response: { 200: starPaymentsResponse },
        summary: 'Telegram Stars purchases, newest first',
        querystring: starPaymentsQuery,
      },
    },
    async (request) => {
      const query = validate(starPaymentsQuery, request.query, 'query');
      const rows = await topups.listStarPayments({ limit: query.limit, accountId: query.account_id });
      return {
        object: 'list',
        data: rows.map((p) => ({
          charge_id: p.chargeId,
          account_id: p.accountId,
          telegram_user_id: p.telegramUserId,
          stars: p.stars,
          amount_idr: mrpToIdrNumber(p.amountMrp),
          refunded_at: iso(p.refundedAt),
          created_at: p.createdAt.toISOString(),
        })),
      };
    },
  );

  /**
   * Refunds a Telegram Stars purchase: the credit is taken back first (refused if already spent),
   * then Telegram returns the Stars. Calling again after a failed Telegram call only retries Telegram.
   */
  app.post(
    '/admin/star-payments/:charge_id/refund',
    {
      schema: {
        response: { 200: starRefundResponse },
        summary: 'Refund a Telegram Stars payment',
        params: starPaymentParams,
        body: reasonBody,
      },
    },
    async (request) => {
      const { charge_id } = validate(starPaymentParams, request.params, 'params');
      const { reason } = validate(reasonBody, request.body);
      if (!opts.starRefunds) {
        throw new CoreError(
          'upstream_unavailable',
          'Telegram is not configured (TELEGRAM_BOT_TOKEN): nothing was refunded',
        );
      }
      const actor = actorOf(request);
      const payment = await topups.refundStarPayment(charge_id, actor.adminId);
      if (!payment.alreadyRefunded) {
        await adminConsole.stampAudit({ action: 'star_payment.refund', targetId: charge_id }, actor, reason);
      }
      await opts.starRefunds.refund(payment.telegramUserId, charge_id);
      return {
        charge_id,
        stars: payment.stars,
        amount_idr: mrpToIdrNumber(payment.amountMrp),
        refunded_at: iso(payment.refundedAt),
      };
    },
  );
}
