import { z } from 'zod';
import { API_KEY_SCOPES } from '../../core/accounts/index.js';

export const signupBody = z.strictObject({
  email: z.string().max(254),
  password: z.string().max(256),
  name: z.string().max(100).optional(),
});

export const loginBody = z.strictObject({ email: z.string().max(254), password: z.string().max(256) });

export const verifyEmailQuery = z.object({ token: z.string().min(1).max(2000) });

export const createKeyBody = z.strictObject({
  name: z.string().min(1).max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
});

export const keyParams = z.object({ id: z.uuid('not a key id') });

export const ledgerQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z
    .string()
    .regex(/^\d{1,19}$/, 'must be an entry id')
    .optional(),
});
