import { Bot, type BotConfig } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { createBotCommands } from '../shared/bot-commands.js';
import { type BotLogger, errorFields } from '../shared/bot-logger.js';
import type { BotServices } from '../shared/bot-services.js';
import { messagesFor } from '../shared/i18n/index.js';
import type { Scheduler } from '../shared/scheduler.js';
import type { BotIdentity } from './addressing.js';
import { createBotApiFetch } from './bot-api-fetch.js';
import type { TelegramContext } from './context.js';
import { attachmentsComposer } from './handlers/attachments.js';
import { chatComposer } from './handlers/chat.js';
import { commandsComposer } from './handlers/commands.js';
import { identifyComposer } from './handlers/identify.js';
import { paymentsComposer, type TelegramStars } from './handlers/payments.js';
import { photosComposer } from './handlers/photos.js';
import { voiceComposer } from './handlers/voice.js';
import type { PendingPhotos } from './pending-photos.js';

export interface TelegramBotOptions {
  token: string;
  /** TELEGRAM_API_ROOT (no trailing slash). */
  apiRoot?: string;
  services: BotServices;
  logger: BotLogger;
  scheduler?: Scheduler;
  /** Telegram Stars top-ups (core/topups); without it /topup offers bank transfer only. */
  stars?: TelegramStars;
  /** Where photos wait for the "edit or ask?" buttons; without it unclear captions are questions. */
  pendingPhotos?: PendingPhotos;
  /** Skips the `getMe` call on init (tests, benchmarks). */
  botInfo?: UserFromGetMe;
}

/**
 * The grammY bot: dedupe and identity first, then one composer per feature (commands and menus,
 * chat turns) behind an error boundary, so one failing update never stops the others.
 */
export function createTelegramBot(options: TelegramBotOptions): Bot<TelegramContext> {
  const config: BotConfig<TelegramContext> = {
    client: {
      ...(options.apiRoot ? { apiRoot: options.apiRoot.replace(/\/+$/, '') } : {}),
      fetch: createBotApiFetch(),
    },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  };
  const bot = new Bot<TelegramContext>(options.token, config);
  const { services, logger } = options;
  const identity = (): BotIdentity => ({ id: bot.botInfo.id, username: bot.botInfo.username });
  const deps = {
    chat: services.chat,
    commands: createBotCommands(services),
    logger,
    ...(services.media ? { media: services.media } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    ...(options.stars ? { stars: options.stars } : {}),
    ...(options.pendingPhotos ? { pendingPhotos: options.pendingPhotos } : {}),
    fileUrl: (filePath: string) =>
      `${(options.apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, '')}/file/bot${options.token}/${filePath}`,
  };
  // Photos first: their button presses must not reach the menu handler, which answers every press.
  const features = [
    photosComposer(deps, identity),
    commandsComposer(deps, identity),
    chatComposer(deps, identity),
    attachmentsComposer(deps, identity),
    voiceComposer(
      { ...deps, ...(services.transcription ? { transcription: services.transcription } : {}) },
      identity,
    ),
  ];
  if (options.stars) features.unshift(paymentsComposer(options.stars, logger));

  bot.use(identifyComposer(services.chat));
  bot.errorBoundary(
    async (error) => {
      logger.error(
        { ...errorFields(error.error), updateId: error.ctx.update.update_id },
        'telegram update failed',
      );
      const chatId = error.ctx.chat?.id;
      if (chatId === undefined || !error.ctx.botUser) return;
      const t = error.ctx.t ?? messagesFor('id');
      await error.ctx.api.sendMessage(chatId, t.generationFailed()).catch(() => undefined);
    },
    ...features,
  );
  bot.catch((error) => logger.error(errorFields(error.error), 'telegram middleware failed'));
  return bot;
}
