import { type Api, InputFile, InputMediaBuilder } from 'grammy';
import { realScheduler, type Scheduler } from '../shared/scheduler.js';
import { floodWaitSeconds } from './telegram-errors.js';

/** Bot API upload limits: photos 10 MB, other files 50 MB. */
export const TELEGRAM_PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const TELEGRAM_FILE_MAX_BYTES = 50 * 1024 * 1024;
export const TELEGRAM_CAPTION_MAX = 1024;

export interface TelegramMedia {
  kind: 'photo' | 'video' | 'document';
  data: Uint8Array;
  filename: string;
  /** Plain text, shown under the media (cut to 1024 characters). */
  caption?: string;
}

export interface TelegramMediaTarget {
  chatId: number;
  messageThreadId?: number;
  replyToMessageId?: number;
}

export class MediaTooLargeError extends Error {
  constructor(readonly bytes: number) {
    super(`media of ${bytes} bytes exceeds the Bot API upload limit`);
    this.name = 'MediaTooLargeError';
  }
}

/**
 * Uploads generated media to a chat with its caption. A photo over Telegram's 10 MB photo
 * limit goes as a document (full quality, no recompression); anything over 50 MB cannot be
 * uploaded by a bot and throws MediaTooLargeError so the caller can send a link instead.
 * Flood control (429) is waited out with the scheduler.
 */
export async function sendTelegramMedia(
  api: Api,
  target: TelegramMediaTarget,
  media: TelegramMedia,
  options: { scheduler?: Scheduler; maxAttempts?: number } = {},
): Promise<number> {
  const scheduler = options.scheduler ?? realScheduler;
  const maxAttempts = options.maxAttempts ?? 5;
  if (media.data.byteLength > TELEGRAM_FILE_MAX_BYTES) throw new MediaTooLargeError(media.data.byteLength);
  const kind =
    media.kind === 'photo' && media.data.byteLength > TELEGRAM_PHOTO_MAX_BYTES ? 'document' : media.kind;
  const other = {
    ...(media.caption ? { caption: cutCaption(media.caption) } : {}),
    ...(target.messageThreadId === undefined ? {} : { message_thread_id: target.messageThreadId }),
    ...(target.replyToMessageId === undefined
      ? {}
      : { reply_parameters: { message_id: target.replyToMessageId, allow_sending_without_reply: true } }),
  };
  const action = kind === 'photo' ? 'upload_photo' : kind === 'video' ? 'upload_video' : 'upload_document';
  await api.sendChatAction(target.chatId, action).catch(() => undefined);
  for (let attempt = 1; ; attempt++) {
    // An InputFile is consumed by one upload; each attempt needs a fresh one.
    const file = new InputFile(Buffer.from(media.data), media.filename);
    try {
      const sent =
        kind === 'photo'
          ? await api.sendPhoto(target.chatId, file, other)
          : kind === 'video'
            ? await api.sendVideo(target.chatId, file, { ...other, supports_streaming: true })
            : await api.sendDocument(target.chatId, file, other);
      return sent.message_id;
    } catch (error) {
      const wait = floodWaitSeconds(error);
      if (wait === undefined || attempt >= maxAttempts) throw error;
      await scheduler.sleep(wait * 1000);
    }
  }
}

/**
 * Several generated images as albums of up to ten, the caption under the first one. Photos too
 * large for an album photo go one by one as documents; a single image is a plain photo.
 * Returns the ids of every message sent.
 */
export async function sendTelegramPhotos(
  api: Api,
  target: TelegramMediaTarget,
  photos: { data: Uint8Array; filename: string }[],
  caption: string | undefined,
  options: { scheduler?: Scheduler; maxAttempts?: number } = {},
): Promise<number[]> {
  const scheduler = options.scheduler ?? realScheduler;
  const maxAttempts = options.maxAttempts ?? 5;
  const fitting = photos.filter((p) => p.data.byteLength <= TELEGRAM_PHOTO_MAX_BYTES);
  const large = photos.filter((p) => p.data.byteLength > TELEGRAM_PHOTO_MAX_BYTES);
  const ids: number[] = [];
  let captionLeft = caption;
  for (let start = 0; start < fitting.length; start += 10) {
    const batch = fitting.slice(start, start + 10);
    const batchCaption = captionLeft;
    captionLeft = undefined;
    if (batch.length === 1) {
      const only = batch[0]!;
      const media = { kind: 'photo' as const, data: only.data, filename: only.filename };
      ids.push(
        await sendTelegramMedia(
          api,
          target,
          batchCaption ? { ...media, caption: batchCaption } : media,
          options,
        ),
      );
      continue;
    }
    await api.sendChatAction(target.chatId, 'upload_photo').catch(() => undefined);
    for (let attempt = 1; ; attempt++) {
      const media = batch.map((photo, index) =>
        InputMediaBuilder.photo(
          new InputFile(Buffer.from(photo.data), photo.filename),
          index === 0 && batchCaption ? { caption: cutCaption(batchCaption) } : {},
        ),
      );
      try {
        const sent = await api.sendMediaGroup(target.chatId, media, {
          ...(target.messageThreadId === undefined ? {} : { message_thread_id: target.messageThreadId }),
        });
        ids.push(...sent.map((m) => m.message_id));
        break;
      } catch (error) {
        const wait = floodWaitSeconds(error);
        if (wait === undefined || attempt >= maxAttempts) throw error;
        await scheduler.sleep(wait * 1000);
      }
    }
  }
  for (const photo of large) {
    const media = { kind: 'document' as const, data: photo.data, filename: photo.filename };
    ids.push(
      await sendTelegramMedia(api, target, captionLeft ? { ...media, caption: captionLeft } : media, options),
    );
    captionLeft = undefined;
  }
  return ids;
}

function cutCaption(caption: string): string {
  if (caption.length <= TELEGRAM_CAPTION_MAX) return caption;
  return `${caption.slice(0, TELEGRAM_CAPTION_MAX - 1)}…`;
}
