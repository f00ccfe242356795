import { CoreError } from '../../errors.js';
import type { ImageEditRequest, ImageGenerationRequest } from '../media-contract.js';

/** Request building for `/images/generations` (JSON) and `/images/edits` (multipart). */

const DALLE2_SIZES = ['256x256', '512x512', '1024x1024'];
const DALLE3_SIZES = ['1024x1024', '1792x1024', '1024x1792'];

export function isDallE(model: string): boolean {
  return model.startsWith('dall-e');
}

/** Refuses what the upstream would refuse anyway, with a message the user can act on. */
export function checkImageRequest(request: ImageGenerationRequest, kind: 'generation' | 'edit'): number {
  const n = request.n ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 10) {
    throw new CoreError('invalid_request', 'n must be a whole number from 1 to 10.');
  }
  if (request.prompt.trim().length === 0) throw new CoreError('invalid_request', 'The prompt is empty.');
  if (request.model === 'dall-e-3') {
    if (kind === 'edit') throw new CoreError('invalid_request', 'dall-e-3 cannot edit images.');
    if (n !== 1) throw new CoreError('invalid_request', 'dall-e-3 makes one image per request (n=1).');
  }
  const sizes =
    request.model === 'dall-e-3' ? DALLE3_SIZES : request.model === 'dall-e-2' ? DALLE2_SIZES : null;
  if (sizes !== null && request.size !== undefined && !sizes.includes(request.size)) {
    throw new CoreError('invalid_request', `${request.model} supports the sizes ${sizes.join(', ')}.`);
  }
  return n;
}

/** JSON for `/images/generations`. dall-e is asked for base64 so no second download is needed. */
export function generationBody(request: ImageGenerationRequest): Record<string, unknown> {
  const n = checkImageRequest(request, 'generation');
  const body: Record<string, unknown> = { model: request.model, prompt: request.prompt, n };
  if (request.size !== undefined) body.size = request.size;
  if (request.quality !== undefined) body.quality = request.quality;
  if (isDallE(request.model)) {
    body.response_format = 'b64_json';
    if (request.model === 'dall-e-3' && request.style !== undefined) body.style = request.style;
  } else {
    if (request.outputFormat !== undefined) body.output_format = request.outputFormat;
    if (request.background !== undefined) body.background = request.background;
  }
  return body;
}

/** Multipart for `/images/edits`: repeated `image[]` for GPT image models, a single `image` for dall-e-2. */
export async function editForm(
  request: ImageEditRequest,
): Promise<{ body: Uint8Array; contentType: string }> {
  const n = checkImageRequest(request, 'edit');
  if (request.images.length === 0)
    throw new CoreError('invalid_request', 'An edit needs at least one image.');
  const dalle = isDallE(request.model);
  if (dalle && request.images.length > 1) {
    throw new CoreError('invalid_request', `${request.model} edits one image at a time.`);
  }
  if (request.images.length > 16)
    throw new CoreError('invalid_request', 'At most 16 images can be edited at once.');

  const form = new FormData();
  form.append('model', request.model);
  form.append('prompt', request.prompt);
  form.append('n', String(n));
  if (request.size !== undefined) form.append('size', request.size);
  if (request.quality !== undefined) form.append('quality', request.quality);
  if (dalle) {
    form.append('response_format', 'b64_json');
  } else {
    if (request.outputFormat !== undefined) form.append('output_format', request.outputFormat);
    if (request.background !== undefined) form.append('background', request.background);
  }
  request.images.forEach((image, index) => {
    const extension = image.contentType.split('/')[1] ?? 'png';
    form.append(
      dalle ? 'image' : 'image[]',
      new Blob([image.bytes], { type: image.contentType }),
      `image-${index}.${extension}`,
    );
  });
  if (request.mask !== undefined) {
    form.append('mask', new Blob([request.mask.bytes], { type: 'image/png' }), 'mask.png');
  }
  // The platform's own encoder writes the boundary and part headers.
  const encoded = new Response(form);
  const contentType = encoded.headers.get('content-type') ?? 'multipart/form-data';
  return { body: new Uint8Array(await encoded.arrayBuffer()), contentType };
}
