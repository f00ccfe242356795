import { z } from 'zod';

/**
 * What success responses look like, for the OpenAPI document and the web client's types. Routes
 * name them in `schema.response`; in tests every such response is checked against its schema (see
 * the openapi plugin), so the document cannot drift from what the server sends.
 */

const iso = z.string().describe('ISO 8601 time');
const idr = z.number().describe('rupiah, up to three decimals');

export const accountResponse = z.strictObject({
  id: z.uuid(),
  email: z.string().nullable(),
  email_verified: z.boolean(),
  name: z.string().nullable(),
  status: z.enum(['active', 'suspended', 'closed']),
  locale: z.enum(['id', 'en']),
  balance_idr: idr,
  held_idr: idr,
  available_idr: idr,
  zero_retention: z.boolean(),
  created_at: iso,
});

export const linksResponse = z.strictObject({
  object: z.literal('list'),
  data: z.array(
    z.strictObject({
      platform: z.enum(['telegram', 'slack', 'discord']),
      display_name: z.string().nullable(),
      linked_at: iso,
    }),
  ),
});

export const linkCodeResponse = z.strictObject({ code: z.string(), expires_at: iso });

export const linkedResponse = z.strictObject({
  linked: z.literal(true),
  account_id: z.uuid(),
  moved_idr: idr,
});

export const imagesResponse = z.strictObject({
  created: z.number(),
  data: z.array(
    z.strictObject({
      url: z.string().optional(),
      b64_json: z.string().optional(),
      revised_prompt: z.string().optional(),
    }),
  ),
  size: z.string().optional(),
});

export const videoResponse = z.strictObject({
  id: z.string(),
  object: z.literal('video'),
  model: z.string(),
  status: z.enum(['queued', 'in_progress', 'completed', 'failed']),
  progress: z.number(),
  created_at: z.number().nullable(),
  completed_at: z.number().nullable(),
  expires_at: z.number().nullable(),
  prompt: z.string().nullable(),
  size: z.string().nullable(),
  seconds: z.string().nullable(),
  remixed_from_video_id: z.null(),
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
});
