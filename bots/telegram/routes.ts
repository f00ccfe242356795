import type { FastifyPluginAsync } from 'fastify';
import type { Update } from 'grammy/types';
import type { TelegramRuntime } from './runtime.js';
import { TELEGRAM_SECRET_HEADER, verifyTelegramSecret } from './verify-secret.js';

/**
 * `POST /telegram/webhook`: 401 unless `X-Telegram-Bot-Api-Secret-Token` matches (and always when
 * no secret is configured), 400 for a body that is not an update, otherwise 200 at once with the
 * update handled in the background.
 */
export function telegramRoutes(runtime: TelegramRuntime, secret: string | undefined): FastifyPluginAsync {
  return async (app) => {
    app.post(
      '/telegram/webhook',
      { schema: { summary: 'Telegram Bot API webhook (secret token)', tags: ['Webhooks'] } },
      async (request, reply) => {
        if (!verifyTelegramSecret(secret, request.headers[TELEGRAM_SECRET_HEADER])) {
          return reply.code(401).type('text/plain').send('unauthorized');
        }
        const update = request.body as Partial<Update> | undefined;
        if (typeof update !== 'object' || update === null || !Number.isSafeInteger(update.update_id)) {
          return reply.code(400).type('text/plain').send('not an update');
        }
        runtime.dispatch(update as Update);
        return reply.code(200).send({});
      },
    );
  };
}
