import { CoreError } from '../../../core/errors.js';
import { answerVoiceNote, audioFileName, type BotTranscription } from '../../shared/voice-note.js';
import { EPHEMERAL_FLAG, NO_MENTIONS, replaceDiscordReply } from '../deliver.js';
import { type DeferredWork, type DiscordWorkDeps, runDiscordChat } from './work.js';

/** An audio attachment as Discord states it; voice messages also carry `duration_secs`. */
export interface DiscordAudio {
  url: string;
  filename: string;
  /** Bytes, as Discord states them. */
  size: number;
  contentType?: string;
  /** Voice messages (flag IS_VOICE_MESSAGE): their length in seconds. */
  durationSecs?: number;
}

export interface DiscordVoiceDeps extends DiscordWorkDeps {
  transcription?: BotTranscription;
  /** The attachment's bytes within `maxBytes` from an allowed origin, else undefined. */
  download(file: DiscordAudio, maxBytes: number): Promise<Uint8Array | undefined>;
}

/**
 * An audio attachment or voice message given to the bot (with `/chat`, or the message command),
 * after the deferral: the shared voice-note path, the stated size and duration checked before the
 * download. The interaction has one public answer, so the heard text is not shown apart: the answer
 * to it streams into `@original` as a typed `/chat` would; account notices go ephemeral.
 */
export async function runDiscordVoice(
  deps: DiscordVoiceDeps,
  work: DeferredWork,
  file: DiscordAudio,
): Promise<void> {
  const { applicationId, interactionToken } = work.target;
  const maxBytes = deps.transcription?.model()?.maxBytes ?? 0;
  await answerVoiceNote(
    deps,
    work.user,
    work.t,
    {
      stated: {
        bytes: file.size,
        ...(file.durationSecs !== undefined && file.durationSecs > 0 ? { seconds: file.durationSecs } : {}),
      },
      fetch: async () => {
        const bytes = await deps.download(file, maxBytes);
        if (!bytes) {
          throw new CoreError('payload_too_large', 'The attachment cannot be downloaded within the limit', {
            details: { reason: 'audio_too_large', max_bytes: maxBytes },
          });
        }
        const contentType = (file.contentType ?? 'audio/ogg').toLowerCase();
        return { bytes, fileName: audioFileName(file.filename, contentType), contentType };
      },
    },
    {
      say: (text) => replaceDiscordReply(deps.api, work.target, text),
      tellPrivately: (text) =>
        deps.api.interactions.deleteReply(applicationId, interactionToken).then(() =>
          deps.api.interactions.followUp(applicationId, interactionToken, {
            content: text,
            flags: EPHEMERAL_FLAG,
            allowed_mentions: NO_MENTIONS,
          }),
        ),
      heard: async () => undefined,
      runTurn: (text) => runDiscordChat(deps, work, text),
    },
  );
}
