import { z } from 'zod';

/**
 * `POST /v1/responses`, OpenAI's Responses API (CreateResponse). Items and parts are checked by
 * type; a message item may omit `type` (the spec's EasyInputMessage) and an item reference may be
 * just `{id}`. Settings we cannot honour are refused by the converter, naming them.
 */

const inputText = z.looseObject({ type: z.literal('input_text'), text: z.string() });
const outputText = z.looseObject({ type: z.literal('output_text'), text: z.string() });
const refusalPart = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });
const inputImage = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().min(1).nullable().optional(),
  file_id: z.string().min(1).nullable().optional(),
  detail: z.enum(['auto', 'low', 'high', 'original']).nullable().optional(),
});
const inputFile = z.looseObject({ type: z.literal('input_file') });

const contentPart = z.discriminatedUnion(
  'type',
  [inputText, outputText, refusalPart, inputImage, inputFile],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'content parts must be "input_text", "input_image", "input_file", "output_text" or "refusal"'
        : undefined,
  },
);
export type ResponsesContentPart = z.infer<typeof contentPart>;

const messageItem = z.looseObject({
  type: z.literal('message'),
  role: z.enum(['user', 'assistant', 'system', 'developer'], {
    error: 'role must be user, assistant, system or developer',
  }),
  content: z.union([z.string(), z.array(contentPart)]),
  id: z.string().optional(),
});
const functionCallItem = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1).max(64),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().optional(),
});
const functionCallOutputItem = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1).max(64),
  output: z.union([z.string(), z.array(contentPart)]),
});
const itemReference = z.object({ type: z.literal('item_reference'), id: z.string().min(1) });
const reasoningItem = z.looseObject({ type: z.literal('reasoning') });

const ITEM_TYPES = 'message, function_call, function_call_output, item_reference or reasoning';

/** A message may come without `type`, a reference as a bare `{id}`. */
function withItemType(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'type' in value) return value;
  if ('role' in value) return { ...value, type: 'message' };
  if ('id' in value) return { ...value, type: 'item_reference' };
  return value;
}

export const responsesItem = z.preprocess(
  withItemType,
  z.discriminatedUnion(
    'type',
    [messageItem, functionCallItem, functionCallOutputItem, itemReference, reasoningItem],
    {
      error: (issue) =>
        issue.code === 'invalid_union' ? `input items must be of type ${ITEM_TYPES}` : undefined,
    },
  ),
);
export type ResponsesItem = z.infer<typeof responsesItem>;

const functionTool = z.looseObject({
  type: z.literal('function'),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1-64 letters, digits, _ or -'),
  description: z.string().nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  strict: z.boolean().nullable().optional(),
});
const tool = z.discriminatedUnion('type', [functionTool], {
  error: (issue) =>
    issue.code === 'invalid_union' ? 'only "function" tools are supported on this gateway' : undefined,
});

const toolChoice = z.union(
  [z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('function'), name: z.string().min(1) })],
  { error: 'tool_choice must be "auto", "none", "required" or {"type":"function","name":...}' },
);

const format = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'names are 1-64 letters, digits, _ or -'),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullable().optional(),
  }),
]);

const metadata = z
  .record(z.string().max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 16, 'metadata holds at most 16 pairs');

export const responsesBody = z.looseObject({
  model: z.string().min(1, 'model must not be empty'),
  /** A string is one user message; it is read as that item, so errors name the item that is wrong. */
  input: z
    .preprocess(
      (v) => (typeof v === 'string' ? [{ type: 'message', role: 'user', content: v }] : v),
      z.array(responsesItem),
    )
    .optional(),
  instructions: z.string().nullable().optional(),
  tools: z.array(tool).nullable().optional(),
  tool_choice: toolChoice.nullable().optional(),
  text: z
    .looseObject({
      format: format.nullable().optional(),
      verbosity: z.enum(['low', 'medium', 'high']).nullable().optional(),
    })
    .nullable()
    .optional(),
  max_output_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  reasoning: z
    .looseObject({
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).nullable().optional(),
      summary: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  metadata: metadata.nullable().optional(),
  store: z.boolean().nullable().optional(),
  previous_response_id: z.string().min(1).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  include: z.array(z.string()).nullable().optional(),
  user: z.string().nullable().optional(),
  safety_identifier: z.string().max(64).nullable().optional(),
  prompt_cache_key: z.string().nullable().optional(),
  service_tier: z.string().nullable().optional(),
  truncation: z.enum(['auto', 'disabled']).nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  background: z.boolean().nullable().optional(),
  conversation: z.unknown().optional(),
  prompt: z.unknown().optional(),
  max_tool_calls: z.number().int().positive().nullable().optional(),
});

export type ResponsesBody = z.infer<typeof responsesBody>;
