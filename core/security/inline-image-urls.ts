import { CoreError } from '../errors.js';
import type { ChatMessage, ChatProvider, ChatRequest, Part, ProviderId } from '../providers/index.js';
import { sniffImageType } from './image-type.js';
import { fetchPublicImage } from './public-address.js';

/** Downloads one user-supplied image URL (the public-address guard, redirects re-checked, size capped). */
export type ImageUrlFetcher = (url: string) => Promise<{ bytes: Buffer }>;

/**
 * Providers that get image URLs as URLs: OpenAI and Anthropic fetch them on their own servers,
 * outside our network. Every other route (a self-hosted server inside our network, Gemini and
 * DeepSeek, which cannot fetch arbitrary URLs) gets the image fetched by us through the
 * public-address guard and sent inline, so no URL a user wrote is ever fetched from inside.
 */
const FETCH_URLS_THEMSELVES: ReadonlySet<ProviderId> = new Set(['openai', 'anthropic']);

export const MAX_URL_IMAGE_BYTES = 20 * 1024 * 1024;
/** URL images fetched for one request at most: the work is bounded before anyone has paid. */
export const MAX_URL_IMAGES = 8;

export function fetchImageUrl(url: string): Promise<{ bytes: Buffer }> {
  return fetchPublicImage(url, { maxBytes: MAX_URL_IMAGE_BYTES });
}

async function inlineParts(
  parts: Part[],
  fetchImage: ImageUrlFetcher,
  budget: { left: number },
): Promise<Part[]> {
  const out: Part[] = [];
  for (const part of parts) {
    if (part.type !== 'image' || !('url' in part)) {
      out.push(part);
      continue;
    }
    budget.left -= 1;
    if (budget.left < 0) {
      throw new CoreError(
        'invalid_request',
        `At most ${MAX_URL_IMAGES} image URLs per request for this model`,
      );
    }
    const { bytes } = await fetchImage(part.url);
    const mediaType = sniffImageType(bytes);
    if (!mediaType) {
      throw new CoreError('invalid_request', 'The image URL did not return a PNG, JPEG, GIF or WebP image');
    }
    out.push({ type: 'image', mediaType, data: bytes.toString('base64') });
  }
  return out;
}

/** The request with every image URL replaced by the image itself (unchanged when it has none). */
export async function inlineImageUrls(
  request: ChatRequest,
  fetchImage: ImageUrlFetcher,
): Promise<ChatRequest> {
  const hasUrl = request.messages.some((m) => m.content.some((p) => p.type === 'image' && 'url' in p));
  if (!hasUrl) return request;
  const budget = { left: MAX_URL_IMAGES };
  const messages: ChatMessage[] = [];
  for (const message of request.messages) {
    messages.push({ ...message, content: await inlineParts(message.content, fetchImage, budget) });
  }
  return { ...request, messages };
}

/** The providers, those that must not fetch user URLs themselves wrapped to get images inline. */
export function guardImageUrls(
  providers: Partial<Record<ProviderId, ChatProvider>>,
  fetchImage: ImageUrlFetcher = fetchImageUrl,
): Partial<Record<ProviderId, ChatProvider>> {
  const guarded: Partial<Record<ProviderId, ChatProvider>> = {};
  for (const [id, provider] of Object.entries(providers) as [ProviderId, ChatProvider][]) {
    guarded[id] = FETCH_URLS_THEMSELVES.has(id)
      ? provider
      : {
          id: provider.id,
          generate: async (request) => provider.generate(await inlineImageUrls(request, fetchImage)),
          stream: (request) => ({
            async *[Symbol.asyncIterator]() {
              yield* provider.stream(await inlineImageUrls(request, fetchImage));
            },
          }),
        };
  }
  return guarded;
}
