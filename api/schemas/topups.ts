import { z } from 'zod';

/**
 * `amount_idr`: whole rupiah, as a JSON number or a string of digits. Fractions and other text are
 * refused here with a clear message; the bounds are checked by the domain (they are configuration).
 */
const WHOLE_RUPIAH = /^\d{1,15}$/;

export const createTopupBody = z.strictObject({
  amount_idr: z.unknown().transform((value, ctx) => {
    if (value === undefined) {
      ctx.addIssue({ code: 'invalid_type', expected: 'number', input: value, message: 'Required' });
      return z.NEVER;
    }
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    if (text.startsWith('-')) {
      ctx.addIssue({ code: 'custom', input: value, message: 'must be positive' });
      return z.NEVER;
    }
    if (!WHOLE_RUPIAH.test(text)) {
      ctx.addIssue({ code: 'custom', input: value, message: 'must be a whole number of rupiah' });
      return z.NEVER;
    }
    return Number(text);
  }),
});

export const listTopupsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const redeemBody = z.strictObject({
  code: z.string().trim().min(1, 'must not be empty').max(64),
});
