import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.js';
import { mrpToIdrNumber } from '../../core/ledger/index.js';
import type { ChatOutcome } from '../../core/routing/index.js';
import { mediaTypes } from '../schemas/responses.js';
import { chatCompletionResponse, eventStream } from '../schemas/responses-v1.js';
import { chatCompletionBody } from '../schemas/v1-chat.js';
import { validate } from '../schemas/validate.js';
import { apiChatInput } from '../v1/chat-input.js';
import { openAiStreamError, rateLimitHeaders, sendOpenAiError } from '../v1/errors.js';
import { fromOpenAiRequest } from '../v1/openai-request.js';
import { completionId, OpenAiChunks, openAiCompletion } from '../v1/openai-response.js';
import { dataFrame, SseWriter } from '../v1/sse.js';

/** Headers every answered model request carries: the job to quote to support, and what it cost. */
export function outcomeHeaders(outcome: ChatOutcome): Record<string, string> {
  return {
    'x-aiport-job-id': outcome.jobId,
    'x-aiport-cost-idr': String(mrpToIdrNumber(outcome.costMrp)),
    ...rateLimitHeaders(outcome.rateLimit),
  };
}

/** A chat completion: JSON, or with `"stream": true` server-sent chunks. */
export const chatAnswers = mediaTypes({
  'application/json': chatCompletionResponse,
  'text/event-stream': eventStream,
});

/** `POST /v1/chat/completions`: the OpenAI wire format over the chat gateway, stream and non-stream. */
export default async function chatCompletionsRoute(app: FastifyInstance, opts: { core: Core }) {
  app.post(
    '/v1/chat/completions',
    {
      onRequest: app.requireApiKey('chat', { metered: true }),
      schema: {
        response: { 200: chatAnswers },
        summary: 'Chat completion (OpenAI format), streamed or not',
        body: chatCompletionBody,
      },
    },
    chatCompletionsHandler(opts.core),
  );
}

/**
 * The handler itself, for any route whose preHandler authenticated the caller: the API (a key) and
 * the web playground (a session), billed alike.
 */
export function chatCompletionsHandler(core: Core) {
  const { gateway } = core;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    let input: ReturnType<typeof fromOpenAiRequest>;
    let body: ReturnType<typeof validate<typeof chatCompletionBody>>;
    try {
      body = validate(chatCompletionBody, request.body);
      input = fromOpenAiRequest(body);
    } catch (error) {
      return sendOpenAiError(reply, error);
    }
    const base = apiChatInput(request, reply, body.model, input);
    const created = Math.floor(Date.now() / 1000);

    if (!body.stream) {
      try {
        const outcome = await gateway.completeChat({ ...base, params: { stream: false, ...nParam(body.n) } });
        return reply.headers(outcomeHeaders(outcome)).send(openAiCompletion(outcome, created));
      } catch (error) {
        return sendOpenAiError(reply, error);
      }
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const run = gateway.runChat({
      ...base,
      params: { stream: true, include_usage: includeUsage, ...nParam(body.n) },
    });
    const sse = new SseWriter(request, reply);
    let chunks: OpenAiChunks | undefined;
    try {
      for await (const part of run) {
        if (part.type === 'start') {
          sse.start({
            'x-aiport-job-id': part.jobId,
            ...rateLimitHeaders(part.rateLimit),
          });
          chunks = new OpenAiChunks(completionId(part.jobId), part.model, created, part.provider, part.info);
          for (const chunk of chunks.first(body.n ?? 1)) await sse.write(dataFrame(chunk));
          continue;
        }
        const chunk = chunks?.part(part);
        if (chunk && !(await sse.write(dataFrame(chunk)))) break;
      }
      const outcome = await run.result;
      if (!sse.started || !chunks) return reply; // the client left before the answer began
      const finishes = chunks.finishes(outcome);
      for (const chunk of finishes.others) await sse.write(dataFrame(chunk));
      await sse.write(dataFrame({ ...finishes.first, aiport: aiportFacts(outcome) }));
      if (includeUsage) await sse.write(dataFrame(chunks.usage(outcome)));
      await sse.write('data: [DONE]\n\n');
      sse.end();
    } catch (error) {
      if (!sse.started) return sendOpenAiError(reply, error);
      // A cut answer ends with an error event and no [DONE], so clients never take it as complete.
      await sse.write(dataFrame(openAiStreamError(error)));
      sse.end();
    }
    return reply;
  };
}

/** The job record notes how many answers were asked for (they share one usage and one charge). */
function nParam(n: number | null | undefined) {
  return n != null && n > 1 ? { n } : {};
}

/** Extra facts on the finish chunk, for clients that want them without `include_usage`. */
function aiportFacts(outcome: ChatOutcome) {
  return {
    job_id: outcome.jobId,
    cost_idr: mrpToIdrNumber(outcome.costMrp),
    usage_estimated: outcome.usageEstimated,
  };
}
