import { z } from 'zod';

/**
 * What success responses look like, for the OpenAPI document and the web client's types. Routes
 * name them in `schema.response`; in tests every such response is checked against its schema (see
 * the openapi plugin), so the document cannot drift from what the server sends.
 */

export const iso = z.string().describe('ISO 8601 time');
export const idr = z.number().describe('rupiah, up to three decimals');

/** `{ object: "list", data: [...] }`, the list shape of every collection route. */
export const list = <T extends z.ZodType>(item: T) =>
  z.strictObject({ object: z.literal('list'), data: z.array(item) });

/** The error shape of every route but the Anthropic ones (OpenAI's). */
export const errorResponse = z.strictObject({
  error: z.strictObject({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
  }),
});

/**
 * A route's success answer in more than one media type (JSON for programs, CSV or HTML for people).
 * Fastify picks the schema by the reply's content type; only JSON bodies are objects it serializes.
 */
export function mediaTypes(types: Record<string, z.ZodType>) {
  return {
    content: Object.fromEntries(Object.entries(types).map(([type, schema]) => [type, { schema }])),
  };
}

/** A redirect (no body): its description says where it leads. */
export const redirect = (where: string) => z.never().describe(where);

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

const row = z.record(z.string(), z.unknown());

export const exportResponse = z.strictObject({
  object: z.literal('account_export'),
  generated_at: iso,
  profile: z.strictObject({
    id: z.uuid(),
    email: z.string().nullable(),
    email_verified_at: iso.nullable(),
    name: z.string().nullable(),
    status: z.string(),
    locale: z.string(),
    balance_idr: idr,
    held_idr: idr,
    zero_retention: z.boolean(),
    preferred_model: z.string().nullable(),
    created_at: iso,
    updated_at: iso.nullable(),
    suspended_at: iso.nullable(),
    closed_at: iso.nullable(),
  }),
  identities: z.array(row).describe('linked chat accounts'),
  api_keys: z.array(row).describe('keys (never their secrets)'),
  ledger: z.array(row).describe('every balance change'),
  topups: z.array(row),
  star_payments: z.array(row),
  jobs: z.array(row).describe('every request, with content while retained'),
  conversation_messages: z.array(row).describe('chat-bot conversations, while retained'),
  files: z.array(row).describe('generated files'),
  activity: z.array(row).describe('the audit log entries about this account'),
});
