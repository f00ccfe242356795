import { z } from 'zod';

export const requestsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.uuid('must be a request id').optional(),
  model: z.string().max(100).optional(),
  channel: z.enum(['api', 'telegram', 'slack', 'discord']).optional(),
  status: z.string().max(30).optional(),
});

export const requestParams = z.object({ id: z.uuid('not a request id') });
