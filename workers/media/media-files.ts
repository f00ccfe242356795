import { CoreError } from '../../core/errors.js';
import type { ImageLimits, ImageProcessor, OutputImageFormat } from '../../core/ports/images.js';
import { extensionForContentType, outputKey, type Storage, uploadKey } from '../../core/ports/storage.js';

/**
 * The glue between the image processor and storage that image and video jobs share:
 * user uploads are sanitized before they are stored (EXIF/GPS never kept, orientation applied),
 * while upstream outputs are stored byte for byte (so provenance metadata such as C2PA survives)
 * after checking that an image output really is an image.
 */

export interface MediaDeps {
  storage: Storage;
  images: ImageProcessor;
}

export interface StoredFile {
  key: string;
  contentType: string;
  size: number;
  width?: number;
  height?: number;
}

export interface UploadInput {
  accountId: string;
  jobId: string;
  /** The user's file name (made safe; its extension is replaced by the stored format's). */
  name: string;
  bytes: Uint8Array;
  limits?: Partial<ImageLimits>;
  /** Shrink uploads larger than this on either side. */
  maxSide?: number;
  format?: OutputImageFormat;
}

/** Validates, sanitizes and stores one uploaded image; throws CoreError('invalid_request') for bad input. */
export async function storeImageUpload(
  deps: MediaDeps,
  input: UploadInput,
): Promise<StoredFile & { bytes: Buffer }> {
  const clean = await deps.images.sanitize(input.bytes, {
    ...(input.limits === undefined ? {} : { limits: input.limits }),
    ...(input.maxSide === undefined ? {} : { maxSide: input.maxSide }),
    ...(input.format === undefined ? {} : { format: input.format }),
  });
  const stem = input.name.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'image';
  const key = uploadKey(
    input.accountId,
    input.jobId,
    `${stem}.${extensionForContentType(clean.contentType)}`,
  );
  await deps.storage.put(key, clean.bytes, clean.contentType);
  return {
    key,
    contentType: clean.contentType,
    size: clean.bytes.length,
    width: clean.width,
    height: clean.height,
    bytes: clean.bytes,
  };
}

export interface OutputInput {
  accountId: string;
  jobId: string;
  files: Array<{ bytes: Buffer; contentType: string }>;
  /** Index of the first file (when outputs arrive in several batches). */
  firstIndex?: number;
}

/**
 * Stores a job's outputs as `outputs/{account}/{job}/{n}.{ext}`. Image outputs must decode as an
 * image (an upstream answering garbage is an error, not a result); other files (video) are stored
 * as given. Idempotent: a retried job overwrites the same keys.
 */
export async function storeOutputs(deps: MediaDeps, input: OutputInput): Promise<StoredFile[]> {
  const stored: StoredFile[] = [];
  let index = input.firstIndex ?? 0;
  for (const file of input.files) {
    let dimensions: { width: number; height: number } | undefined;
    if (file.contentType.startsWith('image/')) {
      const info = await deps.images.inspect(file.bytes).catch((error: unknown) => {
        // Not the user's fault: the upstream answered something that is not a readable image.
        throw new CoreError('upstream_error', 'The upstream returned an image that cannot be read.', {
          retryable: false,
          cause: error,
        });
      });
      dimensions = { width: info.width, height: info.height };
    }
    const key = outputKey(input.accountId, input.jobId, index, extensionForContentType(file.contentType));
    await deps.storage.put(key, file.bytes, file.contentType);
    stored.push({ key, contentType: file.contentType, size: file.bytes.length, ...dimensions });
    index += 1;
  }
  return stored;
}
