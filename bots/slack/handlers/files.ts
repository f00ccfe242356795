import type { WebClient } from '@slack/web-api';
import { messagesOf } from '../../shared/bot-commands.js';
import { errorFields } from '../../shared/bot-logger.js';
import { documentTurn, imageInput, planFile } from '../../shared/file-answer.js';
import {
  identifySlackUser,
  postInThread,
  runSlackTurn,
  type SlackThread,
  type SlackTurnDeps,
} from './turn.js';
import { runSlackVoice, type SlackVoiceDeps } from './voice.js';

/** A file as Slack describes it in a message event (`files[]`). */
export interface SlackFileRef {
  id?: string;
  name?: string;
  mimetype?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
}

export interface SlackFileDeps extends SlackTurnDeps {
  /** Speech to text for audio files (see voice.ts). */
  transcription?: SlackVoiceDeps['transcription'];
  /**
   * Origins our bot token may be sent to for downloads (Slack's file host, and the configured API's
   * origin): a file URL elsewhere is never fetched with it.
   */
  fileOrigins: readonly string[];
}

/**
 * A file's bytes, downloaded with the bot token; undefined when it is not on an allowed origin, is
 * larger than `maxBytes` (stated or real), or Slack answers with a page instead of the file (it
 * answers a sign-in page, status 200, when the token is not accepted).
 */
export async function downloadSlackFile(
  client: WebClient,
  file: SlackFileRef,
  maxBytes: number,
  origins: readonly string[],
): Promise<Uint8Array | undefined> {
  const url = file.url_private_download ?? file.url_private;
  if (!url || (file.size ?? 0) > maxBytes) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!origins.includes(parsed.origin)) return undefined;
  const response = await fetch(parsed, {
    headers: { authorization: `Bearer ${client.token ?? ''}` },
    redirect: 'error',
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok || /^text\/html/i.test(response.headers.get('content-type') ?? '')) return undefined;
  const bytes = new Uint8Array(await response.arrayBuffer());
  return bytes.byteLength > maxBytes ? undefined : bytes;
}

/**
 * A message that shares a file with the bot (a direct message, or a mention in a channel): an
 * image with a question is a vision turn, a document (txt, md, pdf) is context for the message's
 * question, audio is transcribed and answered (voice.ts); anything else gets a short "cannot read this" reply.
 * Only the first file is read.
 */
export async function runSlackFiles(
  client: WebClient,
  thread: SlackThread,
  prompt: string,
  files: SlackFileRef[],
  deps: SlackFileDeps,
): Promise<void> {
  const file = files[0];
  if (!file) return;
  const user = await identifySlackUser(deps.chat, thread.teamId, thread.userId);
  const t = messagesOf(user);
  const say = (text: string) => postInThread(client, thread, text);
  try {
    const plan = planFile({ name: file.name, contentType: file.mimetype, size: file.size }, prompt, t);
    if (plan.action === 'reply') return await say(plan.text);
    if (plan.action === 'audio') return await runSlackVoice(client, thread, file, deps);
    const bytes = await downloadSlackFile(client, file, plan.maxBytes, deps.fileOrigins);
    if (plan.action === 'image') {
      const image = imageInput(bytes);
      if (!image) return await say(t.photoUndecodable());
      return await runSlackTurn(client, thread, prompt, deps, [image]);
    }
    if (!bytes) return await say(t.documentUnsupported());
    const turn = await documentTurn(bytes, plan.kind, file.name, prompt, t);
    if ('reply' in turn) return await say(turn.reply);
    await runSlackTurn(client, thread, turn.prompt, deps);
  } catch (error) {
    deps.logger.warn(errorFields(error), 'slack file failed');
    await say(t.documentUnsupported()).catch(() => undefined);
  }
}
