import type { Api } from 'grammy';

/** Telegram serves bot downloads up to 20 MB; photos are far smaller, so anything larger is refused. */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** The image type by its first bytes (JPEG, PNG, WebP), or undefined for anything else. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length > 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** The file id of the largest size of a message's photo. */
export function largestPhotoId(sizes: { file_id: string }[] | undefined): string | undefined {
  return sizes?.[sizes.length - 1]?.file_id;
}

/**
 * A file people sent, downloaded through the Bot API file endpoint; undefined when Telegram does
 * not serve it or it is too large. The bytes are not checked here.
 */
export async function downloadTelegramFile(
  api: Api,
  fileId: string,
  fileUrl: (filePath: string) => string,
): Promise<Uint8Array | undefined> {
  const file = await api.getFile(fileId);
  if (!file.file_path || (file.file_size ?? 0) > MAX_PHOTO_BYTES) return undefined;
  const response = await fetch(fileUrl(file.file_path));
  if (!response.ok) return undefined;
  const bytes = new Uint8Array(await response.arrayBuffer());
  return bytes.byteLength > MAX_PHOTO_BYTES ? undefined : bytes;
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
