import type { API } from '@discordjs/core/http-only';
import { DiscordAPIError, type RawFile } from '@discordjs/rest';
import { MESSAGE_LIMITS, splitMessage } from '../shared/split-message.js';

/** `MessageFlags.Ephemeral`: only the invoking user sees the message. */
export const EPHEMERAL_FLAG = 1 << 6;
/**
 * Every message we send sets this: model output (or a display name) containing `@everyone` or
 * `<@id>` must never notify anyone.
 */
export const NO_MENTIONS = { parse: [] as [] };

/** Discord's default upload limit when the interaction does not state `attachment_size_limit`. */
export const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;
const MAX_FILES_PER_MESSAGE = 10;

export interface DiscordFile {
  name: string;
  data: Buffer | Uint8Array;
  contentType?: string;
  /** Alt text. */
  description?: string;
}

export interface DiscordInteractionTarget {
  applicationId: string;
  interactionToken: string;
  /** Marks follow-ups ephemeral; the original's visibility was fixed when the interaction was deferred. */
  ephemeral?: boolean;
  /** The interaction's `attachment_size_limit` in bytes. */
  attachmentSizeLimit?: number;
}

export interface DiscordReply {
  /** Markdown; Discord renders it natively. Split at 2000 characters. */
  text: string;
  files?: DiscordFile[];
}

export interface DiscordDeliveryResult {
  /** `@original` first, then follow-up ids. */
  messageIds: string[];
  /** Files over the size limit, not uploaded (the caller may send a link instead). */
  skippedFiles: string[];
}

/** The body answering the interaction POST: "thinking…", within Discord's 3-second deadline. */
export function deferredResponse(ephemeral = false): { type: 5; data?: { flags: number } } {
  return ephemeral ? { type: 5, data: { flags: EPHEMERAL_FLAG } } : { type: 5 };
}

/**
 * Completes a deferred interaction: edits `@original` into the first part of the answer and
 * sends further parts as follow-ups (ephemeral when asked). Files go as multipart attachments
 * (`payload_json` + `files[n]`) on the last text message, at most ten per message; files over
 * `attachmentSizeLimit` are skipped and reported. 429s are retried by @discordjs/rest.
 */
export async function deliverDiscordReply(
  api: API,
  target: DiscordInteractionTarget,
  reply: DiscordReply,
): Promise<DiscordDeliveryResult> {
  const limit = target.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_LIMIT;
  const accepted = (reply.files ?? []).filter((f) => f.data.byteLength <= limit);
  const skippedFiles = (reply.files ?? []).filter((f) => f.data.byteLength > limit).map((f) => f.name);
  const parts = splitMessage(reply.text, MESSAGE_LIMITS.discord);
  // Discord refuses empty messages; with nothing to show, the caller sends its own message.
  if (parts.length === 0 && accepted.length === 0) return { messageIds: [], skippedFiles };
  const batches = chunk(accepted, MAX_FILES_PER_MESSAGE);
  const messages: { content: string; files: DiscordFile[] }[] = parts.map((content) => ({
    content,
    files: [],
  }));
  if (messages.length === 0) messages.push({ content: '', files: [] });
  messages[messages.length - 1]!.files = batches.shift() ?? [];
  for (const batch of batches) messages.push({ content: '', files: batch });

  const messageIds: string[] = [];
  for (const [index, message] of messages.entries()) {
    const body = { content: message.content, allowed_mentions: NO_MENTIONS, ...attachmentsOf(message.files) };
    if (index === 0) {
      const edited = await api.interactions.editReply(target.applicationId, target.interactionToken, body);
      messageIds.push(edited.id);
    } else {
      const sent = await api.interactions.followUp(target.applicationId, target.interactionToken, {
        ...body,
        ...(target.ephemeral ? { flags: EPHEMERAL_FLAG } : {}),
      });
      messageIds.push(sent.id);
    }
  }
  return { messageIds, skippedFiles };
}

/** Sends a short message (e.g. a localized error) as the interaction's answer. */
export async function replaceDiscordReply(
  api: API,
  target: DiscordInteractionTarget,
  text: string,
): Promise<string> {
  const [first] = splitMessage(text, MESSAGE_LIMITS.discord);
  const edited = await api.interactions.editReply(target.applicationId, target.interactionToken, {
    content: first ?? '',
    attachments: [],
    allowed_mentions: NO_MENTIONS,
  });
  return edited.id;
}

function attachmentsOf(files: DiscordFile[]): {
  files?: RawFile[];
  attachments?: { id: number; filename: string; description?: string }[];
} {
  if (files.length === 0) return {};
  return {
    files: files.map((f) => ({ name: f.name, data: Buffer.from(f.data), contentType: f.contentType })),
    attachments: files.map((f, id) => ({
      id,
      filename: f.name,
      ...(f.description ? { description: f.description } : {}),
    })),
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/**
 * The interaction's token no longer works: 401 "Invalid Webhook Token" (50027) once its 15 minutes
 * are over, or 404 "Unknown Webhook" (10015) for a token Discord no longer knows.
 */
export function interactionTokenExpired(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    ((error.status === 401 && error.code === 50027) || (error.status === 404 && error.code === 10015))
  );
}

/**
 * Sends a result as the bot (bot token) when the interaction can no longer be answered: in the
 * channel it was asked from, mentioning the person (and only them), or by DM when there is no
 * channel or the bot may not post there (Missing Access, 50001; Missing Permissions, 50013).
 */
export async function postDiscordAsBot(
  api: API,
  to: { userId: string; channelId?: string },
  text: string,
  files: DiscordFile[],
): Promise<void> {
  const limit = DEFAULT_ATTACHMENT_LIMIT;
  const accepted = files.filter((f) => f.data.byteLength <= limit).slice(0, MAX_FILES_PER_MESSAGE);
  const [first] = splitMessage(`<@${to.userId}> ${text}`, MESSAGE_LIMITS.discord);
  const body = {
    content: first ?? `<@${to.userId}>`,
    allowed_mentions: { parse: [] as [], users: [to.userId] },
    ...attachmentsOf(accepted),
  };
  if (to.channelId) {
    try {
      await api.channels.createMessage(to.channelId, body);
      return;
    } catch (error) {
      const blocked = error instanceof DiscordAPIError && (error.code === 50001 || error.code === 50013);
      if (!blocked) throw error;
    }
  }
  const dm = await api.users.createDM(to.userId);
  await api.channels.createMessage(dm.id, body);
}
