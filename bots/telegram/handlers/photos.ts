import { Composer } from 'grammy';
import { errorFields } from '../../shared/bot-logger.js';
import { pressedByOwner } from '../../shared/choices.js';
import { decodePhotoChoice, PHOTO_CHOICE_PATTERN } from '../../shared/photo-choice.js';
import { photoIntent } from '../../shared/photo-intent.js';
import { type BotIdentity, promptForBot } from '../addressing.js';
import type { TelegramContext } from '../context.js';
import type { PendingPhoto, PendingPhotos } from '../pending-photos.js';
import { photoChoiceKeyboard } from '../photo-choice.js';
import { runTelegramTurn, type TelegramChatDeps } from './chat.js';
import { downloadPhoto, largestPhotoId } from './photo.js';
import { runTelegramPhotoEdit, type TelegramPhotoEditDeps } from './photo-edit.js';

export interface TelegramPhotoDeps extends TelegramChatDeps, TelegramPhotoEditDeps {
  /** Without it an unclear caption is answered as a question (nowhere to keep the photo). */
  pendingPhotos?: PendingPhotos;
}

/** A question about the photo: a vision chat turn, or the "could not be read" message. */
async function askAboutPhoto(ctx: TelegramContext, photo: PendingPhoto, deps: TelegramPhotoDeps) {
  if (!deps.fileUrl || !ctx.t || !ctx.chat) return;
  const image = await downloadPhoto(ctx.api, photo.fileId, deps.fileUrl).catch((error: unknown) => {
    deps.logger.warn(errorFields(error), 'telegram photo download failed');
    return undefined;
  });
  if (!image) {
    const where = photo.threadId === undefined ? {} : { message_thread_id: photo.threadId };
    await ctx.api.sendMessage(ctx.chat.id, ctx.t.photoUndecodable(), where);
    return;
  }
  await runTelegramTurn(ctx, photo.prompt, deps, [image]);
}

/**
 * Photos with a caption meant for the bot. The caption's wording decides when it is clear (an edit
 * request becomes an image edit, a question a vision turn); otherwise two buttons ask, and the
 * press acts on the photo kept meanwhile. Photos without a caption go on to the next composer.
 */
export function photosComposer(deps: TelegramPhotoDeps, bot: () => BotIdentity): Composer<TelegramContext> {
  const composer = new Composer<TelegramContext>();
  composer.on('message:photo', async (ctx, next) => {
    const prompt = promptForBot(ctx.message, bot());
    const fileId = largestPhotoId(ctx.message.photo);
    // Photos without a question are the attachments composer's (it says what to add).
    if (prompt === undefined || prompt === '') return next();
    if (!fileId || !ctx.t || !ctx.from) return;
    const thread = ctx.message.is_topic_message ? ctx.message.message_thread_id : undefined;
    const photo: PendingPhoto = {
      fileId,
      prompt,
      messageId: ctx.message.message_id,
      ...(thread === undefined ? {} : { threadId: thread }),
    };
    const intent = photoIntent(prompt);
    if (intent === 'edit') return runTelegramPhotoEdit(ctx, photo, deps);
    if (intent === 'ask' || !deps.pendingPhotos) return askAboutPhoto(ctx, photo, deps);
    const token = await deps.pendingPhotos.put(ctx.from.id, photo);
    await ctx.reply(ctx.t.photoChoose(), {
      reply_markup: photoChoiceKeyboard(ctx.t, String(ctx.from.id), token),
      reply_parameters: { message_id: photo.messageId, allow_sending_without_reply: true },
      ...(thread === undefined ? {} : { message_thread_id: thread }),
    });
  });

  composer.callbackQuery(PHOTO_CHOICE_PATTERN, async (ctx) => {
    const choice = decodePhotoChoice(ctx.callbackQuery.data);
    const t = ctx.t;
    if (choice && t && !pressedByOwner(choice, String(ctx.from.id))) {
      await ctx.answerCallbackQuery({ text: t.notYourButton(), show_alert: true });
      return;
    }
    const photo =
      choice && t && deps.pendingPhotos
        ? await deps.pendingPhotos.take(ctx.from.id, choice.token)
        : undefined;
    if (!choice || !t || !photo) {
      await ctx.answerCallbackQuery(t ? { text: t.photoChoiceExpired() } : {});
      return;
    }
    await ctx.answerCallbackQuery();
    // The buttons go; the question shows what was chosen.
    const label = choice.action === 'edit' ? t.photoEditButton() : t.photoAskButton();
    await ctx.editMessageText(`${t.photoChoose()}\n✓ ${label}`).catch(() => undefined);
    if (choice.action === 'edit') await runTelegramPhotoEdit(ctx, photo, deps);
    else await askAboutPhoto(ctx, photo, deps);
  });
  return composer;
}
