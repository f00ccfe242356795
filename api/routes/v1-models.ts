import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.js';
import { CoreError } from '../../core/errors.js';
import { modelView } from '../v1/model-views.js';

/** `GET /v1/models` and `GET /v1/models/:id`: the served catalog in OpenAI's list shape, with kind and IDR prices. Any valid key may list. */
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
    await apiKeys.authenticate(secret);
  };

  app.get(
    '/v1/models',
    { preHandler: anyKey, schema: { summary: 'Models this server serves' } },
    async () => ({
      object: 'list',
      data: catalog.served.map(modelView),
    }),
  );

  app.get<{ Params: { id: string } }>('/v1/models/:id', { preHandler: anyKey }, async (request) => {
    const model = catalog.find(request.params.id);
    if (!model) {
      throw new CoreError(
        'model_not_found',
        `The model "${request.params.id}" does not exist or is not available`,
      );
    }
    return modelView(model);
  });
}
