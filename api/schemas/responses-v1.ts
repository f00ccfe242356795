import { z } from 'zod';

/**
 * What the /v1 model routes answer, in the providers' published wire formats (OpenAI, Anthropic).
 * Loose objects: those formats grow fields (clients must ignore unknown ones), so the fields named
 * here are checked and newer ones may pass. Our additions are named too: `cost_idr` and
 * `estimated` in usage.
 */

const int = () => z.number().int();

// ---- models ----

const perMTok = z.number().describe('rupiah per million tokens');

const modelBase = {
  id: z.string(),
  object: z.literal('model'),
  created: int().describe('Unix seconds'),
  owned_by: z.string(),
  name: z.string(),
  providers: z.array(z.string()).describe('the providers that serve this model on this deployment'),
};

export const modelResponse = z.discriminatedUnion('kind', [
  z.strictObject({
    ...modelBase,
    kind: z.literal('chat'),
    price: z.strictObject({
      input_per_mtok_idr: perMTok,
      output_per_mtok_idr: perMTok,
      cached_input_per_mtok_idr: perMTok.optional(),
      cache_write_per_mtok_idr: perMTok.optional(),
      cache_write_1h_per_mtok_idr: perMTok.optional(),
    }),
    context_window: int(),
    max_output_tokens: int(),
    vision: z.boolean(),
    tools: z.boolean(),
  }),
  z.strictObject({
    ...modelBase,
    kind: z.literal('embedding'),
    price: z.strictObject({ input_per_mtok_idr: perMTok }),
    dimensions: int(),
    adjustable_dimensions: z.boolean(),
    max_input_tokens: int(),
  }),
  z.strictObject({
    ...modelBase,
    kind: z.literal('image'),
    price: z.strictObject({ per_image_idr: z.number() }),
    sizes: z.array(z.string()),
    max_n: int(),
  }),
  z.strictObject({
    ...modelBase,
    kind: z.literal('video'),
    price: z.strictObject({ per_video_second_idr: z.number() }),
    sizes: z.array(z.string()),
    durations: z.array(z.number()).describe('seconds'),
  }),
  z.strictObject({
    ...modelBase,
    kind: z.literal('transcription'),
    price: z.strictObject({ per_audio_second_idr: z.number() }),
    max_seconds: z.number().describe('the longest audio it takes, seconds'),
    max_bytes: int().describe('the largest audio file it takes'),
  }),
]);

/** Anthropic's `ModelInfo` (requests that send `anthropic-version`). */
export const anthropicModelResponse = z.looseObject({
  type: z.literal('model'),
  id: z.string(),
  display_name: z.string(),
  created_at: z.string().describe('RFC 3339'),
});

export const modelListResponse = z.union([
  z.strictObject({ object: z.literal('list'), data: z.array(modelResponse) }).describe('OpenAI clients'),
  z
    .strictObject({
      data: z.array(anthropicModelResponse),
      has_more: z.boolean(),
      first_id: z.string().nullable(),
      last_id: z.string().nullable(),
    })
    .describe('Anthropic clients (`anthropic-version` sent): paged by `limit`, `after_id`, `before_id`'),
]);

export const oneModelResponse = z.union([modelResponse, anthropicModelResponse]);

export const pricingResponse = z.strictObject({
  object: z.literal('list'),
  currency: z.literal('IDR'),
  data: z.array(modelResponse),
});

// ---- chat completions (OpenAI) ----

const topLogprob = z.looseObject({
  token: z.string(),
  logprob: z.number(),
  bytes: z.array(int()).nullable(),
});
const tokenLogprob = topLogprob.extend({ top_logprobs: z.array(topLogprob) });

const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const chatUsage = z.looseObject({
  prompt_tokens: int(),
  completion_tokens: int(),
  total_tokens: int(),
  prompt_tokens_details: z.looseObject({ cached_tokens: int().optional() }).optional(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: int().optional() }).optional(),
  cost_idr: z.number().describe('what the request cost, rupiah'),
  estimated: z.boolean().describe('true when the upstream reported no usage and it was counted here'),
});

