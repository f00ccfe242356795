import { errorFields } from '../../shared/bot-logger.js';
import {
  documentTurn,
  imageInput,
  imageRefused,
  MAX_IMAGE_BYTES,
  planFile,
} from '../../shared/file-answer.js';
import type { PendingChoices } from '../../shared/pending-choices.js';
import { photoIntent } from '../../shared/photo-intent.js';
import type { BotTranscription } from '../../shared/voice-note.js';
import { type AttachmentRef, downloadAttachment } from '../attachment-download.js';
import { photoChoiceRow } from '../components.js';
import { NO_MENTIONS, replaceDiscordReply } from '../deliver.js';
import type { ParsedAttachment } from '../interaction.js';
import { runDiscordVoice } from './voice.js';
import { type DeferredWork, type DiscordWorkDeps, fail, mediaReplyTo, runDiscordChat } from './work.js';

/** An image waiting for its sender to choose between an edit and a question. */
export interface PendingImage extends AttachmentRef {
  name: string;
  prompt: string;
}

export interface DiscordFileDeps extends DiscordWorkDeps {
  /** Speech to text for audio attachments and voice messages (see voice.ts). */
  transcription?: BotTranscription;
  /** Where attachments may be downloaded from (see attachment-download). */
  attachmentOrigins: readonly string[];
  /** Without it an unclear caption is answered as a question (nowhere to keep the image). */
  pendingImages?: PendingChoices<PendingImage>;
}

/** Reads a pending image from the store (anything malformed is dropped). */
export function readPendingImage(value: Record<string, unknown>): PendingImage | undefined {
  const { url, size, name, prompt } = value;
  if (typeof url !== 'string' || typeof size !== 'number' || typeof prompt !== 'string') return undefined;
  return { url, size, prompt, name: typeof name === 'string' ? name : 'image' };
}

/**
 * A file sent with `/chat` (or on a message asked about), after the deferral, answered like on the
 * other platforms (see file-answer): what Discord states about it decides first; the person's
 * account, file rate and balance are checked before anything is downloaded; an image's question
 * decides between an edit, a vision turn and the "edit or ask?" buttons bound to the sender.
 */
export async function runDiscordFile(
  deps: DiscordFileDeps,
  work: DeferredWork,
  file: ParsedAttachment,
  question: string,
): Promise<void> {
  const { t } = work;
  const say = (text: string) => replaceDiscordReply(deps.api, work.target, text);
  const plan = planFile({ name: file.filename, contentType: file.contentType, size: file.size }, question, t);
  if (plan.action === 'reply') return void (await say(plan.text));
  if (plan.action === 'audio') {
    return runDiscordVoice(
      { ...deps, download: (audio, maxBytes) => downloadAttachment(audio, maxBytes, deps.attachmentOrigins) },
      work,
      file,
    );
  }
  try {
    await deps.chat.admitFile(work.user);
  } catch (error) {
    return fail(deps, work, error, 'discord file refused');
  }
  const image: PendingImage = { url: file.url, size: file.size, name: file.filename, prompt: question };
  if (plan.action === 'image') {
    const intent = photoIntent(question);
    if (intent === 'edit') return runDiscordImageEdit(deps, work, image);
    if (intent === 'ask' || !deps.pendingImages) return askAboutImage(deps, work, image);
    const token = await deps.pendingImages.put(work.user.externalId, image);
    await deps.api.interactions.editReply(work.target.applicationId, work.target.interactionToken, {
      content: t.photoChoose(),
      components: [photoChoiceRow(t, work.user.externalId, token)],
      allowed_mentions: NO_MENTIONS,
    });
    return;
  }
  const bytes = await download(deps, file, plan.maxBytes);
  if (!bytes) return void (await say(t.documentUnsupported()));
  const turn = await documentTurn(bytes, plan.kind, file.filename, question, t);
  if ('reply' in turn) return void (await say(turn.reply));
  await runDiscordChat(deps, work, turn.prompt);
}

/** A question about the image: a vision chat turn, or the "could not be read" message. */
export async function askAboutImage(deps: DiscordFileDeps, work: DeferredWork, image: PendingImage) {
  const input = imageInput(await download(deps, image, MAX_IMAGE_BYTES));
  if (!input) return void (await replaceDiscordReply(deps.api, work.target, work.t.photoUndecodable()));
  await runDiscordChat(deps, work, image.prompt, [input]);
}

/**
 * The image and its question as an image edit, queued like `/image` with this interaction as the
 * reply target; the media service decodes the image before anything is held, so an unreadable
 * one gets the "could not be read" message and costs nothing.
 */
export async function runDiscordImageEdit(deps: DiscordFileDeps, work: DeferredWork, image: PendingImage) {
  const say = (text: string) => replaceDiscordReply(deps.api, work.target, text);
  if (!deps.media) return void (await say(work.t.modelUnavailable({})));
  const bytes = await download(deps, image, MAX_IMAGE_BYTES);
  if (!bytes) return void (await say(work.t.photoUndecodable()));
  try {
    // The notice goes first, so the delivery replaces it with the result.
    await say(work.t.imageWorking());
    await deps.media.submitImageEdit({
      accountId: work.user.account.id,
      channel: 'discord',
      prompt: image.prompt,
      images: [{ name: image.name, bytes }],
      replyTo: mediaReplyTo(work),
    });
  } catch (error) {
    if (imageRefused(error)) return void (await say(work.t.photoUndecodable()));
    await fail(deps, work, error, 'discord image edit failed', 'image');
  }
}

function download(deps: DiscordFileDeps, file: AttachmentRef, maxBytes: number) {
  return downloadAttachment(file, maxBytes, deps.attachmentOrigins).catch((error: unknown) => {
    deps.logger.warn(errorFields(error), 'discord attachment download failed');
    return undefined;
  });
}
