import type { API } from '@discordjs/core/http-only';
import type { FastifyPluginAsync } from 'fastify';
import type { BotUser } from '../../core/chat/index.js';
import { createBackgroundWork } from '../shared/background-work.js';
import { type BotReply, createBotCommands, messagesOf } from '../shared/bot-commands.js';
import { type BotLogger, errorFields } from '../shared/bot-logger.js';
import type { BotServices } from '../shared/bot-services.js';
import { choiceArgs, decodeChoice, pressedByOwner } from '../shared/choices.js';
import { errorMessage } from '../shared/error-message.js';
import { type Messages, messagesFor } from '../shared/i18n/index.js';
import { identifyBotUser } from '../shared/identify.js';
import type { PendingChoices } from '../shared/pending-choices.js';
import { decodePhotoChoice } from '../shared/photo-choice.js';
import type { Scheduler } from '../shared/scheduler.js';
import { MESSAGE_LIMITS, splitMessage } from '../shared/split-message.js';
import { attachmentOrigins } from './attachment-download.js';
import { deleteConfirmRow, languageButtonsRow, modelSelectRow } from './components.js';
import { deliverDiscordReply, EPHEMERAL_FLAG, NO_MENTIONS } from './deliver.js';
import { askAboutImage, type PendingImage, runDiscordFile, runDiscordImageEdit } from './handlers/files.js';
import { type DeferredWork, runDiscordChat, runDiscordMedia } from './handlers/work.js';
import {
  type ParsedInteraction,
  PONG_RESPONSE,
  parseInteraction,
  type TargetMessage,
} from './interaction.js';
import { createDiscordVerifier } from './verify-signature.js';

export interface DiscordInteractionsOptions {
  /** DISCORD_PUBLIC_KEY; unset refuses every request. */
  publicKey: string | undefined;
  api: API;
  services: BotServices;
  logger: BotLogger;
  scheduler?: Scheduler;
  /** The clock interactions are judged fresh by (ms); defaults to the wall clock. */
  now?: () => number;
  /** Where attachments may be downloaded from; defaults to Discord's CDN only. */
  attachmentOrigins?: readonly string[];
  /** Images waiting for the "edit or ask?" press. */
  pendingImages?: PendingChoices<PendingImage>;
}

/**
 * Interactions older than this are refused: Discord answers within seconds, so an old one is a
 * replay (Discord documents no freshness window; five minutes is ours). Judged by both the signed
 * `X-Signature-Timestamp` and the time in the interaction's id.
 */
