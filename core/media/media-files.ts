import { CoreError } from '../errors.js';
import { assertMaskMatches, type ImageProcessor, type ProcessedImage } from '../ports/images.js';
import { extensionForContentType, outputKey, type Storage, uploadKey } from '../ports/storage.js';
import type { MediaFile } from '../providers/media.js';
import type { StoredOutput } from './media-jobs.js';

/**
 * Files in and out of media jobs. Uploads are decoded and re-encoded by the image processor (which
 * drops EXIF, GPS and every other metadata) before they are stored or sent anywhere; all of them
 * are checked before the first one is stored, so bad input stores nothing. Outputs are stored under
 * deterministic keys, so a rerun overwrites rather than adds.
 */

export interface UploadedImage {
  /** The user's file name (only for logs and the stored name's stem). */
  name?: string;
  bytes: Uint8Array;
}

export interface SanitizedUploads {
  images: ProcessedImage[];
  mask?: ProcessedImage;
}

/**
 * Longest side an input image is stored and sent upstream with; larger uploads are shrunk. Image
 * models work at 1-2 megapixels anyway, and re-encoding a full 12-megapixel photo costs ~20x more.
 */
const MAX_INPUT_SIDE = 2048;

export async function sanitizeUploads(
  processor: ImageProcessor,
  images: UploadedImage[],
  mask: UploadedImage | undefined,
  param: string,
): Promise<SanitizedUploads> {
  const clean: ProcessedImage[] = [];
  for (const [index, image] of images.entries()) {
    clean.push(await withParam(processor.sanitize(image.bytes, { maxSide: MAX_INPUT_SIDE }), param, index));
  }
  if (mask === undefined) return { images: clean };
  const first = images[0];
  if (first === undefined) throw new CoreError('invalid_request', 'A mask needs an image.');
  // Compare the uploads as sent (before any shrinking), then shrink the mask exactly like the image.
  const [imageInfo, maskInfo] = await Promise.all([
    withParam(processor.inspect(first.bytes), param, 0),
    withParam(processor.inspect(mask.bytes), 'mask'),
  ]);
  try {
    assertMaskMatches(imageInfo, maskInfo, { requireAlpha: true });
  } catch (error) {
    throw new CoreError('invalid_request', (error as Error).message, { details: { param: 'mask' } });
  }
  const cleanMask = await withParam(
    processor.sanitize(mask.bytes, { maxSide: MAX_INPUT_SIDE, format: 'png' }),
    'mask',
  );
  return { images: clean, mask: cleanMask };
}

async function withParam<T>(work: Promise<T>, param: string, index?: number): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (
      error instanceof CoreError &&
      (error.code === 'invalid_request' || error.code === 'payload_too_large')
    ) {
      const which = index === undefined || index === 0 ? '' : ` (image ${index + 1})`;
      throw new CoreError(error.code, `${error.message}${which}`, { details: { param } });
    }
    throw error;
  }
}

export interface StoredUpload {
  key: string;
  contentType: string;
  bytes: number;
}

/** Stores sanitized uploads as `uploads/{account}/{job}/image-{i}.{ext}` and `mask.png`. */
export async function storeUploads(
  storage: Storage,
  job: { id: string; accountId: string },
  uploads: SanitizedUploads,
): Promise<{ images: StoredUpload[]; mask?: StoredUpload }> {
  const put = async (name: string, file: ProcessedImage): Promise<StoredUpload> => {
    const key = uploadKey(job.accountId, job.id, `${name}.${extensionForContentType(file.contentType)}`);
    await storage.put(key, file.bytes, file.contentType);
    return { key, contentType: file.contentType, bytes: file.bytes.length };
  };
  const images: StoredUpload[] = [];
  for (const [index, image] of uploads.images.entries()) images.push(await put(`image-${index}`, image));
  if (uploads.mask === undefined) return { images };
  return { images, mask: await put('mask', uploads.mask) };
}

/** Reads stored uploads back for the provider call. */
export async function readUploads(storage: Storage, keys: string[]): Promise<MediaFile[]> {
  const files: MediaFile[] = [];
  for (const key of keys) {
    const object = await storage.get(key);
    if (object === null) {
      throw new CoreError('internal', 'An uploaded input of this job is missing from storage.', {
        retryable: false,
      });
    }
    files.push({ bytes: object.bytes, contentType: object.contentType });
  }
  return files;
}

/**
 * Stores a job's outputs as `outputs/{account}/{job}/{n}.{ext}`. An image output must decode as an
 * image: an upstream answering garbage is an upstream error, not a result. Stored byte for byte, so
 * provenance metadata of the upstream survives.
 */
export async function storeOutputs(
  storage: Storage,
  processor: ImageProcessor,
  job: { id: string; accountId: string },
  files: MediaFile[],
): Promise<StoredOutput[]> {
  const stored: StoredOutput[] = [];
  for (const [index, file] of files.entries()) {
    let size: { width: number; height: number } | undefined;
    if (file.contentType.startsWith('image/')) {
      const info = await processor.inspect(file.bytes).catch((error: unknown) => {
        throw new CoreError('upstream_error', 'The upstream returned an image that cannot be read.', {
          retryable: false,
          cause: error,
        });
      });
      size = { width: info.width, height: info.height };
    }
    const key = outputKey(job.accountId, job.id, index, extensionForContentType(file.contentType));
    await storage.put(key, file.bytes, file.contentType);
    stored.push({ key, contentType: file.contentType, bytes: file.bytes.length, ...size });
  }
  return stored;
}
