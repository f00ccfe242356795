import type { API } from '@discordjs/core/http-only';
import type { FastifyPluginAsync } from 'fastify';
import type { BotUser } from '../../core/chat/index.js';
import { createBotCommands, languageOf } from '../shared/bot-commands.js';
import { type BotLogger, errorFields } from '../shared/bot-logger.js';
import type { BotServices } from '../shared/bot-services.js';
import { decodeChoice } from '../shared/choices.js';
import { errorMessage } from '../shared/error-message.js';
import { languageFromLocale, messagesFor } from '../shared/i18n/index.js';
import type { Scheduler } from '../shared/scheduler.js';
import { MESSAGE_LIMITS, splitMessage } from '../shared/split-message.js';
import { languageButtonsRow, modelSelectRow } from './components.js';
import { EPHEMERAL_FLAG } from './deliver.js';
import { type DeferredWork, runDiscordChat, runDiscordMedia } from './handlers/work.js';
import { type ParsedInteraction, PONG_RESPONSE, parseInteraction } from './interaction.js';
import { createDiscordVerifier } from './verify-signature.js';

export interface DiscordInteractionsOptions {
  /** DISCORD_PUBLIC_KEY; unset refuses every request. */
  publicKey: string | undefined;
  api: API;
  services: BotServices;
  logger: BotLogger;
  scheduler?: Scheduler;
}

type Command = Extract<ParsedInteraction, { kind: 'command' }>;

/** Commands answered later (type 5 "thinking…", then edits of @original and follow-ups). */
const DEFERRED = new Set(['chat', 'image', 'video']);

/**
 * `POST /discord/interactions`: Ed25519 verified on the raw bytes (401 otherwise), PING answered
 * with PONG. Account commands answer at once in the HTTP response (balance, top-up and link
 * ephemeral); chat, image and video are deferred through the callback endpoint within the
 * 3-second window, the HTTP request gets 202, and the work continues in the background.
 */