export const chatCompletionResponse = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: int(),
  model: z.string(),
  choices: z
    .array(
      z.looseObject({
        index: int(),
        message: z.looseObject({
          role: z.literal('assistant'),
          content: z.string().nullable(),
          refusal: z.string().nullable().optional(),
          reasoning_content: z.string().optional(),
          tool_calls: z.array(toolCall).optional(),
        }),
        logprobs: z
          .looseObject({
            content: z.array(tokenLogprob).nullable(),
            refusal: z.array(tokenLogprob).nullable().optional(),
          })
          .nullable(),
        finish_reason: z.enum(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']),
      }),
    )
    .min(1),
  usage: chatUsage,
  system_fingerprint: z.string().nullable().optional(),
  service_tier: z.string().nullable().optional(),
});

/** A streamed answer: server-sent events, `data: {chunk}` lines, then `data: [DONE]`. */
export const eventStream = z.string().describe('Server-sent events (with `"stream": true`)');

// ---- messages (Anthropic) ----

const contentBlock = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
  z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() }),
  z.looseObject({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() }),
]);

export const messageResponse = z.looseObject({
  id: z.string(),
  type: z.literal('message'),
  role: z.literal('assistant'),
  model: z.string(),
  content: z.array(contentBlock),
  stop_reason: z.enum(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal']),
  stop_sequence: z.string().nullable(),
  usage: z.looseObject({
    input_tokens: int(),
    output_tokens: int(),
    cache_read_input_tokens: int().nullable().optional(),
    cache_creation_input_tokens: int().nullable().optional(),
    cost_idr: z.number().optional(),
  }),
});

export const countTokensResponse = z.strictObject({ input_tokens: int() });

export const anthropicErrorResponse = z.strictObject({
  type: z.literal('error'),
  error: z.strictObject({ type: z.string(), message: z.string() }),
  request_id: z.string().optional(),
});

// ---- embeddings ----

export const embeddingsResponse = z.looseObject({
  object: z.literal('list'),
  model: z.string(),
  data: z.array(
    z.looseObject({
      object: z.literal('embedding'),
      index: int(),
      embedding: z.union([z.array(z.number()), z.string().describe('base64 of little-endian float32')]),
    }),
  ),
  usage: z.looseObject({ prompt_tokens: int(), total_tokens: int() }),
});

// ---- responses (OpenAI) ----

const outputItem = z.union([
  z.looseObject({
    type: z.literal('message'),
    id: z.string(),
    status: z.enum(['in_progress', 'completed', 'incomplete']),
    role: z.literal('assistant'),
    content: z.array(
      z.looseObject({ type: z.literal('output_text'), text: z.string(), annotations: z.array(z.unknown()) }),
    ),
  }),
  z.looseObject({
    type: z.literal('function_call'),
    id: z.string().optional(),
    call_id: z.string(),
    name: z.string(),
    arguments: z.string(),
    status: z.enum(['in_progress', 'completed', 'incomplete']).optional(),
  }),
  z.looseObject({ type: z.string() }).describe('other item types (reasoning, ...)'),
]);

export const responseObjectResponse = z.looseObject({
  id: z.string(),
  object: z.literal('response'),
  created_at: int(),
  status: z.enum(['completed', 'failed', 'in_progress', 'cancelled', 'queued', 'incomplete']),
  error: z.looseObject({ code: z.string(), message: z.string() }).nullable(),
  incomplete_details: z.looseObject({ reason: z.string() }).nullable(),
  model: z.string(),
  output: z.array(outputItem),
  usage: z
    .looseObject({
      input_tokens: int(),
      output_tokens: int(),
      total_tokens: int(),
      cost_idr: z.number().optional(),
      estimated: z.boolean().optional(),
    })
    .nullable(),
});

export const responseDeletedResponse = z.strictObject({
  id: z.string(),
  object: z.literal('response'),
  deleted: z.literal(true),
});