export const MAX_INTERACTION_AGE_MS = 5 * 60_000;
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** When Discord created a snowflake id, ms since 1970; undefined for a malformed id. */
export function snowflakeTime(id: string): number | undefined {
  if (!/^\d{1,20}$/.test(id)) return undefined;
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
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
  const background = createBackgroundWork(logger);
  const workDeps = {
    api,
    chat: services.chat,
    logger,
    ...(services.media ? { media: services.media } : {}),
    ...(services.transcription ? { transcription: services.transcription } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    attachmentOrigins: options.attachmentOrigins ?? attachmentOrigins(undefined),
    ...(options.pendingImages ? { pendingImages: options.pendingImages } : {}),
  };

  const inBackground = (work: Promise<unknown>) => void background.run(work, 'discord work failed');
  const identify = (interaction: { userId: string; locale?: string }) =>
    identifyBotUser(services.chat, 'discord', interaction.userId, { locale: interaction.locale });

  const chatKeyOf = (i: { channelId?: string; userId: string }) => i.channelId ?? `dm:${i.userId}`;
  const now = options.now ?? Date.now;

  function fresh(interactionId: string, signedAt: string | undefined): boolean {
    const created = snowflakeTime(interactionId);
    const signed = Number(signedAt) * 1000;
    if (created === undefined || !Number.isFinite(signed)) return false;
    const at = now();
    return at - created <= MAX_INTERACTION_AGE_MS && Math.abs(at - signed) <= MAX_INTERACTION_AGE_MS;
  }

  /** A command's reply as the interaction's answer: private ones ephemeral, menus bound to the asker. */
  function answer(reply: BotReply, t: Messages, owner: string): { status: number; body: unknown } {
    const components =
      reply.menu?.kind === 'model'
        ? [modelSelectRow(reply.menu.models, reply.menu.currentId, reply.text, owner)]
        : reply.menu?.kind === 'lang'
          ? [languageButtonsRow(owner)]
          : reply.menu?.kind === 'delete'
            ? [deleteConfirmRow(t, owner)]
            : [];
    return message(reply.text, reply.private ?? false, components);
  }

  async function command(interaction: Command): Promise<{ status: number; body?: unknown }> {
    const user: BotUser = await identify(interaction);
    const t = messagesOf(user);
    const target = {
      applicationId: interaction.applicationId,
      interactionToken: interaction.token,
      ...(interaction.attachmentSizeLimit ? { attachmentSizeLimit: interaction.attachmentSizeLimit } : {}),
    };
    const option = (name: string) => interaction.options[name];
    const work: DeferredWork = {
      target,
      user,
      t,
      chatKey: chatKeyOf(interaction),
      ...(interaction.channelId ? { channelId: interaction.channelId } : {}),
    };
    if (interaction.target) return askAboutMessage(interaction, interaction.target, work);
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
      const file = interaction.attachments[String(option('file') ?? '')];
      if (interaction.name === 'chat' && file) inBackground(runDiscordFile(workDeps, work, file, prompt));
      else if (interaction.name === 'chat') inBackground(runDiscordChat(workDeps, work, prompt));
      else {
        const size = option('size');
        const count = option('count');
        inBackground(
          runDiscordMedia(workDeps, work, {
            kind: interaction.name === 'video' ? 'video' : 'image',
            prompt,
            ...(typeof size === 'string' ? { size } : {}),
            ...(typeof count === 'number' ? { count } : {}),
          }),
        );
      }
      return { status: 202 };
    }
    const args = String(option('amount') ?? option('code') ?? option('name') ?? option('language') ?? '');
    const input = {
      name: interaction.name,
      args,
      user,
      platform: 'discord' as const,
      chatKey: chatKeyOf(interaction),
    };
    if (interaction.name === 'export') {
      // A file cannot ride in the HTTP answer: "thinking…" only the asker sees, then the file.
      await api.interactions.defer(interaction.id, interaction.token, { flags: EPHEMERAL_FLAG });
      inBackground(
        commands.execute(input).then(async (reply) => {
          await deliverDiscordReply(api, target, {
            text: reply.text,
            ...(reply.file
              ? {
                  files: [
                    { name: reply.file.filename, data: reply.file.data, contentType: reply.file.contentType },
                  ],
                }
              : {}),
          });
        }),
      );
      return { status: 202 };
    }
    return answer(await commands.execute(input), t, interaction.userId);
  }

  /**
   * The message command on a message: its first file answered like one sent with `/chat` (its
   * text the question), a sticker alone the short sticker reply, its text alone a chat turn.
   */
  async function askAboutMessage(
    interaction: Command,
    asked: TargetMessage,
    work: DeferredWork,
  ): Promise<{ status: number; body?: unknown }> {
    const question = asked.content.trim();
    const file = asked.attachments[0];
    if (!file && asked.stickers > 0 && question === '') return message(work.t.stickerReply(), false);
    if (!file && question === '') return message(work.t.help(), true);
    try {
      services.chat.assertActive(work.user);
    } catch (error) {
      return message(errorMessage(error, work.t), true);
    }
    await api.interactions.defer(interaction.id, interaction.token);
    inBackground(
      file ? runDiscordFile(workDeps, work, file, question) : runDiscordChat(workDeps, work, question),
    );
    return { status: 202 };
  }

  /**
   * "Edit it" / "Ask about it" under an image: only its sender's press acts (on the image kept
   * for them); the buttons go at once and the answer replaces the question.
   */
  async function photoPress(
    interaction: Extract<ParsedInteraction, { kind: 'component' }>,
    choice: NonNullable<ReturnType<typeof decodePhotoChoice>>,
  ): Promise<{ status: number; body?: unknown }> {
    const user = await identify(interaction);
    const t = messagesOf(user);
    if (!pressedByOwner(choice, interaction.userId)) return message(t.notYourButton(), true);
    const image = await options.pendingImages?.take(interaction.userId, choice.token);
    if (!image) return message(t.photoChoiceExpired(), true);
    const label = choice.action === 'edit' ? t.photoEditButton() : t.photoAskButton();
    await api.interactions.updateMessage(interaction.id, interaction.token, {
      content: `${t.photoChoose()}\n✓ ${label}`,
      components: [],
      allowed_mentions: NO_MENTIONS,
    });
    const work: DeferredWork = {
      target: {
        applicationId: interaction.applicationId,
        interactionToken: interaction.token,
        ...(interaction.attachmentSizeLimit ? { attachmentSizeLimit: interaction.attachmentSizeLimit } : {}),
      },
      user,
      t,
      chatKey: chatKeyOf(interaction),
      ...(interaction.channelId ? { channelId: interaction.channelId } : {}),
    };
    inBackground(
      choice.action === 'edit'
        ? runDiscordImageEdit(workDeps, work, image)
        : askAboutImage(workDeps, work, image),
    );
    return { status: 202 };
  }

  async function component(
    interaction: Extract<ParsedInteraction, { kind: 'component' }>,
  ): Promise<{ status: number; body?: unknown }> {
    const photo = decodePhotoChoice(interaction.customId);
    if (photo) return photoPress(interaction, photo);
    const choice = decodeChoice(interaction.values[0] ?? interaction.customId);
    if (!choice) return { status: 200, body: { type: 6 } };
    const user = await identify(interaction);
    // Someone else's button: a note only the presser sees; the owner's menu stays as it was.
    if (!pressedByOwner(choice, interaction.userId)) return message(messagesOf(user).notYourButton(), true);
    const reply = await commands.execute({
      name: choice.kind,
      args: choiceArgs(choice),
      user,
      platform: 'discord',
      chatKey: chatKeyOf(interaction),
    });
    return {
      status: 200,
      body: {
        type: 7,
        data: { content: firstPart(reply.text), components: [], allowed_mentions: NO_MENTIONS },
      },
    };
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
        if (
          interaction.kind !== 'ping' &&
          !fresh(interaction.id, header(request.headers['x-signature-timestamp']))
        ) {
          return reply.code(401).type('text/plain').send('stale interaction');
        }
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
    drain: () => background.drain(),
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
        allowed_mentions: NO_MENTIONS,
      },
    },
  };
}

function header(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
