import type { WebClient } from '@slack/web-api';
import { CoreError } from '../../../core/errors.js';
import { messagesOf } from '../../shared/bot-commands.js';
import { answerVoiceNote, audioFileName, type BotTranscription } from '../../shared/voice-note.js';
import { downloadSlackFile, type SlackFileDeps, type SlackFileRef } from './files.js';
import { identifySlackUser, postInThread, postPrivately, runSlackTurn, type SlackThread } from './turn.js';

export interface SlackVoiceDeps extends SlackFileDeps {
  transcription?: BotTranscription;
}

/**
 * An audio file shared with the bot (a DM, or a mention in a channel): the shared voice-note path,
 * with the size Slack states checked before the file is downloaded and the answer in the thread.
 */
export async function runSlackVoice(
  client: WebClient,
  thread: SlackThread,
  file: SlackFileRef,
  deps: SlackVoiceDeps,
): Promise<void> {
  const user = await identifySlackUser(deps.chat, thread.teamId, thread.userId);
  const t = messagesOf(user);
  const maxBytes = deps.transcription?.model()?.maxBytes ?? 0;
  await answerVoiceNote(
    deps,
    user,
    t,
    {
      stated: file.size === undefined ? {} : { bytes: file.size },
      fetch: async () => {
        const bytes = await downloadSlackFile(client, file, maxBytes, deps.fileOrigins);
        if (!bytes) {
          throw new CoreError('payload_too_large', 'The audio file cannot be downloaded within the limit', {
            details: { reason: 'audio_too_large', max_bytes: maxBytes },
          });
        }
        const contentType = (file.mimetype ?? 'audio/mpeg').toLowerCase();
        return { bytes, fileName: audioFileName(file.name, contentType), contentType };
      },
    },
    {
      say: (text) => postInThread(client, thread, text),
      tellPrivately: (text) => postPrivately(client, thread, text),
      runTurn: (text) => runSlackTurn(client, thread, text, deps),
    },
  );
}
