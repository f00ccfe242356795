import { CoreError } from '../../core/errors.js';
import type { ImagePart } from '../../core/providers/index.js';
import { sniffImageType } from '../../core/security/image-type.js';

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

export { sniffImageType };

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
