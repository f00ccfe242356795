import type { Api } from 'grammy';
import { sniffImageType } from '../../../core/security/image-type.js';

/** Telegram serves bot downloads up to 20 MB; photos are far smaller, so anything larger is refused. */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** The file id of the largest size of a message's photo. */
export function largestPhotoId(sizes: { file_id: string }[] | undefined): string | undefined {
  return sizes?.[sizes.length - 1]?.file_id;
}

/**
 * A file people sent, downloaded through the Bot API file endpoint; undefined when Telegram does
 * not serve it or it is larger than `maxBytes` (checked before and after the download). The bytes
 * are not checked here.
 */
export async function downloadTelegramFile(
  api: Api,
  fileId: string,
  fileUrl: (filePath: string) => string,
  maxBytes = MAX_PHOTO_BYTES,
): Promise<Uint8Array | undefined> {
  const file = await api.getFile(fileId);
  if (!file.file_path || (file.file_size ?? 0) > maxBytes) return undefined;
  const response = await fetch(fileUrl(file.file_path));
  if (!response.ok) return undefined;
  const bytes = new Uint8Array(await response.arrayBuffer());
  return bytes.byteLength > maxBytes ? undefined : bytes;
}

/**
 * A photo for a vision question: downloaded and its type sniffed. Undefined when it cannot be read
 * as an image (the caller says so in the chat).
 */
export async function downloadPhoto(
  api: Api,
  fileId: string,
  fileUrl: (filePath: string) => string,
): Promise<{ mediaType: string; data: string } | undefined> {
  const bytes = await downloadTelegramFile(api, fileId, fileUrl);
  const mediaType = bytes ? sniffImageType(bytes) : undefined;
  return bytes && mediaType ? { mediaType, data: Buffer.from(bytes).toString('base64') } : undefined;
}
