/**
 * The chat platforms. Every platform has the same parts, named alike in its folder:
 *
 * - entry: the inbound route, verified on the raw bytes (telegram/routes + runtime,
 *   slack/receiver, discord/interactions), answering fast and continuing in the background
 *   (shared/background-work, whose drain() shutdown and tests wait on);
 * - identify: the platform user to an account, created in the client's language
 *   (shared/identify);
 * - chat key: the conversation a message belongs to (telegram/context `telegramChatKey`,
 *   slack `slackChatKey`, discord `chatKeyOf`: channel, thread or DM);
 * - run-turn: one chat turn through core's conversation service (shared/run-turn), the platform
 *   giving only how to say, say privately and stream;
 * - commands and buttons: platform-neutral replies (shared/bot-commands), buttons bound to their
 *   owner (shared/choices, shared/photo-choice, shared/pending-choices), files answered alike
 *   (shared/file-answer, shared/document-text);
 * - render: the platform's markup, splitting and streaming (each folder's stream-reply).
 *
 * The conversation service itself is core's (`core.chat`); this file only wires the platforms.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { ChatService } from '../core/chat/index.js';
import type { Core } from '../core/core.js';
import type { MediaJob } from '../core/media/index.js';
import type { Notifier, ReplyTarget } from '../core/ports/notifier.js';
import { attachmentOrigins } from './discord/attachment-download.js';
import { registerCommands } from './discord/commands.js';
import { readPendingImage } from './discord/handlers/files.js';
import { createDiscordInteractions, type DiscordInteractions } from './discord/interactions.js';
import { createDiscordApi } from './discord/rest.js';
import { createMediaDelivery } from './media-delivery.js';
import { createMediaProgress, type MediaProgressUpdate } from './media-progress.js';
import { createBotNotifier, createChatMessenger } from './notifier.js';
import { type BotLogger, errorFields } from './shared/bot-logger.js';
import type { BotMedia, BotServices, BotTopups } from './shared/bot-services.js';
import { coreBotTopups } from './shared/core-topups.js';
import { redisPendingChoices } from './shared/pending-choices.js';
import type { Scheduler } from './shared/scheduler.js';
import { createSlackBot, type SlackBot } from './slack/app.js';
import { createTelegramBot } from './telegram/bot.js';
import { redisPendingPhotos } from './telegram/pending-photos.js';
import { telegramRoutes } from './telegram/routes.js';
import { createTelegramRuntime, type TelegramRuntime } from './telegram/runtime.js';

export type { MediaProgressUpdate } from './media-progress.js';
export type { BotLogger } from './shared/bot-logger.js';
export type { BotMedia, BotServices, BotTopup, BotTopups, MediaReplyTo } from './shared/bot-services.js';

/** What the bots read from the configuration (bin/ maps the environment to it). */
export interface BotsConfig {
  publicUrl: string;
  /** REDIS_PREFIX: the bots' Redis keys start with `{redisPrefix}:`. Default `aiport`. */
  redisPrefix?: string;
  telegram?: { token: string; webhookSecret?: string; apiRoot?: string };
  /** Present with a bot token; requests are refused unless the signing secret is set too. */
  slack?: { token: string; signingSecret?: string; apiUrl?: string };
  /** Present with an application id; requests are refused unless the public key is set too. */
  discord?: { applicationId: string; publicKey?: string; token?: string; apiBase?: string };
}

export interface BotsDeps {
  /** Its conversation service (`core.chat`) is what every bot talks through. */
  core: Core;
  redis: Redis;
  logger: BotLogger;
  topups?: BotTopups;
  media?: BotMedia;
  /** Tests pass a virtual scheduler so streaming never waits on the wall clock. */
  scheduler?: Scheduler;
}

export interface Bots {
  /** Fastify plugins for the inbound platform routes, always registered (they fail closed). */
  routes: FastifyPluginAsync[];
  chat: ChatService;
  telegram?: TelegramRuntime;
  slack?: SlackBot;
  discord?: DiscordInteractions;
  /** Confirmations (top-up credited) to the chat a request came from; for the workers. */
  notifier: Notifier;
  /** Brings finished images and videos to the chat they were asked from; for the delivery worker. */
  deliverMedia: (job: MediaJob) => Promise<void>;
  /** Shows a running video's progress in the chat it was asked from; for the delivery worker. */
  reportMediaProgress: (job: MediaJob, update: MediaProgressUpdate) => Promise<void>;
  /** Starts what runs on its own: Telegram long polling (or sets its webhook), command menus. */
  start(): Promise<void>;
  /** Stops polling and waits for the updates in flight. */
  stop(): Promise<void>;
  /** Waits until no update is being handled (tests, shutdown). */
  drain(): Promise<void>;
}

