import { CoreError } from '../../core/errors.js';
import type { ImagePart } from '../../core/providers/index.js';

/**
 * Images in chat requests. https URLs are passed to the provider as URLs (the provider fetches them);
 * inline images (data URLs, Anthropic base64 sources) are checked to really be PNG, JPEG, GIF or WebP
 * by their first bytes, whatever type the client claimed, and forwarded with the detected type.
 */

const MAX_INLINE_BYTES = 20 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function invalid(message: string, param: string): CoreError {
  return new CoreError('invalid_request', message, { details: { param } });
}

/** The image type of these bytes, or undefined when they are not an image we accept. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  const at = (i: number) => bytes[i];
  if (
    at(0) === 0x89 &&
    at(1) === 0x50 &&
    at(2) === 0x4e &&
    at(3) === 0x47 &&
    at(4) === 0x0d &&
    at(5) === 0x0a
  )
    return 'image/png';
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'image/gif';
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** An inline base64 image, verified. */
export function inlineImage(base64: string, param: string): ImagePart {
  const data = base64.replace(/\s+/g, '');
  if (data.length === 0 || data.length % 4 === 1 || !BASE64.test(data)) {
    throw invalid('The image is not valid base64', param);
  }
  if (Math.floor((data.length * 3) / 4) > MAX_INLINE_BYTES) {
    throw new CoreError('payload_too_large', 'An image may be at most 20 MB', { details: { param } });
  }
  const head = Buffer.from(data.slice(0, 24), 'base64');
  const mediaType = sniffImageType(head);
  if (!mediaType) throw invalid('The image is not a PNG, JPEG, GIF or WebP image', param);
  return { type: 'image', mediaType, data };
}

/** A `data:` URL or an https URL (OpenAI `image_url.url`, Anthropic `source.url`). */
export function imageFromUrl(url: string, param: string): ImagePart {
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    const header = comma === -1 ? '' : url.slice(5, comma);
    if (comma === -1 || !/;base64$/i.test(header)) {
      throw invalid('Image data URLs must be base64: data:image/png;base64,...', param);
    }
    return inlineImage(url.slice(comma + 1), param);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('The image URL is not a valid URL', param);
  }
  if (parsed.protocol !== 'https:') throw invalid('Image URLs must use https (or be data URLs)', param);
  return { type: 'image', url: parsed.toString() };
}
