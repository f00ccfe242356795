import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.js';
import { estimateInputTokens } from '../../core/metering/index.js';
import { mapError } from '../plugins/errors.js';
import { mediaTypes } from '../schemas/responses.js';
import {
  anthropicErrorResponse,
  countTokensResponse,
  eventStream,
  messageResponse,
} from '../schemas/responses-v1.js';
import { countTokensBody, messagesBody } from '../schemas/v1-messages.js';
import { validate } from '../schemas/validate.js';
import { fromAnthropicRequest } from '../v1/anthropic-request.js';
import { AnthropicEvents, anthropicMessage } from '../v1/anthropic-response.js';
import { apiChatInput } from '../v1/chat-input.js';
import { anthropicErrorBody, rateLimitHeaders, sendAnthropicError } from '../v1/errors.js';
import { namedFrame, SseWriter } from '../v1/sse.js';
import { outcomeHeaders } from './v1-chat.js';

/**
 * `POST /v1/messages`: the Anthropic Messages wire format over the same gateway, so Anthropic clients
 * can use any chat model of the catalog. Every error on this route, authentication included, is in
 * Anthropic's shape (this plugin has its own error handler).
 */
/** Every error on these routes is in Anthropic's shape. */
const anthropicErrors = { '4xx': anthropicErrorResponse, '5xx': anthropicErrorResponse };

export default async function messagesRoute(app: FastifyInstance, opts: { core: Core }) {
  const { gateway, catalog } = opts.core;
  app.setErrorHandler((error, _request, reply) => sendAnthropicError(reply, error));
  // Anthropic clients quote `request-id` to support; it is the same id as `x-request-id`.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', String(request.id));
  });

  app.post(
    '/v1/messages/count_tokens',
    {
      onRequest: app.requireApiKey('chat'),
      schema: {
        response: { 200: countTokensResponse, ...anthropicErrors },
        summary: 'Count the input tokens of a Messages request (free)',
        body: countTokensBody,
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const body = validate(countTokensBody, request.body);
        catalog.get(body.model, 'chat');
        // Our tokenizer's count, the same one holds are sized with; free, so no job and no charge.
        return { input_tokens: await estimateInputTokens(fromAnthropicRequest(body)) };
      } catch (error) {
        return sendAnthropicError(reply, error);
      }
    },
  );

  app.post(
    '/v1/messages',
    {
      onRequest: app.requireApiKey('chat', { metered: true }),
      schema: {
        response: {
          200: mediaTypes({ 'application/json': messageResponse, 'text/event-stream': eventStream }),
          ...anthropicErrors,
        },
        summary: 'Messages (Anthropic format), streamed or not',
        body: messagesBody,
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      let input: ReturnType<typeof fromAnthropicRequest>;
      let body: ReturnType<typeof validate<typeof messagesBody>>;
      try {
        body = validate(messagesBody, request.body);
        input = fromAnthropicRequest(body);
      } catch (error) {
        return sendAnthropicError(reply, error);
      }
      const base = apiChatInput(request, reply, body.model, input);

      if (!body.stream) {
        try {
          const outcome = await gateway.completeChat({
            ...base,
            params: { stream: false, dialect: 'anthropic' },
          });
          return reply.headers(outcomeHeaders(outcome)).send(anthropicMessage(outcome));
        } catch (error) {
          return sendAnthropicError(reply, error);
        }
      }

      const run = gateway.runChat({ ...base, params: { stream: true, dialect: 'anthropic' } });
      const sse = new SseWriter(request, reply);
      const events = new AnthropicEvents();
      try {
        for await (const part of run) {
          if (part.type === 'start') {
            sse.start({
              'x-aiport-job-id': part.jobId,
              'request-id': String(request.id),
              ...rateLimitHeaders(part.rateLimit),
            });
            await sse.write(
              events.start(
                part.jobId,
                part.model,
                part.inputTokens,
                part.provider === 'anthropic' ? part.info?.serviceTier : undefined,
              ),
            );
            continue;
          }
          const frames = events.part(part);
          if (frames && !(await sse.write(frames))) break;
        }
        const outcome = await run.result;
        if (!sse.started) return reply;
        await sse.write(events.finish(outcome));
        sse.end();
      } catch (error) {
        if (!sse.started) return sendAnthropicError(reply, error);
        // A cut answer ends with an error event, never with message_stop.
        await sse.write(namedFrame('error', anthropicErrorBody(mapError(error))));
        sse.end();
      }
      return reply;
    },
  );
}
