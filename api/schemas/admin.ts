import { z } from 'zod';

export const adminLoginBody = z.strictObject({
  email: z.string().max(254),
  password: z.string().max(256),
  code: z.string().max(12),
});

export const searchQuery = z.strictObject({
  q: z.string().min(2, 'must be at least 2 characters').max(200),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const idParams = z.object({ id: z.uuid('not an id') });

/** Every admin change carries a reason; without one the action is refused. */
const reason = z.string({ error: 'a reason is required' }).trim().min(3, 'a reason is required').max(500);

/**
 * Rupiah an admin may move in one action: far beyond any real top-up, and far inside PostgreSQL's
 * bigint of milli-rupiah, so an absurd number is a 400, never an overflow.
 */
export const MAX_ADMIN_AMOUNT_IDR = 1_000_000_000_000;
const adminAmount = z
  .number()
  .min(-MAX_ADMIN_AMOUNT_IDR, `must be at least -${MAX_ADMIN_AMOUNT_IDR}`)
  .max(MAX_ADMIN_AMOUNT_IDR, `must be at most ${MAX_ADMIN_AMOUNT_IDR}`);

export const adjustBalanceBody = z.strictObject({
  /** Rupiah, up to three decimals; negative debits. */
  amount_idr: adminAmount.refine((n) => n !== 0, 'must not be zero'),
  reason,
  /** Makes a retried adjustment move money once. */
  idempotency_key: z.string().min(8).max(100),
});

export const reasonBody = z.strictObject({ reason });

export const legalHoldBody = z.strictObject({ hold: z.boolean(), reason });

export const auditQuery = z.strictObject({
  target_type: z.string().max(40).optional(),
  target_id: z.string().max(100).optional(),
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  flagged: z.enum(['true', 'false']).optional(),
});

export const mutationParams = z.object({ mutation_id: z.string().min(1).max(200) });

export const starPaymentsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  account_id: z.uuid('not an account id').optional(),
});

export const starPaymentParams = z.object({ charge_id: z.string().min(1).max(200) });

export const assignMutationBody = z.strictObject({ account_id: z.uuid('not an account id'), reason });

export const createVoucherBody = z.strictObject({
  code: z.string().min(4).max(32).optional(),
  amount_idr: adminAmount.positive(),
  max_uses: z.number().int().min(1).max(1_000_000),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  /** Why the voucher exists (a campaign, a compensation); required like every admin action. */
  reason,
});
