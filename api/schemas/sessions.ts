import { z } from 'zod';

export const sessionParams = z.object({ id: z.uuid('not a session id') });

export const passwordResetBody = z.strictObject({ email: z.string().max(254) });

export const passwordResetConfirmBody = z.strictObject({
  token: z.string().min(1).max(2000),
  password: z.string().max(256),
});

export const changePasswordBody = z.strictObject({
  current_password: z.string().max(256),
  new_password: z.string().max(256),
});
