import { z } from 'zod';

/**
 * `amount_idr`: whole rupiah, as a JSON number or a string of digits. Fractions and other text are
 * refused here with a clear message; the bounds are checked by the domain (they are configuration).
 */
export const createTopupBody = z.strictObject({
  amount_idr: z.union([
    z.number().int('must be a whole number of rupiah').positive('must be positive'),
    z
      .string()
      .trim()
      .regex(/^\d{1,15}$/, 'must be a whole number of rupiah')
      .transform(Number),
  ]),
});

export const listTopupsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const redeemBody = z.strictObject({
  code: z.string().trim().min(1, 'must not be empty').max(64),
});
