import { z } from 'zod';

export const redeemLinkBody = z.strictObject({ code: z.string().min(1, 'enter the code').max(64) });
