import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import pricingRoute from './pricing.js';
import chatCompletionsRoute from './v1-chat.js';
import messagesRoute from './v1-messages.js';
import modelsRoute from './v1-models.js';
import responsesRoute from './v1-responses.js';

/** The text gateway's HTTP surface: chat completions, responses, messages, models and the public price list. */
export default async function gatewayRoutes(app: FastifyInstance, opts: { core: Core }) {
  await app.register(chatCompletionsRoute, opts);
  await app.register(responsesRoute, opts);
  // Its own plugin context, so its error handler answers in Anthropic's shape.
  await app.register(messagesRoute, opts);
  await app.register(modelsRoute, opts);
  await app.register(pricingRoute, opts);
}
