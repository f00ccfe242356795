import { Composer } from 'grammy';
import { errorFields } from '../../shared/bot-logger.js';
import { documentKind, MAX_DOCUMENT_BYTES } from '../../shared/document-text.js';
import { documentTurn } from '../../shared/file-answer.js';
import { addressedToBot, type BotIdentity, promptForBot } from '../addressing.js';
import type { TelegramContext } from '../context.js';
import { runTelegramTurn, type TelegramChatDeps } from './chat.js';
import { downloadTelegramFile } from './photo.js';

export type TelegramAttachmentDeps = TelegramChatDeps;

/** Replies in the message's chat (and forum topic), answering the message itself in groups. */
export function replyTo(ctx: TelegramContext, text: string) {
  const message = ctx.msg!;
  return ctx.reply(text, {
    ...(message.is_topic_message ? { message_thread_id: message.message_thread_id } : {}),
    ...(ctx.chat?.type === 'private'
      ? {}
      : { reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true } }),
  });
}

/**
 * Messages that are not text or captioned photos, so that every kind gets an answer: documents
 * (txt, md, pdf) become context for the caption's question (voice notes and audio: see voice.ts);
 * stickers and locations get a short helpful reply. In groups only what is addressed to
 * the bot (a reply to it, or a caption mentioning it) is answered.
 */
export function attachmentsComposer(
  deps: TelegramAttachmentDeps,
  bot: () => BotIdentity,
): Composer<TelegramContext> {
  const composer = new Composer<TelegramContext>();

  composer.on('message:document', async (ctx) => {
    const t = ctx.t;
    const message = ctx.message;
    if (!t || !addressedToBot(message, bot())) return;
    const { document } = message;
    const kind = documentKind(document.file_name, document.mime_type);
    if (!kind) return void (await replyTo(ctx, t.documentUnsupported()));
    if ((document.file_size ?? 0) > MAX_DOCUMENT_BYTES) {
      return void (await replyTo(ctx, t.documentTooLarge({ maxKb: MAX_DOCUMENT_BYTES / 1024 })));
    }
    const question = promptForBot(message, bot()) ?? '';
    if (question === '') return void (await replyTo(ctx, t.documentNeedsQuestion()));
    if (!deps.fileUrl) return void (await replyTo(ctx, t.documentUnsupported()));
    const bytes = await downloadTelegramFile(
      ctx.api,
      document.file_id,
      deps.fileUrl,
      MAX_DOCUMENT_BYTES,
    ).catch((error: unknown) => {
      deps.logger.warn(errorFields(error), 'telegram document download failed');
      return undefined;
    });
    if (!bytes) return void (await replyTo(ctx, t.documentTooLarge({ maxKb: MAX_DOCUMENT_BYTES / 1024 })));
    const turn = await documentTurn(bytes, kind, document.file_name, question, t);
    if ('reply' in turn) return void (await replyTo(ctx, turn.reply));
    await runTelegramTurn(ctx, turn.prompt, deps);
  });

  composer.on('message:sticker', async (ctx) => {
    if (!ctx.t || !addressedToBot(ctx.message, bot())) return;
    await replyTo(ctx, ctx.t.stickerReply());
  });

  composer.on(['message:location', 'message:venue'], async (ctx) => {
    if (!ctx.t || !addressedToBot(ctx.message, bot())) return;
    await replyTo(ctx, ctx.t.locationReply());
  });

  // Captioned photos are the photos composer's; one without a caption gets told what to add.
  composer.on('message:photo', async (ctx) => {
    if (!ctx.t || ctx.message.caption !== undefined || !addressedToBot(ctx.message, bot())) return;
    await replyTo(ctx, ctx.t.photoWithoutCaption());
  });

  return composer;
}
