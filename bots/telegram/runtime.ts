import { type RunnerHandle, run } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { createBackgroundWork } from '../shared/background-work.js';
import { type BotLogger, errorFields } from '../shared/bot-logger.js';
import { registerTelegramCommands } from './commands.js';
import type { TelegramContext } from './context.js';

export interface TelegramRuntimeOptions {
  /** TELEGRAM_WEBHOOK_SECRET: webhook mode when set, long polling otherwise. */
  webhookSecret?: string;
  /** Where Telegram should post updates (PUBLIC_URL + /telegram/webhook), set on start in webhook mode. */
  webhookUrl?: string;
  logger: BotLogger;
}

/**
 * Runs the bot in one of Telegram's two modes. Webhook updates are acknowledged at once and
 * handled in the background (a late answer makes Telegram redeliver; dedupe catches those);
 * `drain()` waits for the ones in flight, for shutdown and tests.
 */
export function createTelegramRuntime(bot: Bot<TelegramContext>, options: TelegramRuntimeOptions) {
  const background = createBackgroundWork(options.logger);
  let init: Promise<void> | undefined;
  let runner: RunnerHandle | undefined;
  const ready = () => {
    init ??= bot.init().catch((error: unknown) => {
      init = undefined;
      throw error;
    });
    return init;
  };

  return {
    bot,
    mode: options.webhookSecret ? ('webhook' as const) : ('polling' as const),

    /** Handles one webhook update in the background. */
    dispatch(update: Update): void {
      void background.run(
        ready().then(() => bot.handleUpdate(update)),
        'telegram update failed',
      );
    },

    drain: () => background.drain(),

    async start(): Promise<void> {
      await ready();
      await registerTelegramCommands(bot.api).catch((error: unknown) =>
        options.logger.warn(errorFields(error), 'telegram setMyCommands failed'),
      );
      if (options.webhookSecret) {
        if (options.webhookUrl) {
          await bot.api
            .setWebhook(options.webhookUrl, { secret_token: options.webhookSecret })
            .catch((error: unknown) => options.logger.warn(errorFields(error), 'telegram setWebhook failed'));
        }
        return;
      }
      await bot.api.deleteWebhook().catch(() => undefined);
      runner = run(bot);
    },

    async stop(): Promise<void> {
      if (runner?.isRunning()) await runner.stop();
      runner = undefined;
      await this.drain();
    },
  };
}

export type TelegramRuntime = ReturnType<typeof createTelegramRuntime>;
