import { CoreError } from '../../errors.js';
import type { ImageEditRequest, ImageGenerationRequest } from '../media-contract.js';

/** The aspect ratios Gemini image models accept in `generationConfig.imageConfig.aspectRatio`. */
const ASPECT_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];

/**
 * `generateContent` body for one image: the input images as `inlineData` parts, then the prompt, and
 * `responseModalities: ["TEXT","IMAGE"]` (image models answer with text and image parts).
 */
export function imageGenerateContentBody(
  request: ImageGenerationRequest | ImageEditRequest,
): Record<string, unknown> {
  if (request.prompt.trim().length === 0) throw new CoreError('invalid_request', 'The prompt is empty.');
  const images = 'images' in request ? request.images : [];
  if ('mask' in request && request.mask !== undefined) {
    throw new CoreError('invalid_request', 'This model edits by instruction and does not take a mask.');
  }
  const parts: Array<Record<string, unknown>> = images.map((image) => ({
    inlineData: { mimeType: image.contentType, data: image.bytes.toString('base64') },
  }));
  parts.push({ text: request.prompt });
  const aspectRatio = request.aspectRatio ?? aspectRatioForSize(request.size);
  if (aspectRatio !== undefined && !ASPECT_RATIOS.includes(aspectRatio)) {
    throw new CoreError('invalid_request', `Supported aspect ratios are ${ASPECT_RATIOS.join(', ')}.`);
  }
  return {
    contents: [{ role: 'user', parts }],
    generationConfig: {
      responseModalities: ['TEXT', 'IMAGE'],
      ...(aspectRatio === undefined ? {} : { imageConfig: { aspectRatio } }),
    },
  };
}

/** The supported ratio closest to a `WxH` size; undefined for `auto` or no size. */
export function aspectRatioForSize(size: string | undefined): string | undefined {
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size ?? '');
  if (match === null) return undefined;
  const wanted = Number(match[1]) / Number(match[2]);
  if (!Number.isFinite(wanted) || wanted <= 0) return undefined;
  let best = '1:1';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const ratio of ASPECT_RATIOS) {
    const [w, h] = ratio.split(':').map(Number);
    const distance = Math.abs(Math.log(w! / h! / wanted));
    if (distance < bestDistance) {
      best = ratio;
      bestDistance = distance;
    }
  }
  return best;
}
