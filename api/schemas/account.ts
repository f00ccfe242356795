import { z } from 'zod';
import { API_KEY_SCOPES, KEY_LIMIT_PERIODS } from '../../core/accounts/index.js';
import { KEY_MODEL_KINDS } from '../../core/ledger/index.js';

export const signupBody = z.strictObject({
  email: z.string().max(254),
  password: z.string().max(256),
  name: z.string().max(100).optional(),
  /** The language of the account and its emails (the sign-up page's); Indonesian when absent. */
  locale: z.enum(['id', 'en']).optional(),
});

export const loginBody = z.strictObject({ email: z.string().max(254), password: z.string().max(256) });

export const verifyEmailQuery = z.object({ token: z.string().min(1).max(2000) });

/** Rupiah with at most three decimals (exact milli-rupiah), never negative, at most Rp 1 trillion. */
const limitIdr = z
  .number()
  .min(0, 'cannot be negative')
  .max(1_000_000_000_000, 'can be at most 1000000000000 (Rp 1 trillion)');

const perMinute = z.number().int('must be a whole number').min(1).max(1_000_000_000);

/**
 * A key's limits and allow-lists. In PATCH an absent field is kept and `null` removes it; in POST
 * absent and `null` both mean no limit.
 */
const keySettings = {
  total_limit_idr: limitIdr.nullable().optional(),
  period_limit: z
    .strictObject({ period: z.enum(KEY_LIMIT_PERIODS), limit_idr: limitIdr })
    .nullable()
    .optional(),
  models: z.array(z.string().min(1).max(200)).min(1).max(200).nullable().optional(),
  kinds: z.array(z.enum(KEY_MODEL_KINDS)).min(1).nullable().optional(),
  requests_per_minute: perMinute.nullable().optional(),
  tokens_per_minute: perMinute.nullable().optional(),
};

export const createKeyBody = z.strictObject({
  name: z.string().min(1).max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  ...keySettings,
});

export const updateKeyBody = z.strictObject({
  name: z.string().min(1).max(100).optional(),
  ...keySettings,
});

export const keyParams = z.object({ id: z.uuid('not a key id') });

export const ledgerQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z
    .string()
    .regex(/^\d{1,19}$/, 'must be an entry id')
    .optional(),
});
