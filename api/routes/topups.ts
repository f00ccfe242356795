import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { idrToMrp, mrpToIdrNumber } from '../../core/ledger/index.js';
import type { TopupRequest } from '../../core/topups/index.js';
import { authOf } from '../plugins/auth.js';
import { redemptionResponse, topupResponse, topupsResponse } from '../schemas/responses-account.js';
import { createTopupBody, listTopupsQuery, redeemBody } from '../schemas/topups.js';
import { validate } from '../schemas/validate.js';

/** How a top-up request looks on the REST API. */
export function topupView(request: TopupRequest) {
  return {
    id: request.id,
    object: 'topup',
    status: request.status,
    amount_idr: mrpToIdrNumber(request.amountMrp),
    unique_suffix_idr: request.uniqueSuffixIdr,
    transfer_amount_idr: mrpToIdrNumber(request.transferAmountMrp),
    code: request.code,
    /** True when only the code in the transfer note matches the transfer (its amount is not unique). */
    code_required: request.codeRequired,
    bank_accounts: request.bankAccounts.map((a) => ({ bank: a.bank, number: a.number, holder: a.holder })),
    channel: request.channel,
    expires_at: request.expiresAt.toISOString(),
    paid_at: request.paidAt?.toISOString() ?? null,
    created_at: request.createdAt.toISOString(),
  };
}

/** `/account/topups` (bank-transfer requests) and `/account/redeem` (vouchers). */
export default async function topupRoutes(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const { topups } = opts.core;
  app.addHook('preHandler', app.requireAccount());

  app.post(
    '/account/topups',
    {
      schema: {
        response: { 201: topupResponse },
        summary: 'Start a bank-transfer top-up: a unique amount and code',
        body: createTopupBody,
      },
    },
    async (request, reply) => {
      const body = validate(createTopupBody, request.body);
      const created = await topups.createRequest({
        accountId: authOf(request).accountId,
        amountMrp: idrToMrp(BigInt(body.amount_idr)),
        channel: 'api',
      });
      return reply.status(201).send(topupView(created));
    },
  );

  app.get(
    '/account/topups',
    {
      schema: {
        response: { 200: topupsResponse },
        summary: 'Top-up requests and their status',
        querystring: listTopupsQuery,
      },
    },
    async (request) => {
      const query = validate(listTopupsQuery, request.query, 'query');
      const rows = await topups.listRequests(authOf(request).accountId, { limit: query.limit });
      return { object: 'list', data: rows.map(topupView) };
    },
  );

  app.post(
    '/account/redeem',
    { schema: { response: { 200: redemptionResponse }, summary: 'Redeem a voucher code', body: redeemBody } },
    async (request) => {
      const body = validate(redeemBody, request.body);
      const redeemed = await topups.redeemVoucher(authOf(request).accountId, body.code);
      return {
        object: 'voucher_redemption',
        code: redeemed.voucherCode,
        amount_idr: mrpToIdrNumber(redeemed.amountMrp),
        balance_idr: mrpToIdrNumber(redeemed.balanceMrp),
      };
    },
  );
}
