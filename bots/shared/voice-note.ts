import type { BotUser, ChatService } from '../../core/chat/index.js';
import { isCoreError } from '../../core/errors.js';
import type { AudioFile } from '../../core/providers/transcription/index.js';
import type { TranscribeInput, Transcription } from '../../core/transcription/index.js';
import { type BotLogger, errorFields } from './bot-logger.js';
import { errorMessage, revealsAccount } from './error-message.js';
import type { Messages } from './i18n/index.js';

/** Speech to text as the bots use it (core/transcription implements it). */
export interface BotTranscription {
  /** The configured model, if any: without one, people are asked to type. */
  model(): { maxSeconds: number; maxBytes: number } | undefined;
  transcribe(input: TranscribeInput): Promise<Transcription>;
}

export interface VoiceNote {
  /** What the platform states before anything is downloaded. */
  stated: { seconds?: number; bytes?: number };
  /** Downloads the audio (called only once the hold is taken); rejects with a CoreError when it cannot. */
  fetch: () => Promise<AudioFile>;
}

export interface VoiceNoteDeps {
  chat: Pick<ChatService, 'assertActive'>;
  transcription?: BotTranscription;
  logger: BotLogger;
}

export interface VoiceNoteReplies {
  /** A reply where the voice note was sent. */
  say: (text: string) => Promise<unknown>;
  /** A reply only its sender sees (balance, suspension). */
  tellPrivately: (text: string) => Promise<unknown>;
  /** Shows what was heard before the answer (default: `say` it); platforms with one answer skip it. */
  heard?: (text: string) => Promise<unknown>;
  /** Answers the heard text exactly as a typed message in the same conversation. */
  runTurn: (text: string) => Promise<void>;
}

/** The most bytes a platform lets its bot download, shown in whole megabytes. */
export function megabytes(bytes: number): number {
  return Math.floor(bytes / (1024 * 1024));
}

/**
 * A voice note or audio file sent to a bot, the same on every platform: without a configured
 * speech-to-text model a polite "please type it"; otherwise transcribed through core (which refuses
 * what is too long or too large, and checks the rate and the balance, before the audio is
 * downloaded), what was heard shown as a short "🎤 …" line, and the text answered as a typed message
 * (same conversation, same chat billing). Failures become their short localized message; those
 * about the person's account go to them alone.
 */
export async function answerVoiceNote(
  deps: VoiceNoteDeps,
  user: BotUser,
  t: Messages,
  note: VoiceNote,
  replies: VoiceNoteReplies,
): Promise<void> {
  const model = deps.transcription?.model();
  if (!deps.transcription || !model) return void (await replies.say(t.voiceUnavailable()));
  let heard: Transcription;
  try {
    deps.chat.assertActive(user);
    heard = await deps.transcription.transcribe({
      accountId: user.account.id,
      channel: user.platform,
      stated: note.stated,
      // No language is forced: people speak other languages than their menu's.
      fetch: note.fetch,
    });
  } catch (error) {
    const text = voiceErrorMessage(error, t, model);
    if (text === undefined) deps.logger.warn(errorFields(error), 'voice note failed');
    const reply = text ?? errorMessage(error, t);
    await (revealsAccount(error) ? replies.tellPrivately(reply) : replies.say(reply));
    return;
  }
  const text = heard.text.trim();
  if (text === '') return void (await replies.say(t.voiceNothingHeard()));
  await (replies.heard ?? replies.say)(t.voiceHeard({ text }));
  await replies.runTurn(text);
}

/** The voice-specific refusals; undefined for the failures every request shares. */
function voiceErrorMessage(
  error: unknown,
  t: Messages,
  model: { maxSeconds: number; maxBytes: number },
): string | undefined {
  if (!isCoreError(error)) return undefined;
  const reason = error.details['reason'];
  if (reason === 'audio_too_long') return t.voiceTooLong({ maxSeconds: model.maxSeconds });
  if (reason === 'audio_too_large') {
    const max = error.details['max_bytes'];
    return t.voiceTooLarge({ maxMb: megabytes(typeof max === 'number' ? max : model.maxBytes) });
  }
  // The upstream's 400 for this file (a format it cannot decode): nothing was charged.
  if (error.code === 'invalid_request' || error.code === 'payload_too_large') return t.voiceUnreadable();
  if (['insufficient_balance', 'rate_limited', 'account_suspended'].includes(error.code)) {
    return errorMessage(error, t);
  }
  return undefined;
}

const EXTENSIONS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/m4a': 'm4a',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/webm': 'webm',
  'audio/flac': 'flac',
};

/**
 * A name whose extension tells the upstream the format. Telegram's voice notes are `.oga`, which
 * the gpt-4o transcribe models refuse while reading the same bytes as `.ogg`: the name says `.ogg`.
 */
export function audioFileName(fileName: string | undefined, contentType: string): string {
  const stated = /\.([a-z0-9]{2,5})$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  const extension =
    stated === 'oga' || stated === 'opus'
      ? 'ogg'
      : (stated ?? EXTENSIONS[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'ogg');
  return `audio.${extension}`;
}
