import { z } from 'zod';

/**
 * `POST /v1/chat/completions`, the OpenAI wire format. Known fields are type-checked and passed on
 * to the providers that honour them, or refused by name (see the README's parameter table).
 */

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const userPart = z.discriminatedUnion('type', [textPart, imagePart], {
  error: (issue) =>
    issue.code === 'invalid_union' ? 'content parts must be "text" or "image_url"' : undefined,
});

const toolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function').default('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
  /** Gemini's OpenAI-compatible slot for a call's thought signature, given back as we returned it. */
  extra_content: z
    .object({ google: z.object({ thought_signature: z.string().optional() }).optional() })
    .optional(),
});

const textContent = z.union([z.string(), z.array(textPart)]);

const message = z.discriminatedUnion(
  'role',
  [
    z.object({ role: z.literal('system'), content: textContent, name: z.string().optional() }),
    z.object({ role: z.literal('developer'), content: textContent, name: z.string().optional() }),
    z.object({
      role: z.literal('user'),
      content: z.union([z.string(), z.array(userPart).min(1, 'content must not be empty')]),
      name: z.string().optional(),
    }),
    z.object({
      role: z.literal('assistant'),
      content: z.union([textContent, z.null()]).optional(),
      tool_calls: z.array(toolCall).optional(),
      /** DeepSeek's field for the turn's reasoning, returned to us as we returned it. */
      reasoning_content: z.string().nullable().optional(),
      refusal: z.string().nullable().optional(),
      name: z.string().optional(),
    }),
    z.object({ role: z.literal('tool'), content: textContent, tool_call_id: z.string().min(1) }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? 'role must be system, developer, user, assistant or tool' : undefined,
  },
);

const tool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1-64 letters, digits, _ or -'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

const toolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
]);

const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().min(1),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
      description: z.string().optional(),
    }),
  }),
]);

export const chatCompletionBody = z.looseObject({
  model: z.string().min(1, 'model must not be empty'),
  messages: z.array(message).min(1, 'messages must contain at least one message'),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  response_format: responseFormat.optional(),
  seed: z.number().int().nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  logit_bias: z.record(z.string(), z.number().min(-100).max(100)).nullable().optional(),
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  reasoning_effort: z
    .enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'])
    .nullable()
    .optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  user: z.string().nullable().optional(),
  safety_identifier: z.string().max(64).nullable().optional(),
  prompt_cache_key: z.string().nullable().optional(),
  service_tier: z.string().nullable().optional(),
  metadata: z.record(z.string().max(64), z.string().max(512)).nullable().optional(),
  verbosity: z.enum(['low', 'medium', 'high']).nullable().optional(),
});

export type ChatCompletionBody = z.infer<typeof chatCompletionBody>;