export function createDiscordInteractions(options: DiscordInteractionsOptions) {
  const { api, services, logger } = options;
  const verify = createDiscordVerifier(options.publicKey);
  const commands = createBotCommands(services);
  const pending = new Set<Promise<void>>();
  const workDeps = {
    api,
    chat: services.chat,
    logger,
    ...(services.media ? { media: services.media } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  };

  function background(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => logger.error(errorFields(error), 'discord work failed'))
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  }

  async function identify(interaction: Command | Extract<ParsedInteraction, { kind: 'component' }>) {
    const user = await services.chat.identify('discord', interaction.userId);
    const wanted = languageFromLocale(interaction.locale);
    if (user.created && wanted !== user.account.locale) {
      await services.chat.setLanguage(user.account.id, wanted);
      user.account = { ...user.account, locale: wanted };
    }
    return user;
  }

  const chatKeyOf = (i: { channelId?: string; userId: string }) => i.channelId ?? `dm:${i.userId}`;

  async function command(interaction: Command): Promise<{ status: number; body?: unknown }> {
    const user: BotUser = await identify(interaction);
    const t = messagesFor(languageOf(user));
    const target = {
      applicationId: interaction.applicationId,
      interactionToken: interaction.token,
      ...(interaction.attachmentSizeLimit ? { attachmentSizeLimit: interaction.attachmentSizeLimit } : {}),
    };
    const option = (name: string) => interaction.options[name];
    if (DEFERRED.has(interaction.name)) {
      const prompt = String(option('prompt') ?? '').trim();
      if (prompt === '') {
        const which = interaction.name === 'video' ? 'video' : 'image';
        return message(interaction.name === 'chat' ? t.help() : t.promptMissing({ command: which }), true);
      }
      try {
        services.chat.assertActive(user);
      } catch (error) {
        return message(errorMessage(error, t), true);
      }
      await api.interactions.defer(interaction.id, interaction.token);
      const work: DeferredWork = { target, user, t, chatKey: chatKeyOf(interaction) };
      if (interaction.name === 'chat') background(runDiscordChat(workDeps, work, prompt));
      else {
        const size = option('size');
        const count = option('count');
        background(
          runDiscordMedia(workDeps, work, {
            kind: interaction.name === 'video' ? 'video' : 'image',
            prompt,
            ...(typeof size === 'string' ? { size } : {}),
            ...(typeof count === 'number' ? { count } : {}),
            ...(interaction.channelId ? { channelId: interaction.channelId } : {}),
          }),
        );
      }
      return { status: 202 };
    }
    const args = String(option('amount') ?? option('code') ?? option('name') ?? '');
    const reply = await commands.execute({
      name: interaction.name,
      args,
      user,
      platform: 'discord',
      chatKey: chatKeyOf(interaction),
      replyTo: {
        platform: 'discord',
        ...(interaction.channelId ? { chatId: interaction.channelId } : {}),
        userId: interaction.userId,
      },
    });
    const components =
      reply.menu?.kind === 'model'
        ? [modelSelectRow(reply.menu.models, reply.menu.currentId, reply.text)]
        : reply.menu?.kind === 'lang'
          ? [languageButtonsRow()]
          : [];
    return message(reply.text, reply.ephemeral ?? false, components);
  }

  async function component(
    interaction: Extract<ParsedInteraction, { kind: 'component' }>,
  ): Promise<{ status: number; body?: unknown }> {
    const choice = decodeChoice(interaction.values[0] ?? interaction.customId);
    if (!choice || choice.kind === 'delete') return { status: 200, body: { type: 6 } };
    const user = await identify(interaction);
    const reply = await commands.execute({
      name: choice.kind,
      args: choice.kind === 'model' ? choice.modelId : choice.language,
      user,
      platform: 'discord',
      chatKey: chatKeyOf(interaction),
      replyTo: { platform: 'discord', userId: interaction.userId },
    });
    return { status: 200, body: { type: 7, data: { content: firstPart(reply.text), components: [] } } };
  }

  function autocomplete(interaction: Extract<ParsedInteraction, { kind: 'autocomplete' }>) {
    const typed = (interaction.focused?.value ?? '').toLowerCase();
    const choices = services.chat
      .models()
      .filter((m) => m.id.toLowerCase().includes(typed) || m.name.toLowerCase().includes(typed))
      .slice(0, 25)
      .map((m) => ({ name: m.name.slice(0, 100), value: m.id }));
    return { status: 200, body: { type: 8, data: { choices } } };
  }

  const routes: FastifyPluginAsync = async (app) => {
    app.post(
      '/discord/interactions',
      { schema: { summary: 'Discord interactions (Ed25519 signed)', tags: ['Webhooks'] } },
      async (request, reply) => {
        const valid = verify({
          rawBody: request.rawBody ?? Buffer.alloc(0),
          signature: header(request.headers['x-signature-ed25519']),
          timestamp: header(request.headers['x-signature-timestamp']),
        });
        if (!valid) return reply.code(401).type('text/plain').send('invalid request signature');
        const interaction = parseInteraction(request.body);
        if (!interaction) return reply.code(400).type('text/plain').send('malformed interaction');
        let answer: { status: number; body?: unknown };
        try {
          switch (interaction.kind) {
            case 'ping':
              answer = { status: 200, body: PONG_RESPONSE };
              break;
            case 'command':
              answer = await command(interaction);
              break;
            case 'component':
              answer = await component(interaction);
              break;
            case 'autocomplete':
              answer = autocomplete(interaction);
              break;
            default:
              answer = { status: 200, body: { type: 6 } };
          }
        } catch (error) {
          logger.error(errorFields(error), 'discord interaction failed');
          answer = message(messagesFor('id').generationFailed(), true);
        }
        if (answer.body === undefined) return reply.code(answer.status).send();
        return reply.code(answer.status).send(answer.body);
      },
    );
  };

  return {
    routes,
    async drain(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

export type DiscordInteractions = ReturnType<typeof createDiscordInteractions>;

function firstPart(text: string): string {
  return splitMessage(text, MESSAGE_LIMITS.discord)[0] ?? '';
}

/** A type 4 answer (a message with the interaction as its source). */
function message(
  text: string,
  ephemeral: boolean,
  components: unknown[] = [],
): { status: number; body: unknown } {
  return {
    status: 200,
    body: {
      type: 4,
      data: {
        content: firstPart(text),
        ...(ephemeral ? { flags: EPHEMERAL_FLAG } : {}),
        ...(components.length > 0 ? { components } : {}),
        allowed_mentions: { parse: [] },
      },
    },
  };
}

function header(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
