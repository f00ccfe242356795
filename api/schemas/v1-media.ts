import { z } from 'zod';

/**
 * OpenAI-compatible media request bodies. Values are only shape-checked here; the media service
 * checks them against the catalog (model, size, n, seconds, prompt length). Multipart sends every
 * field as text, so numbers are coerced from strings there.
 */

const common = {
  model: z.string().min(1).max(100).optional(),
  prompt: z.string({ error: 'must be a string' }),
  size: z.string().max(20).optional(),
  quality: z.string().max(20).optional(),
  response_format: z.enum(['url', 'b64_json']).optional(),
  output_format: z.enum(['png', 'jpeg', 'webp']).optional(),
  output_compression: z.coerce.number().int().min(0).max(100).optional(),
  background: z.enum(['transparent', 'opaque', 'auto']).optional(),
  moderation: z.enum(['low', 'auto']).optional(),
  user: z.string().max(256).optional(),
};

export const imageGenerationBody = z.object({
  ...common,
  n: z.number().int().optional(),
  style: z.enum(['vivid', 'natural']).optional(),
});

export const imageEditFields = z.object({
  ...common,
  n: z.coerce.number().int().optional(),
  input_fidelity: z.enum(['high', 'low']).optional(),
});

/** OpenAI sends `seconds` as a string enum ("4"); numbers are accepted too. */
const seconds = z
  .union([z.number(), z.string().regex(/^\d{1,3}$/, 'must be a whole number of seconds')])
  .transform(Number)
  .optional();

export const videoBody = z.object({
  model: z.string().min(1).max(100).optional(),
  prompt: z.string({ error: 'must be a string' }),
  seconds,
  size: z.string().max(20).optional(),
});

export const videoParams = z.object({ id: z.string().min(1).max(100) });

export const videoContentQuery = z.object({
  variant: z.enum(['video', 'thumbnail', 'spritesheet']).default('video'),
});

export const fileQuery = z.object({
  exp: z.string().max(20).optional(),
  sig: z.string().max(100).optional(),
});
