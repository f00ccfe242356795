import sharp, { type Sharp } from 'sharp';
import { CoreError } from '../../core/errors.js';
import {
  CONTENT_TYPE_BY_FORMAT,
  type ImageFormat,
  type ImageInfo,
  type ImageLimits,
  type ImageProcessor,
  type OutputImageFormat,
  type PreviewLimits,
  type ProcessedImage,
  resolveImageLimits,
  type SanitizeOptions,
  sniffImageFormat,
} from '../../core/ports/images.js';

const NOT_AN_IMAGE = 'The file is not an image we can read (use PNG, JPEG, WebP or GIF).';
const DAMAGED = 'The image file is damaged or incomplete.';

/** The ImageProcessor port on sharp (libvips). */
export class SharpImageProcessor implements ImageProcessor {
  private readonly defaults: Partial<ImageLimits>;

  constructor(defaults: Partial<ImageLimits> = {}) {
    this.defaults = defaults;
  }

  async inspect(bytes: Uint8Array, limits?: Partial<ImageLimits>): Promise<ImageInfo> {
    return (await this.check(bytes, limits)).info;
  }

  async sanitize(bytes: Uint8Array, options: SanitizeOptions = {}): Promise<ProcessedImage> {
    const { info, limits } = await this.check(bytes, options.limits);
    const format = options.format ?? defaultOutputFormat(info.format);
    let pipeline = decoder(bytes, limits).autoOrient();
    if (options.maxSide !== undefined) {
      pipeline = pipeline.resize(options.maxSide, options.maxSide, {
        fit: 'inside',
        withoutEnlargement: true,
      });
    }
    return encode(pipeline, format, 90);
  }

  async preview(bytes: Uint8Array, limits: PreviewLimits): Promise<ProcessedImage> {
    const checked = await this.check(bytes, undefined);
    const { width, height } = fitWithin(checked.info.width, checked.info.height, limits);
    const decoded = await run(() =>
      decoder(bytes, checked.limits)
        .autoOrient()
        .resize(width, height, { fit: 'fill' })
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true }),
    );
    const raw = { width: decoded.info.width, height: decoded.info.height, channels: 4 as const };
    const hasAlpha = checked.info.hasAlpha;

    // Lower quality first, then size (guided by how far off the smallest encoding was), until it fits.
    // PNG only when transparency matters.
    const candidates: Array<[OutputImageFormat, number]> = hasAlpha
      ? [
          ['png', 0],
          ['webp', 85],
          ['webp', 65],
        ]
      : [
          ['jpeg', 88],
          ['jpeg', 75],
          ['jpeg', 60],
          ['jpeg', 45],
        ];
    let scale = 1;
    for (;;) {
      const w = Math.max(1, Math.floor(raw.width * scale));
      const h = Math.max(1, Math.floor(raw.height * scale));
      let smallest = Number.POSITIVE_INFINITY;
      for (const [format, quality] of candidates) {
        const image = sharp(decoded.data, { raw }).resize(w, h, { fit: 'fill' });
        const out = await encode(image, format, quality);
        if (out.bytes.length <= limits.maxBytes) return out;
        smallest = Math.min(smallest, out.bytes.length);
      }
      if (Math.max(w, h) <= 64) break;
      scale *= Math.min(0.75, Math.sqrt(limits.maxBytes / smallest) * 0.95);
    }
    throw new CoreError('payload_too_large', 'The image cannot be made small enough for this chat platform.');
  }

  /** Magic bytes, then the header: format and pixel count are judged before any pixel is decoded. */
  private async check(
    bytes: Uint8Array,
    overrides: Partial<ImageLimits> | undefined,
  ): Promise<{ info: ImageInfo; limits: ImageLimits }> {
    const limits = resolveImageLimits({
      ...resolveImageLimits(this.defaults),
      ...withoutUndefined(overrides),
    });
    if (bytes.byteLength > limits.maxInputBytes) {
      throw new CoreError(
        'payload_too_large',
        `The image is too large (${bytes.byteLength} bytes; the limit is ${limits.maxInputBytes}).`,
      );
    }
    const sniffed = sniffImageFormat(bytes);
    if (sniffed === null) throw new CoreError('invalid_request', NOT_AN_IMAGE);
    if (!limits.formats.includes(sniffed)) {
      throw new CoreError('invalid_request', `${sniffed.toUpperCase()} images are not accepted here.`);
    }
    // The header is read without the pixel limit so that we, not libvips, word the refusal.
    const metadata = await run(() => sharp(bytes, { limitInputPixels: false }).metadata());
    const { width, height } = metadata;
    if (metadata.format !== sniffed || !width || !height) {
      throw new CoreError('invalid_request', DAMAGED);
    }
    if (width * height > limits.maxPixels) {
      throw tooManyPixels(width, height, limits.maxPixels);
    }
    const rotated = (metadata.orientation ?? 1) >= 5;
    return {
      limits,
      info: {
        format: sniffed,
        width: rotated ? height : width,
        height: rotated ? width : height,
        bytes: bytes.byteLength,
        hasAlpha: metadata.hasAlpha === true,
      },
    };
  }
}

function withoutUndefined(limits: Partial<ImageLimits> | undefined): Partial<ImageLimits> {
  return Object.fromEntries(Object.entries(limits ?? {}).filter(([, value]) => value !== undefined));
}

function decoder(bytes: Uint8Array, limits: ImageLimits): Sharp {
  return sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'truncated' });
}

function defaultOutputFormat(input: ImageFormat): OutputImageFormat {
  return input === 'gif' ? 'png' : input;
}

async function encode(pipeline: Sharp, format: OutputImageFormat, quality: number): Promise<ProcessedImage> {
  const encoder =
    format === 'jpeg'
      ? pipeline.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: true })
      : format === 'webp'
        ? pipeline.webp({ quality })
        : pipeline.png();
  const { data, info } = await run(() => encoder.toBuffer({ resolveWithObject: true }));
  return {
    bytes: data,
    contentType: CONTENT_TYPE_BY_FORMAT[format],
    format,
    width: info.width,
    height: info.height,
  };
}

/** The largest size keeping the aspect ratio that respects maxSide and maxDimensionSum; never enlarges. */
export function fitWithin(
  width: number,
  height: number,
  limits: PreviewLimits,
): { width: number; height: number } {
  let scale = 1;
  if (limits.maxSide !== undefined) scale = Math.min(scale, limits.maxSide / Math.max(width, height));
  if (limits.maxDimensionSum !== undefined)
    scale = Math.min(scale, limits.maxDimensionSum / (width + height));
  return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) };
}

function tooManyPixels(width: number, height: number, maxPixels: number): CoreError {
  return new CoreError(
    'invalid_request',
    `The image has too many pixels (${width}x${height}; the limit is ${Math.floor(maxPixels / 1_000_000)} megapixels).`,
  );
}

/** Runs a sharp call, turning libvips' decoder errors into a user-facing CoreError. */
async function run<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CoreError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) {
      throw new CoreError('invalid_request', 'The image has too many pixels.', { cause: error });
    }
    if (/unsupported image format/i.test(message)) {
      throw new CoreError('invalid_request', NOT_AN_IMAGE, { cause: error });
    }
    throw new CoreError('invalid_request', DAMAGED, { cause: error });
  }
}
