import { z } from 'zod';

export const PROVIDERS = [
  'openai',
  'anthropic',
  'gemini',
  'deepseek',
  'runninghub',
  'openai-compatible',
] as const;
export type CatalogProvider = (typeof PROVIDERS)[number];

const idrPrice = z
  .union([z.number(), z.string()])
  .refine((v) => Number(v) >= 0, 'price must not be negative');

const inputMapping = z.object({
  nodeId: z.string().min(1),
  fieldName: z.string().min(1),
  /** For numeric inputs that the workflow wants in other units (e.g. frames per second of video). */
  multiplier: z.number().positive().optional(),
});

const route = z
  .object({
    provider: z.enum(PROVIDERS, { error: (i) => `unknown provider ${JSON.stringify(i.input)}` }),
    model: z.string().min(1).optional(),
    workflowId: z.string().min(1).optional(),
    inputs: z.record(z.string(), inputMapping).optional(),
  })
  .refine(
    (r) => (r.provider === 'runninghub' ? Boolean(r.workflowId && r.inputs?.prompt) : Boolean(r.model)),
    {
      message: 'a route needs "model", or for runninghub "workflowId" and an "inputs.prompt" mapping',
    },
  );

const base = {
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'ids are lower-case letters, digits, ".", "_" and "-"'),
  name: z.string().min(1).optional(),
  /** When this deployment began offering the model (YYYY-MM-DD): `created` on `/v1/models`. */
  created: z.iso.date('created is a date: YYYY-MM-DD').optional(),
  routes: z.array(route).min(1, 'a model needs at least one route'),
};

export const catalogModelSchema = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('chat'),
    max_output_tokens: z.number().int().positive().default(4096),
    context_window: z.number().int().positive().default(32768),
    vision: z.boolean().default(false),
    tools: z.boolean().default(false),
    price: z.object({
      input_per_mtok: idrPrice,
      output_per_mtok: idrPrice,
      cached_input_per_mtok: idrPrice.optional(),
      /** Prompt-cache writes (Anthropic): 5-minute and 1-hour lifetimes; the input price when absent. */
      cache_write_per_mtok: idrPrice.optional(),
      cache_write_1h_per_mtok: idrPrice.optional(),
    }),
  }),
  z.object({
    ...base,
    kind: z.literal('embedding'),
    /** The longest input (tokens) the model reads; OpenAI refuses a longer one, Gemini truncates it. */
    max_input_tokens: z.number().int().positive().default(8192),
    /** The vector size when the request names none. */
    dimensions: z.number().int().positive(),
    /** Whether a request may ask for shorter vectors (`dimensions`), up to the default size. */
    adjustable_dimensions: z.boolean().default(false),
    price: z.object({ input_per_mtok: idrPrice }),
  }),
  z.object({
    ...base,
    kind: z.literal('image'),
    sizes: z.array(z.string()).min(1).default(['1024x1024']),
    max_n: z.number().int().min(1).max(10).default(1),
    price: z.object({ per_image: idrPrice }),
  }),
  z.object({
    ...base,
    kind: z.literal('video'),
    durations: z.array(z.number().int().positive()).min(1).default([5]),
    sizes: z.array(z.string()).min(1).default(['1280x720']),
    price: z.object({ per_video_second: idrPrice }),
  }),
  z.object({
    ...base,
    kind: z.literal('transcription'),
    /** The longest audio (seconds) accepted; longer audio is refused before it is downloaded or sent. */
    max_seconds: z.number().int().positive().default(600),
    /** The largest audio file (bytes) the upstream takes (OpenAI: 25 MiB). */
    max_bytes: z.number().int().positive().default(26_214_400),
    /** Billed per second of audio. */
    price: z.object({ per_audio_second: idrPrice }),
  }),
]);

export const catalogSchema = z.object({
  defaults: z.object({
    chat: z.string(),
    image: z.string().optional(),
    video: z.string().optional(),
    /** The speech-to-text model voice notes are transcribed with; without one, bots ask to type. */
    transcription: z.string().optional(),
  }),
  models: z.array(catalogModelSchema).min(1),
});

export type CatalogFile = z.infer<typeof catalogSchema>;
export type CatalogFileModel = z.infer<typeof catalogModelSchema>;
