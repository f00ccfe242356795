import { z } from 'zod';
import { accountResponse, idr, iso, list } from './responses.js';
import { jobFacts, ledgerEntry } from './responses-account.js';

/** What the admin console's routes answer. Never prompt or output content. */

const admin = z.strictObject({ id: z.uuid(), email: z.string() });

export const adminLoginResponse = z.strictObject({
  token: z.string(),
  token_type: z.literal('Bearer'),
  expires_at: iso,
  admin,
});

export const adminMeResponse = z.strictObject({ admin });

export const accountSearchResponse = list(
  z.strictObject({
    id: z.uuid(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    status: z.enum(['active', 'suspended', 'closed']),
    balance_idr: idr,
    created_at: iso,
  }),
);

export const accountDetailResponse = z.strictObject({
  account: accountResponse.extend({
    legal_hold: z.boolean(),
    suspended_at: iso.nullable(),
    closed_at: iso.nullable(),
  }),
  identities: z.array(
    z.strictObject({
      platform: z.string(),
      external_id: z.string(),
      display_name: z.string().nullable(),
      created_at: iso.nullable(),
    }),
  ),
  keys: z.array(
    z.strictObject({
      id: z.uuid(),
      name: z.string(),
      prefix: z.string(),
      scopes: z.array(z.string()),
      revoked_at: iso.nullable(),
      last_used_at: iso.nullable(),
      created_at: iso.nullable(),
    }),
  ),
  ledger: z.array(ledgerEntry),
  jobs: z.array(
    z.strictObject({
      ...jobFacts,
      provider: z.string().nullable(),
      cost_idr: idr.nullable(),
      uncollected_idr: idr,
      error_code: z.string().nullable(),
      legal_hold: z.boolean(),
      content_purged: z.boolean(),
      created_at: iso.nullable(),
    }),
  ),
});

export const adjustmentResponse = z.strictObject({
  account_id: z.uuid(),
  entry_id: z.string(),
  balance_idr: idr,
  created: z.boolean().describe('false: this idempotency key was used before (nothing moved again)'),
});

export const suspensionResponse = z.strictObject({
  id: z.uuid(),
  status: z.enum(['active', 'suspended']),
});

export const legalHoldResponse = z.strictObject({
  type: z.enum(['account', 'job']),
  id: z.uuid(),
  legal_hold: z.boolean(),
});

export const auditResponse = z.strictObject({
  object: z.literal('list'),
  data: z.array(
    z.strictObject({
      id: z.string(),
      actor_type: z.string(),
      actor_id: z.string().nullable(),
      action: z.string(),
      target_type: z.string().nullable(),
      target_id: z.string().nullable(),
      before: z.unknown(),
      after: z.unknown(),
      reason: z.string().nullable(),
      ip: z.string().nullable(),
      created_at: iso,
    }),
  ),
  next_before: z.string().nullable(),
});

export const healthResponse = z.strictObject({
  models_served: z.number().int(),
  providers: z.array(
    z.strictObject({
      provider: z.string(),
      routes: z.number().int(),
      open: z.number().int(),
      half_open: z.number().int(),
    }),
  ),
  routes: z.array(
    z.strictObject({
      provider: z.string(),
      model: z.string(),
      state: z.enum(['closed', 'open', 'half-open']),
      ewma_latency_ms: z.number().nullable(),
      error_rate: z.number(),
      consecutive_failures: z.number().int(),
      successes: z.number().int(),
      failures: z.number().int(),
      opened_at: iso.nullable(),
      last_error: z.string().nullable(),
    }),
  ),
});

export const uncollectedResponse = z.strictObject({
  jobs: z.number().int().describe('every job that left money uncollected'),
  total_idr: idr,
  data: z.array(
    z.strictObject({
      job_id: z.uuid(),
      account_id: z.uuid(),
      kind: z.string(),
      model: z.string(),
      channel: z.string(),
      charged_idr: idr.nullable(),
      uncollected_idr: idr,
      created_at: iso,
    }),
  ),
});

export const mutationResponse = z.strictObject({
  mutation_id: z.string(),
  bank_id: z.string().nullable(),
  account_number: z.string().nullable(),
  type: z.enum(['CR', 'DB']),
  amount_idr: idr,
  description: z.string().nullable(),
  note: z.string().nullable(),
  mutation_date: z.string().nullable(),
  status: z.enum(['received', 'matched', 'unmatched', 'ignored', 'assigned', 'returned']),
  account_id: z.uuid().nullable(),
  topup_id: z.uuid().nullable(),
  matched_by: z.enum(['code', 'amount', 'admin']).nullable(),
  return_flagged_at: iso.nullable(),
  created_at: iso,
  resolved_at: iso.nullable(),
});

export const mutationsResponse = list(mutationResponse);

export const assignedResponse = z.strictObject({ mutation: mutationResponse, balance_idr: idr });

export const voucherResponse = z.strictObject({
  id: z.uuid(),
  code: z.string(),
  amount_idr: idr,
  max_uses: z.number().int(),
  uses: z.number().int(),
  expires_at: iso.nullable(),
  created_by: z.string().nullable(),
  created_at: iso,
});

export const vouchersResponse = list(voucherResponse);

export const starPaymentsResponse = list(
  z.strictObject({
    charge_id: z.string(),
    account_id: z.uuid(),
    telegram_user_id: z.string(),
    stars: z.number().int(),
    amount_idr: idr,
    refunded_at: iso.nullable(),
    created_at: iso,
  }),
);

export const starRefundResponse = z.strictObject({
  charge_id: z.string(),
  stars: z.number().int(),
  amount_idr: idr,
  refunded_at: iso.nullable(),
});
