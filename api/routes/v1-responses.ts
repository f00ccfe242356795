import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Core } from '../../core/core.js';
import { CoreError } from '../../core/errors.js';
import { authOf } from '../plugins/auth.js';
import { mapError } from '../plugins/errors.js';
import { mediaTypes } from '../schemas/responses.js';
import { eventStream, responseDeletedResponse, responseObjectResponse } from '../schemas/responses-v1.js';
import {
  type ResponsesBody,
  type ResponsesItem,
  responsesBody,
  responsesItem,
} from '../schemas/v1-responses.js';
import { validate } from '../schemas/validate.js';
import { apiChatInput } from '../v1/chat-input.js';
import { rateLimitHeaders, sendOpenAiError } from '../v1/errors.js';
import { fromResponsesRequest } from '../v1/responses-request.js';
import {
  type ResponseHead,
  ResponsesEvents,
  responseIdOf,
  responseOf,
  responseSettings,
} from '../v1/responses-response.js';
import { SseWriter } from '../v1/sse.js';
import { outcomeHeaders } from './v1-chat.js';

/**
 * OpenAI's Responses API over the chat gateway (so it is routed, failed over and billed exactly like
 * chat): `POST /v1/responses` (stream and non-stream), and the stored responses behind
 * `previous_response_id`: `GET` and `DELETE /v1/responses/{id}`. A response is stored unless the
 * request says `store: false` or the account keeps no content (zero retention).
 */
export default async function responsesRoute(app: FastifyInstance, opts: { core: Core }) {
  const { gateway, responses } = opts.core;

  /** The conversation this request continues, then its own input, references resolved. */
  async function conversationOf(body: ResponsesBody, accountId: string) {
    let earlier: unknown[] = [];
    if (body.previous_response_id) {
      const stored = await responses.get(accountId, body.previous_response_id);
      if (!stored) {
        throw new CoreError(
          'invalid_request',
          `Previous response with id "${body.previous_response_id}" not found. Responses are kept 30 days, ` +
            'and never for store: false or zero-retention accounts: send the whole conversation as input instead.',
          { details: { param: 'previous_response_id', wire_code: 'previous_response_not_found' } },
        );
      }
      earlier = [...stored.inputItems, ...((stored.response.output as unknown[]) ?? [])];
    }
    const given: ResponsesItem[] = body.input ?? [];
    const referenced = given.flatMap((item) => (item.type === 'item_reference' ? [item.id] : []));
    const found = await responses.findOutputItems(accountId, referenced);
    const input = given.map((item) => (item.type === 'item_reference' ? (found.get(item.id) ?? item) : item));
    const history = validate(responsesItem.array(), earlier, 'stored conversation');
    const own = validate(responsesItem.array(), input, 'input');
    return { items: [...history, ...own], stored: [...earlier, ...input] };
  }

  app.post(
    '/v1/responses',
    {
      onRequest: app.requireApiKey('chat', { metered: true }),
      schema: {
        response: {
          200: mediaTypes({ 'application/json': responseObjectResponse, 'text/event-stream': eventStream }),
        },
        summary: 'Create a model response (OpenAI Responses format), streamed or not',
        body: responsesBody,
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      let body: ResponsesBody;
      let input: ReturnType<typeof fromResponsesRequest>;
      let conversation: Awaited<ReturnType<typeof conversationOf>>;
      const { accountId } = authOf(request);
      try {
        body = validate(responsesBody, request.body);
        conversation = await conversationOf(body, accountId);
        input = fromResponsesRequest(body, conversation.items);
      } catch (error) {
        return sendOpenAiError(reply, error);
      }
      const base = apiChatInput(request, reply, body.model, input);
      const createdAt = Math.floor(Date.now() / 1000);
      const settings = responseSettings(body, body.previous_response_id ?? undefined);
      const headOf = (jobId: string): ResponseHead => ({
        id: responseIdOf(jobId),
        createdAt,
        model: body.model,
        settings,
      });

      /** Keeps the response for later turns; a failure here must not lose the answer already paid for. */
      async function keep(jobId: string, response: Record<string, unknown>): Promise<void> {
        if (body.store === false) return;
        try {
          await responses.save({
            id: responseIdOf(jobId),
            accountId,
            jobId,
            response,
            inputItems: conversation.stored,
          });
        } catch (error) {
          request.log.error({ err: error }, 'storing a response failed');
        }
      }

      if (!body.stream) {
        try {
          const outcome = await gateway.completeChat({
            ...base,
            params: { stream: false, dialect: 'responses' },
          });
          const response = responseOf(headOf(outcome.jobId), outcome);
          await keep(outcome.jobId, response);
          return reply.headers(outcomeHeaders(outcome)).send(response);
        } catch (error) {
          return sendOpenAiError(reply, error);
        }
      }

      const run = gateway.runChat({ ...base, params: { stream: true, dialect: 'responses' } });
      const sse = new SseWriter(request, reply);
      let events: ResponsesEvents | undefined;
      try {
        for await (const part of run) {
          if (part.type === 'start') {
            sse.start({ 'x-aiport-job-id': part.jobId, ...rateLimitHeaders(part.rateLimit) });
            events = new ResponsesEvents(headOf(part.jobId));
            await sse.write(events.start());
            continue;
          }
          const frames = events?.part(part);
          if (frames && !(await sse.write(frames))) break;
        }
        const outcome = await run.result;
        if (!sse.started || !events) return reply; // the client left before the answer began
        const { frames, response } = events.finish(outcome);
        await keep(outcome.jobId, response);
        await sse.write(frames);
        sse.end();
      } catch (error) {
        if (!sse.started || !events) return sendOpenAiError(reply, error);
        // A cut answer ends with error and response.failed, never response.completed.
        await sse.write(events.failed(mapError(error)));
        sse.end();
      }
      return reply;
    },
  );

  app.get<{ Params: { id: string }; Querystring: { stream?: string } }>(
    '/v1/responses/:id',
    {
      onRequest: app.requireApiKey('chat'),
      schema: {
        response: { 200: responseObjectResponse },
        summary: 'A stored response',
        params: responseParams,
      },
    },
    async (request, reply) => {
      if (request.query.stream === 'true') {
        return sendOpenAiError(
          reply,
          new CoreError('invalid_request', 'Stored responses are returned whole, not replayed as a stream', {
            details: { param: 'stream' },
          }),
        );
      }
      const stored = await responses.get(authOf(request).accountId, request.params.id);
      if (!stored) return sendOpenAiError(reply, notFound(request.params.id));
      return stored.response;
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/responses/:id',
    {
      onRequest: app.requireApiKey('chat'),
      schema: {
        response: { 200: responseDeletedResponse },
        summary: 'Delete a stored response',
        params: responseParams,
      },
    },
    async (request, reply) => {
      const removed = await responses.remove(authOf(request).accountId, request.params.id);
      if (!removed) return sendOpenAiError(reply, notFound(request.params.id));
      return { id: request.params.id, object: 'response', deleted: true };
    },
  );
}

const responseParams = z.object({ id: z.string().min(1) });

function notFound(id: string): CoreError {
  return new CoreError('not_found', `Response with id "${id}" not found`, { details: { param: 'id' } });
}
