import { type ImageResult, type ImageUsage, imageContentType, type MediaFile } from '../media-contract.js';
import { providerProtocolError } from '../shared/errors.js';
import { count, isObject, str } from '../shared/wire.js';

/**
 * Reads an `ImagesResponse`: `data[]` entries carry `b64_json` or a `url` (downloaded through
 * `download`, since those links expire after an hour); GPT image models add `usage`.
 */
export async function parseImagesResponse(
  body: unknown,
  download: (url: string) => Promise<MediaFile>,
): Promise<ImageResult> {
  if (!isObject(body) || !Array.isArray(body.data) || body.data.length === 0) {
    throw providerProtocolError('openai', 'image response has no data');
  }
  const images: MediaFile[] = [];
  let revisedPrompt: string | undefined;
  for (const entry of body.data) {
    if (!isObject(entry)) throw providerProtocolError('openai', 'image entry is not an object');
    revisedPrompt ??= str(entry.revised_prompt);
    const b64 = str(entry.b64_json);
    const url = str(entry.url);
    if (b64 !== undefined) {
      const bytes = Buffer.from(b64, 'base64');
      images.push({ bytes, contentType: imageContentType(bytes) });
    } else if (url !== undefined) {
      images.push(await download(url));
    } else {
      throw providerProtocolError('openai', 'image entry has neither b64_json nor url');
    }
  }
  const usage = parseImageUsage(body.usage);
  return {
    images,
    ...(usage === undefined ? {} : { usage }),
    ...(revisedPrompt === undefined ? {} : { revisedPrompt }),
  };
}

function parseImageUsage(value: unknown): ImageUsage | undefined {
  if (!isObject(value)) return undefined;
  const inputTokens = count(value.input_tokens);
  const outputTokens = count(value.output_tokens);
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  const details = isObject(value.input_tokens_details) ? value.input_tokens_details : {};
  const inputImageTokens = count(details.image_tokens);
  return { inputTokens, outputTokens, ...(inputImageTokens === undefined ? {} : { inputImageTokens }) };
}
