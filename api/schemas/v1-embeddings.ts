import { z } from 'zod';

/**
 * `POST /v1/embeddings`, OpenAI's `CreateEmbeddingRequest` (no other fields: an unknown one is refused
 * by name). `input` is a string, an array of strings, one token-id array, or an array of them.
 */
const tokenId = z.number().int().nonnegative();

export const embeddingsBody = z.strictObject({
  model: z.string().min(1, 'model must not be empty'),
  input: z.union([z.string(), z.array(z.string()), z.array(tokenId), z.array(z.array(tokenId))], {
    error: 'input must be a string, an array of strings, or token-id arrays',
  }),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().max(256).optional(),
});

export type EmbeddingsBody = z.infer<typeof embeddingsBody>;