/** Every configured bot over core's conversation service, which they all share. */
export function createBots(deps: BotsDeps, config: BotsConfig): Bots {
  const { core, logger } = deps;
  const chat = core.chat;
  if (!chat) throw new Error('the bots need core built with a chat store (core.chat)');
  // Filled in once the platform clients exist (below): link notices go out through them.
  let tell: ((target: ReplyTarget, text: string) => Promise<void>) | undefined;
  const services: BotServices = {
    chat,
    topups: deps.topups ?? coreBotTopups(core.topups),
    privacy: core.privacy,
    transcription: core.transcription,
    starsOffered: core.topups.starPackages().length > 0,
    tell: (target, text) => (tell ? tell(target, text) : Promise.resolve()),
    ...(deps.media || core.media ? { media: deps.media ?? core.media! } : {}),
  };
  const routes: FastifyPluginAsync[] = [];

  let telegram: TelegramRuntime | undefined;
  if (config.telegram) {
    const bot = createTelegramBot({
      token: config.telegram.token,
      ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
      services,
      logger,
      stars: core.topups,
      pendingPhotos: redisPendingPhotos(deps.redis, `${config.redisPrefix ?? 'aiport'}:`),
      ...(deps.scheduler ? { scheduler: deps.scheduler } : {}),
    });
    telegram = createTelegramRuntime(bot, {
      ...(config.telegram.webhookSecret ? { webhookSecret: config.telegram.webhookSecret } : {}),
      webhookUrl: `${config.publicUrl.replace(/\/+$/, '')}/telegram/webhook`,
      logger,
    });
    routes.push(telegramRoutes(telegram, config.telegram.webhookSecret));
  }

  let slack: SlackBot | undefined;
  if (config.slack) {
    slack = createSlackBot({
      token: config.slack.token,
      signingSecret: config.slack.signingSecret,
      ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
      services,
      logger,
      ...(deps.scheduler ? { scheduler: deps.scheduler } : {}),
    });
    routes.push(slack.routes);
  }
  let discord: DiscordInteractions | undefined;
  const discordApi = config.discord ? createDiscordApi(config.discord) : undefined;
  if (config.discord && discordApi) {
    discord = createDiscordInteractions({
      publicKey: config.discord.publicKey,
      api: discordApi,
      services,
      logger,
      attachmentOrigins: attachmentOrigins(config.discord.apiBase),
      pendingImages: redisPendingChoices(
        deps.redis,
        `${config.redisPrefix ?? 'aiport'}:`,
        'dc:photo',
        readPendingImage,
      ),
      ...(deps.scheduler ? { scheduler: deps.scheduler } : {}),
    });
    routes.push(discord.routes);
  }
  // Platforms that are not configured still answer their route, refusing everything (fail closed).
  if (!telegram) routes.push(refuse('/telegram/webhook'));
  if (!slack) routes.push(refuse('/slack/events'));
  if (!discord) routes.push(refuse('/discord/interactions'));

  const clients = {
    ...(telegram ? { telegram: telegram.bot.api } : {}),
    ...(slack ? { slack: slack.app.client } : {}),
    ...(discordApi && config.discord?.token ? { discord: discordApi } : {}),
  };
  const send = createChatMessenger(clients);
  tell = async (target, text) => {
    await send(target, text).catch((error: unknown) =>
      logger.warn(errorFields(error), 'private notice failed'),
    );
  };

  return {
    routes,
    chat,
    ...(telegram ? { telegram } : {}),
    ...(slack ? { slack } : {}),
    ...(discord ? { discord } : {}),
    deliverMedia: createMediaDelivery({
      ...(telegram ? { telegram: telegram.bot.api } : {}),
      ...(slack ? { slack: slack.app.client } : {}),
      ...(discordApi ? { discord: discordApi } : {}),
      readFile: async (key) => {
        if (!core.media) throw new Error('media is not configured');
        return core.media.readFile(key);
      },
    }),
    reportMediaProgress: createMediaProgress({
      ...(telegram ? { telegram: telegram.bot.api } : {}),
      ...(slack ? { slack: slack.app.client } : {}),
      ...(discordApi ? { discord: discordApi } : {}),
    }),
    notifier: createBotNotifier(clients),
    async start() {
      // A platform that is down at boot must not keep the API and the other bots from starting;
      // webhook updates retry the bot's init on their own.
      await telegram
        ?.start()
        .catch((error: unknown) => logger.error(errorFields(error), 'telegram start failed'));
    },
    async stop() {
      await Promise.all([telegram?.stop(), slack?.stop(), discord?.drain()]);
    },
    async drain() {
      await Promise.all([telegram?.drain(), slack?.drain(), discord?.drain()]);
    },
  };
}

/** `npm run cli -- discord:register`: bulk-overwrites the slash commands (a guild's apply at once). */
export async function registerDiscordCommands(input: {
  applicationId: string;
  token: string;
  apiBase?: string;
  guildId?: string;
}): Promise<number> {
  const api = createDiscordApi({ token: input.token, ...(input.apiBase ? { apiBase: input.apiBase } : {}) });
  return registerCommands(api, input.applicationId, input.guildId);
}

function refuse(path: string): FastifyPluginAsync {
  return async (app) => {
    app.post(path, async (_request, reply) => reply.code(401).type('text/plain').send('not configured'));
  };
}
