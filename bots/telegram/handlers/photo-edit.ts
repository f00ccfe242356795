import { type BotLogger, errorFields } from '../../shared/bot-logger.js';
import type { BotMedia } from '../../shared/bot-services.js';
import { errorMessage, revealsAccount } from '../../shared/error-message.js';
import { imageRefused } from '../../shared/file-answer.js';
import { type TelegramContext, telegramReplyTarget } from '../context.js';
import type { PendingPhoto } from '../pending-photos.js';
import { tellPrivately } from '../private-reply.js';
import { downloadTelegramFile } from './photo.js';

export interface TelegramPhotoEditDeps {
  media?: BotMedia;
  logger: BotLogger;
  fileUrl?: (filePath: string) => string;
}

/**
 * A photo and its caption as an image edit: queued like `/image` with this chat as the reply
 * target, so the delivery worker sends the edited photo with its cost. The media service decodes
 * the photo before anything is held: an unreadable one gets the "could not be read" message and
 * costs nothing.
 */
export async function runTelegramPhotoEdit(
  ctx: TelegramContext,
  photo: PendingPhoto,
  deps: TelegramPhotoEditDeps,
): Promise<void> {
  const { botUser: user, t } = ctx;
  if (!user || !t || !ctx.chat) return;
  const where = photo.threadId === undefined ? {} : { message_thread_id: photo.threadId };
  const say = (text: string) => ctx.api.sendMessage(ctx.chat!.id, text, where);
  if (!deps.media || !deps.fileUrl) return void (await say(t.modelUnavailable({})));
  if (user.account.status !== 'active') return void (await say(t.accountSuspended()));
  let working: number | undefined;
  try {
    const bytes = await downloadTelegramFile(ctx.api, photo.fileId, deps.fileUrl).catch((error: unknown) => {
      deps.logger.warn(errorFields(error), 'telegram photo download failed');
      return undefined;
    });
    if (!bytes) return void (await say(t.photoUndecodable()));
    // The notice goes first, so the delivery can replace it with the result.
    working = (await say(t.imageWorking())).message_id;
    await deps.media.submitImageEdit({
      accountId: user.account.id,
      channel: 'telegram',
      prompt: photo.prompt,
      images: [{ name: 'telegram-photo', bytes }],
      replyTo: {
        ...telegramReplyTarget(ctx),
        platform: 'telegram',
        locale: user.account.locale,
        replyToMessageId: photo.messageId,
        ...(photo.threadId === undefined ? {} : { threadId: String(photo.threadId) }),
        workingMessageId: working,
      },
    });
    await ctx.api.sendChatAction(ctx.chat.id, 'upload_photo', where).catch(() => undefined);
  } catch (error) {
    if (working !== undefined) await ctx.api.deleteMessage(ctx.chat.id, working).catch(() => undefined);
    if (imageRefused(error)) return void (await say(t.photoUndecodable()));
    deps.logger.warn(errorFields(error), 'telegram photo edit failed');
    const text = errorMessage(error, t, 'image');
    await (revealsAccount(error) ? tellPrivately(ctx, text) : say(text)).catch(() => undefined);
  }
}
