import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { mrpToIdrNumber } from '../../core/ledger/index.js';
import { authOf } from '../plugins/auth.js';
import { embeddingsResponse as embeddingsResponseSchema } from '../schemas/responses-v1.js';
import { embeddingsBody } from '../schemas/v1-embeddings.js';
import { validate } from '../schemas/validate.js';
import { embeddingInputsOf, embeddingsResponse } from '../v1/embeddings.js';
import { rateLimitHeaders, sendOpenAiError } from '../v1/errors.js';

/** `POST /v1/embeddings`: OpenAI's format over the embedding gateway (billed per input token). */
export default async function embeddingsRoute(app: FastifyInstance, opts: { core: Core }) {
  const { embeddings } = opts.core;
  app.post(
    '/v1/embeddings',
    {
      preHandler: app.requireApiKey('chat'),
      schema: {
        response: { 200: embeddingsResponseSchema },
        summary: 'Embeddings (OpenAI format), float or base64',
        body: embeddingsBody,
      },
    },
    async (request, reply) => {
      try {
        const body = validate(embeddingsBody, request.body);
        const auth = authOf(request);
        const format = body.encoding_format ?? 'float';
        const outcome = await embeddings.embed({
          accountId: auth.accountId,
          ...(auth.keyId ? { keyId: auth.keyId } : {}),
          channel: 'api',
          modelId: body.model,
          inputs: embeddingInputsOf(body.input),
          ...(body.dimensions === undefined ? {} : { dimensions: body.dimensions }),
          ...(body.user === undefined ? {} : { user: body.user }),
          params: { encoding_format: format },
        });
        return reply
          .headers({
            'x-aiport-job-id': outcome.jobId,
            'x-aiport-cost-idr': String(mrpToIdrNumber(outcome.costMrp)),
            ...rateLimitHeaders(outcome.rateLimit),
          })
          .send(embeddingsResponse(outcome, format));
      } catch (error) {
        return sendOpenAiError(reply, error);
      }
    },
  );
}
