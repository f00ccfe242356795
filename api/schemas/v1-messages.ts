import { z } from 'zod';

/**
 * `POST /v1/messages`, the Anthropic wire format. Every field is passed on (mapped for non-Anthropic
 * models) or refused by name when the model's providers cannot honour it.
 */

/** A prompt-cache breakpoint (honoured on Anthropic routes, refused by name elsewhere). */
const cacheControl = {
  cache_control: z
    .object({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() })
    .nullable()
    .optional(),
};
const textBlock = z.object({ type: z.literal('text'), text: z.string(), ...cacheControl });
const imageBlock = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string().min(1) }),
    z.object({ type: z.literal('url'), url: z.string().min(1) }),
  ]),
  ...cacheControl,
});
const toolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
  ...cacheControl,
});
const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock]))]).optional(),
  is_error: z.boolean().optional(),
  ...cacheControl,
});

/** Thinking blocks of earlier assistant turns, given back as we returned them (no cache_control). */
const thinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: z.string().min(1) });

const block = z.discriminatedUnion(
  'type',
  [textBlock, imageBlock, toolUseBlock, toolResultBlock, thinkingBlock, redactedThinkingBlock],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'content blocks must be "text", "image", "tool_use", "tool_result", "thinking" or "redacted_thinking"'
        : undefined,
  },
);

const message = z.object({
  role: z.enum(['user', 'assistant'], { error: 'role must be "user" or "assistant"' }),
  content: z.union([z.string(), z.array(block).min(1, 'content must not be empty')]),
});

export const messagesBody = z.looseObject({
  model: z.string().min(1, 'model must not be empty'),
  max_tokens: z.number().int().positive(),
  messages: z.array(message).min(1, 'messages must contain at least one message'),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  stop_sequences: z.array(z.string()).optional(),
  tools: z
    .array(
      z.object({
        name: z.string().min(1),
        description: z.string().optional(),
        input_schema: z.record(z.string(), z.unknown()),
        strict: z.boolean().optional(),
        ...cacheControl,
      }),
    )
    .optional(),
  tool_choice: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
      z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
      z.object({ type: z.literal('none') }),
      z.object({
        type: z.literal('tool'),
        name: z.string().min(1),
        disable_parallel_tool_use: z.boolean().optional(),
      }),
    ])
    .optional(),
  top_k: z.number().int().positive().optional(),
  metadata: z.looseObject({ user_id: z.string().max(256).nullable().optional() }).optional(),
  service_tier: z.enum(['auto', 'standard_only']).optional(),
  /** Extended thinking (Anthropic routes): thinking blocks are returned and relayed in streams. */
  thinking: z
    .discriminatedUnion('type', [
      z.object({
        type: z.literal('enabled'),
        budget_tokens: z.number().int().positive(),
        display: z.enum(['summarized', 'omitted']).optional(),
      }),
      z.object({ type: z.literal('adaptive'), display: z.enum(['summarized', 'omitted']).optional() }),
      z.object({ type: z.literal('disabled') }),
    ])
    .optional(),
  output_config: z
    .looseObject({
      format: z
        .object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })
        .nullable()
        .optional(),
      effort: z.string().nullable().optional(),
    })
    .optional(),
  /** Automatic caching: a breakpoint on the last block. */
  ...cacheControl,
});

export type MessagesBody = z.infer<typeof messagesBody>;

/** `POST /v1/messages/count_tokens`: the same body without `max_tokens` and `stream`. */
export const countTokensBody = messagesBody.extend({ max_tokens: z.number().int().positive().optional() });
export type CountTokensBody = z.infer<typeof countTokensBody>;
