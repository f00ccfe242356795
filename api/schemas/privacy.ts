import { z } from 'zod';

const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be a date (2026-01-31) or an ISO date-time',
});

export const usageQuery = z.strictObject({
  from: dateOrDateTime.optional(),
  to: dateOrDateTime.optional(),
  format: z.enum(['json', 'csv']).optional(),
  /** Only the requests made with this API key. */
  key_id: z.uuid('must be an API key id').optional(),
});

export const updateAccountBody = z
  .strictObject({
    name: z.string().max(100).nullable().optional(),
    email: z.string().max(254).optional(),
    zero_retention: z.boolean().optional(),
    locale: z.enum(['id', 'en']).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    error: 'send at least one of name, email, zero_retention, locale',
  });

export const deleteAccountBody = z.strictObject({
  confirm: z.string().max(20),
  password: z.string().max(256).optional(),
});
