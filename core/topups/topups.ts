import type { Database } from '../../db/index.js';
import { MRP_PER_IDR } from '../ledger/index.js';
import type { Clock } from '../ports/clock.js';
import type { TaskQueue } from '../ports/queue.js';
import type { MootaRestClient } from './moota/index.js';
import { acceptMootaWebhook, pollMootaMutations } from './moota-intake.js';
import { createMutationIntake } from './mutations.js';
import type { TopupOptions } from './options.js';
import { createStarPayments, starPackages, validatePreCheckout } from './stars.js';
import { createTopupRequests } from './topup-requests.js';
import { createUnmatchedMoney } from './unmatched.js';
import { createVouchers } from './vouchers.js';

export interface TopupDeps {
  db: Database;
  clock: Clock;
  /** Confirmations go to its `delivery` queue; without one, credits still happen but nobody is told. */
  queue?: TaskQueue | undefined;
}

/**
 * Everything that brings money in: bank-transfer requests and the mutations that pay them, unmatched
 * money for the admin, vouchers and Telegram Stars. One instance per process, built by createCore.
 */
export function createTopups(deps: TopupDeps, options: TopupOptions) {
  const { db, clock, queue } = deps;
  const requests = createTopupRequests(db, clock, options);
  const intake = createMutationIntake(db, { clock, queue }, options);
  const unmatched = createUnmatchedMoney(db, { clock, queue });
  const vouchers = createVouchers(db, clock);
  const stars = createStarPayments(db, clock, { idrPerStar: options.starsIdrPerStar });

  return {
    options,
    /** Bounds of a request's amount, milli-rupiah, inclusive (the bots check `/topup AMOUNT` early). */
    minMrp: BigInt(options.minIdr) * MRP_PER_IDR,
    maxMrp: BigInt(options.maxIdr) * MRP_PER_IDR,
    // Top-up requests (REST /account/topups, the bots' /topup).
    createRequest: requests.create,
    listRequests: requests.list,
    getRequest: requests.get,
    expireStaleRequests: requests.expireStale,

    // Bank mutations.
    ingestMutations: intake.ingest,
    decideStuckMutations: intake.decideStuck,
    /** POST /webhooks/moota: raw bytes and the `Signature` header in, outcomes out. */
    acceptMootaWebhook: (rawBody: Buffer | undefined, signature: string | undefined) =>
      acceptMootaWebhook(intake, options.mootaWebhookSecret, rawBody, signature),
    pollMoota: (client: MootaRestClient, pollOptions?: { lookbackDays?: number }) =>
      pollMootaMutations(client, intake, clock, pollOptions),

    // Unmatched money, for the admin.
    listUnmatched: unmatched.listUnmatched,
    getMutation: unmatched.getMutation,
    assignMutation: unmatched.assignMutation,
    markReturned: unmatched.markReturned,
    flagStaleUnmatched: unmatched.flagStaleUnmatched,

    // Vouchers.
    createVoucher: vouchers.createVoucher,
    listVouchers: vouchers.listVouchers,
    redeemVoucher: vouchers.redeemVoucher,

    // Telegram Stars.
    starPackages: () => starPackages({ idrPerStar: options.starsIdrPerStar }),
    validatePreCheckout: (query: { payload: string; currency: string; totalAmount: number }) =>
      validatePreCheckout(query, { idrPerStar: options.starsIdrPerStar }),
    creditStarPayment: stars.creditStarPayment,
    refundStarPayment: stars.refundStarPayment,
    listStarPayments: stars.listStarPayments,
  };
}

export type Topups = ReturnType<typeof createTopups>;
