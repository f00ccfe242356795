import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { keyAllowsModel } from '../../core/accounts/index.js';
import type { Core } from '../../core/core.js';
import { CoreError } from '../../core/errors.js';
import { modelListResponse, oneModelResponse } from '../schemas/responses-v1.js';
import { validate } from '../schemas/validate.js';
import { anthropicModelList } from '../v1/anthropic-models.js';
import { anthropicModelView, modelView } from '../v1/model-views.js';

/**
 * `GET /v1/models` and `GET /v1/models/:id`: the served catalog in OpenAI's list shape, with kind and
 * IDR prices (Anthropic's shape when the request carries `anthropic-version`). Any valid key may list; a key with an allow-list of models or kinds sees only those,
 * and asking for another model by id gets the same 403 a request with it would.
 */
export default async function modelsRoute(app: FastifyInstance, opts: { core: Core }) {
  const { catalog, apiKeys } = opts.core;

  const anyKey = async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const apiKey = request.headers['x-api-key'];
    const secret = header?.toLowerCase().startsWith('bearer ')
      ? header.slice(7).trim()
      : typeof apiKey === 'string'
        ? apiKey.trim()
        : '';
    if (!secret) throw new CoreError('unauthorized', 'Missing API key: send "Authorization: Bearer aip_..."');
    return apiKeys.authenticate(secret);
  };

  // Anthropic's SDKs send `anthropic-version`: they get Anthropic's list shape (paged), others OpenAI's.
  const anthropic = (request: FastifyRequest) => request.headers['anthropic-version'] !== undefined;

  app.get(
    '/v1/models',
    {
      schema: {
        response: { 200: modelListResponse },
        summary: 'Models this server serves',
        querystring: anthropicListQuery,
      },
    },
    async (request) => {
      const key = await anyKey(request);
      const models = catalog.served.filter((m) => keyAllowsModel(key, m));
      if (anthropic(request)) return anthropicModelList(models, request.query as Record<string, unknown>);
      return { object: 'list', data: models.map(modelView) };
    },
  );

  app.get(
    '/v1/models/:id',
    {
      schema: {
        response: { 200: oneModelResponse },
        summary: 'One model, its kind and IDR prices',
        params: modelParams,
      },
    },
    async (request) => {
      const key = await anyKey(request);
      const { id } = validate(modelParams, request.params, 'params');
      const model = catalog.find(id);
      if (!model) {
        throw new CoreError('model_not_found', `The model "${id}" does not exist or is not available`);
      }
      if (!keyAllowsModel(key, model)) {
        throw new CoreError('forbidden', `This API key may not use the model "${model.id}"`, {
          details: { param: 'model' },
        });
      }
      return anthropic(request) ? anthropicModelView(model) : modelView(model);
    },
  );
}

const modelParams = z.object({ id: z.string().min(1).max(200) });

/** Anthropic's paging of the list (OpenAI clients send none of these). */
const anthropicListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  after_id: z.string().optional(),
  before_id: z.string().optional(),
});
