import { App, LogLevel } from '@slack/bolt';
import type { FastifyPluginAsync } from 'fastify';
import { createBotCommands } from '../shared/bot-commands.js';
import type { BotLogger } from '../shared/bot-logger.js';
import type { BotServices } from '../shared/bot-services.js';
import type { Scheduler } from '../shared/scheduler.js';
import { registerMessageHandlers } from './handlers/messages.js';
import { registerSlashCommand } from './handlers/slash-command.js';
import { FastifySlackReceiver } from './receiver.js';

/** Where Slack serves shared files (`url_private_download`). */
const SLACK_FILE_ORIGIN = 'https://files.slack.com';

export interface SlackBotOptions {
  token: string;
  signingSecret: string | undefined;
  /** SLACK_API_URL, with its trailing slash. */
  apiUrl?: string;
  services: BotServices;
  logger: BotLogger;
  scheduler?: Scheduler;
}

export interface SlackBot {
  app: App;
  routes: FastifyPluginAsync;
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Bolt app on our own receiver: construction makes no network call; `auth.test` (the bot's
 * user id, to strip its mentions) runs before the first event. Web API calls reject 429s so the
 * streaming code can honour Retry-After itself.
 */
export function createSlackBot(options: SlackBotOptions): SlackBot {
  const { services, logger } = options;
  let init: Promise<void> | undefined;
  const receiver: FastifySlackReceiver = new FastifySlackReceiver({
    signingSecret: options.signingSecret,
    logger,
    firstDelivery: (eventId) => services.chat.firstDelivery('slack', eventId),
    ready: (): Promise<void> => {
      init ??= app.init().catch((error: unknown) => {
        init = undefined;
        throw error;
      });
      return init;
    },
  });
  const app: App = new App({
    token: options.token,
    receiver,
    deferInitialization: true,
    logLevel: LogLevel.ERROR,
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      rejectRateLimitedCalls: true,
    },
  });
  const deps = {
    chat: services.chat,
    commands: createBotCommands(services),
    logger,
    ...(services.media ? { media: services.media } : {}),
    ...(services.transcription ? { transcription: services.transcription } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    fileOrigins: [SLACK_FILE_ORIGIN, new URL(options.apiUrl ?? 'https://slack.com/api/').origin],
  };
  registerMessageHandlers(app, deps);
  registerSlashCommand(app, deps);
  app.error(async (error) => logger.error({ err: error.message, code: error.code }, 'slack listener failed'));
  return {
    app,
    routes: receiver.routes(),
    drain: () => receiver.drain(),
    stop: () => receiver.stop(),
  };
}
