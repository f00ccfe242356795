import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { CoreError } from '../../core/errors.js';
import { listRequests, requestDetail } from '../../core/jobs/index.js';
import { authOf } from '../plugins/auth.js';
import { requestDetailResponse, requestsResponse } from '../schemas/responses-account.js';
import { chatCompletionBody } from '../schemas/v1-chat.js';
import { validate } from '../schemas/validate.js';
import { requestParams, requestsQuery } from '../schemas/web.js';
import { chatAnswers, chatCompletionsHandler } from './v1-chat.js';

/**
 * What the dashboard needs beyond the REST account API: the request list with latency and a
 * request's detail (content only while retained), and the playground's chat, which runs exactly
 * like `/v1/chat/completions` (same gateway, same billing) for the signed-in session.
 */
export default async function webAccountRoutes(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const { db } = opts.core;
  app.addHook('preHandler', app.requireAccount());

  app.get(
    '/account/requests',
    {
      schema: {
        response: { 200: requestsResponse },
        summary: 'Requests, newest first, filtered (model, channel, status)',
        querystring: requestsQuery,
      },
    },
    async (request) => {
      const query = validate(requestsQuery, request.query, 'query');
      const rows = await listRequests(db.sql, authOf(request).accountId, {
        limit: query.limit,
        beforeId: query.before,
        model: query.model,
        channel: query.channel,
        status: query.status,
      });
      return { object: 'list', data: rows, has_more: rows.length === query.limit };
    },
  );

  app.get(
    '/account/requests/:id',
    {
      schema: {
        response: { 200: requestDetailResponse },
        summary: 'One request, with its content while retained',
        params: requestParams,
      },
    },
    async (request) => {
      const { id } = validate(requestParams, request.params, 'params');
      const detail = await requestDetail(db.sql, authOf(request).accountId, id);
      if (!detail) throw new CoreError('not_found', 'No such request');
      return detail;
    },
  );

  app.post(
    '/account/playground/chat/completions',
    {
      preHandler: async (request) => {
        if (authOf(request).via !== 'session')
          throw new CoreError('forbidden', 'The playground needs a signed-in session; programs use /v1');
      },
      schema: {
        response: { 200: chatAnswers },
        summary: 'Playground chat (OpenAI format), billed like the API',
        body: chatCompletionBody,
      },
    },
    chatCompletionsHandler(opts.core),
  );
}
