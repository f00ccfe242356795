import { Composer } from 'grammy';
import type { Audio, Voice } from 'grammy/types';
import { CoreError } from '../../../core/errors.js';
import type { AudioFile } from '../../../core/providers/transcription/index.js';
import type { BotTranscription } from '../../shared/voice-note.js';
import { answerVoiceNote, audioFileName, megabytes } from '../../shared/voice-note.js';
import { addressedToBot, type BotIdentity } from '../addressing.js';
import type { TelegramContext } from '../context.js';
import { tellPrivately } from '../private-reply.js';
import { replyTo } from './attachments.js';
import { runTelegramTurn, type TelegramChatDeps } from './chat.js';
import { downloadTelegramFile } from './photo.js';

/** The largest file the Bot API lets a bot download (getFile). */
export const TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

export interface TelegramVoiceDeps extends TelegramChatDeps {
  transcription?: BotTranscription;
}

/**
 * Voice notes and audio files: in private chats every one, in groups only those addressed to the
 * bot (a reply to it, or a caption mentioning it), as text is. A file Telegram says is over its
 * download limit is refused before anything else; the rest goes through the shared voice-note path.
 */
export function voiceComposer(deps: TelegramVoiceDeps, bot: () => BotIdentity): Composer<TelegramContext> {
  const composer = new Composer<TelegramContext>();
  composer.on(['message:voice', 'message:audio'], async (ctx) => {
    const { t, botUser: user } = ctx;
    const message = ctx.message;
    if (!t || !user || !addressedToBot(message, bot())) return;
    const file: Voice | Audio = message.voice ?? message.audio!;
    if ((file.file_size ?? 0) > TELEGRAM_DOWNLOAD_LIMIT) {
      return void (await replyTo(ctx, t.voiceTooLarge({ maxMb: megabytes(TELEGRAM_DOWNLOAD_LIMIT) })));
    }
    await answerVoiceNote(
      deps,
      user,
      t,
      {
        stated: {
          ...(file.duration > 0 ? { seconds: file.duration } : {}),
          ...(file.file_size === undefined ? {} : { bytes: file.file_size }),
        },
        fetch: () => fetchAudio(ctx, file, deps.fileUrl),
      },
      {
        say: (text) => replyTo(ctx, text),
        tellPrivately: (text) => tellPrivately(ctx, text),
        runTurn: (text) => runTelegramTurn(ctx, text, deps),
      },
    );
  });
  return composer;
}

async function fetchAudio(
  ctx: TelegramContext,
  file: Voice | Audio,
  fileUrl: TelegramChatDeps['fileUrl'],
): Promise<AudioFile> {
  const tooLarge = () =>
    new CoreError('payload_too_large', 'The audio file is over the download limit', {
      details: { reason: 'audio_too_large', max_bytes: TELEGRAM_DOWNLOAD_LIMIT },
    });
  if (!fileUrl) throw new CoreError('upstream_unavailable', 'Telegram files cannot be downloaded here');
  const bytes = await downloadTelegramFile(ctx.api, file.file_id, fileUrl, TELEGRAM_DOWNLOAD_LIMIT);
  if (!bytes) throw tooLarge();
  const contentType = file.mime_type ?? 'audio/ogg';
  const name = 'file_name' in file ? file.file_name : undefined;
  return { bytes, fileName: audioFileName(name, contentType), contentType };
}
