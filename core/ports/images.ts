import { CoreError } from '../errors.js';

/** Formats we accept as input; anything else (SVG, TIFF, HEIC, PDF, ...) is refused. */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif';
export type OutputImageFormat = 'png' | 'jpeg' | 'webp';

export interface ImageLimits {
  /** Refuse inputs larger than this many bytes. */
  maxInputBytes: number;
  /** Refuse images with more pixels than this (decompression bombs), judged from the header alone. */
  maxPixels: number;
  formats: readonly ImageFormat[];
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxInputBytes: 25 * 1024 * 1024,
  maxPixels: 40_000_000,
  formats: ['png', 'jpeg', 'webp', 'gif'],
};

/** What the header says; width and height are as displayed, after the EXIF orientation. */
export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
  /** Size of the input in bytes. */
  bytes: number;
  hasAlpha: boolean;
}

export interface ProcessedImage {
  bytes: Buffer;
  contentType: string;
  format: OutputImageFormat;
  width: number;
  height: number;
}

export interface SanitizeOptions {
  /** Shrink (never enlarge) so that neither side exceeds this. */
  maxSide?: number;
  /** Output format; default keeps png/jpeg/webp and turns gif into png. */
  format?: OutputImageFormat;
  limits?: Partial<ImageLimits>;
}

/** What a chat platform accepts for an inline image. */
export interface PreviewLimits {
  maxBytes: number;
  /** Largest width or height. */
  maxSide?: number;
  /** Largest width + height (Telegram photos: 10000). */
  maxDimensionSum?: number;
}

/**
 * Decoding and re-encoding of images; implemented with sharp in workers/media.
 * Every method throws CoreError('invalid_request') with a message fit for the user when the input
 * is not an acceptable image, and 'payload_too_large' when it has too many bytes.
 */
export interface ImageProcessor {
  /** Reads the header only (cheap): format, displayed size, and the limits. Does not prove the pixels decode. */
  inspect(bytes: Uint8Array, limits?: Partial<ImageLimits>): Promise<ImageInfo>;
  /**
   * Fully decodes (so truncated or corrupt files are refused), applies the EXIF orientation, drops
   * all metadata (EXIF, GPS, XMP, ICC after converting to sRGB) and re-encodes.
   */
  sanitize(bytes: Uint8Array, options?: SanitizeOptions): Promise<ProcessedImage>;
  /** A sanitized copy that fits a platform's limits, lowering size and quality until it does. */
  preview(bytes: Uint8Array, limits: PreviewLimits): Promise<ProcessedImage>;
}

/** Telegram sendPhoto: at most 10 MB, width + height at most 10000. */
export const TELEGRAM_PHOTO_LIMITS: PreviewLimits = { maxBytes: 10_000_000, maxDimensionSum: 10_000 };

export const CONTENT_TYPE_BY_FORMAT: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};

/**
 * An edit mask must have the image's displayed size; OpenAI also wants a PNG with an alpha channel
 * whose transparent pixels mark where to edit.
 */
export function assertMaskMatches(
  image: ImageInfo,
  mask: ImageInfo,
  options: { requireAlpha?: boolean } = {},
): void {
  if (image.width !== mask.width || image.height !== mask.height) {
    throw new CoreError(
      'invalid_request',
      `The mask must be the same size as the image (image ${image.width}x${image.height}, mask ${mask.width}x${mask.height}).`,
    );
  }
  if (options.requireAlpha === true && (mask.format !== 'png' || !mask.hasAlpha)) {
    throw new CoreError(
      'invalid_request',
      'The mask must be a PNG with transparency marking the area to edit.',
    );
  }
}

/** The defaults with every override that is actually set (an explicit `undefined` keeps the default). */
export function resolveImageLimits(overrides: Partial<ImageLimits> | undefined): ImageLimits {
  return {
    maxInputBytes: overrides?.maxInputBytes ?? DEFAULT_IMAGE_LIMITS.maxInputBytes,
    maxPixels: overrides?.maxPixels ?? DEFAULT_IMAGE_LIMITS.maxPixels,
    formats: overrides?.formats ?? DEFAULT_IMAGE_LIMITS.formats,
  };
}

/**
 * Identifies an image by its magic bytes, before any decoder sees it, so text formats such as SVG
 * (and anything else a decoder could open) never reach a parser.
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    if (b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && ascii(b, 0, 4) === 'GIF8' && (ascii(b, 4, 6) === '7a' || ascii(b, 4, 6) === '9a')) {
    return 'gif';
  }
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  return null;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}
