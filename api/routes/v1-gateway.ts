import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import pricingRoute from './pricing.js';
import chatCompletionsRoute from './v1-chat.js';
import embeddingsRoute from './v1-embeddings.js';
import messagesRoute from './v1-messages.js';
import modelsRoute from './v1-models.js';
import responsesRoute from './v1-responses.js';

/** The text gateway's HTTP surface: chat completions, responses, embeddings, messages, models and the public price list. */
export default async function gatewayRoutes(app: FastifyInstance, opts: { core: Core }) {
  await app.register(chatCompletionsRoute, opts);
  await app.register(responsesRoute, opts);
  await app.register(embeddingsRoute, opts);
  // Its own plugin context, so its error handler answers in Anthropic's shape.
  await app.register(messagesRoute, opts);
  await app.register(modelsRoute, opts);
  await app.register(pricingRoute, opts);
}
