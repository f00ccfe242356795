import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_GEMINI_IMAGES_KEY,
  type FakeGeminiImages,
  startFakeGeminiImages,
} from '../../../test/fakes/gemini-images.js';
import { CoreError } from '../../errors.js';
import { type ImageProvider, isContentRefusal } from '../media-contract.js';
import type { ProviderError } from '../shared/errors.js';
import { createHttpClient, type HttpClient } from '../shared/http.js';
import { createGeminiImageProvider } from './image-provider.js';
import { aspectRatioForSize } from './image-request.js';

let fake: FakeGeminiImages;
let http: HttpClient;
let provider: ImageProvider;
const model = 'gemini-2.5-flash-image';

beforeAll(async () => {
  fake = await startFakeGeminiImages();
  http = createHttpClient();
  provider = createGeminiImageProvider({ baseUrl: fake.url, apiKey: FAKE_GEMINI_IMAGES_KEY, http });
});
afterAll(async () => {
  await http.close();
  await fake.close();
});

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    return error as ProviderError;
  }
  throw new Error('expected a rejection');
}

describe('Gemini image provider', () => {
  it('asks for TEXT and IMAGE, returns the inline PNG, the text and the usage', async () => {
    const result = await provider.generate({
      model,
      prompt: 'nasi goreng on a banana leaf',
      size: '1792x1024',
    });
    const sent = fake.requests.at(-1)?.body;
    expect(sent).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'nasi goreng on a banana leaf' }] }],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } },
    });
    expect(fake.requests.at(-1)?.headers['x-goog-api-key']).toBe(FAKE_GEMINI_IMAGES_KEY);
    expect(result.images).toHaveLength(1);
    expect(result.images[0]?.contentType).toBe('image/png');
    expect(await sharp(result.images[0]!.bytes).metadata()).toMatchObject({ width: 256, height: 144 });
    expect(result.revisedPrompt).toBe('Here is your image.');
    expect(result.usage).toEqual({ inputTokens: 8, outputTokens: 1296 });
  });

  it('makes n images with n calls and sums the usage', async () => {
    const before = fake.requests.length;
    const result = await provider.generate({ model, prompt: 'x', n: 3 });
    expect(fake.requests.length - before).toBe(3);
    expect(result.images).toHaveLength(3);
    expect(result.usage).toEqual({ inputTokens: 24, outputTokens: 3 * 1296 });
  });

  it('edits by sending the images as inlineData parts before the prompt, and refuses a mask', async () => {
    const image = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#f00' } })
      .png()
      .toBuffer();
    const result = await provider.edit({
      model,
      prompt: 'make it blue',
      images: [{ bytes: image, contentType: 'image/png' }],
    });
    expect(result.images).toHaveLength(1);
    const parts = (
      fake.requests.at(-1)!.body.contents as Array<{ parts: Array<Record<string, unknown>> }>
    )[0]!.parts;
    expect(parts[0]).toEqual({ inlineData: { mimeType: 'image/png', data: image.toString('base64') } });
    expect(parts[1]).toEqual({ text: 'make it blue' });
    const mask = { bytes: image, contentType: 'image/png' };
    expect((await rejection(provider.edit({ model, prompt: 'x', images: [mask], mask }))).code).toBe(
      'invalid_request',
    );
  });

  it('refuses for safety in both dialects: a blocked prompt and an IMAGE_SAFETY finish', async () => {
    fake.fail({ kind: 'blockPrompt' });
    const blocked = await rejection(provider.generate({ model, prompt: 'x' }));
    expect(isContentRefusal(blocked)).toBe(true);
    expect(blocked.retryable).toBe(false);
    expect(blocked.details.upstream_type).toBe('PROHIBITED_CONTENT');

    for (const finishReason of ['IMAGE_SAFETY', 'SAFETY', 'IMAGE_PROHIBITED_CONTENT']) {
      fake.fail({ kind: 'finish', finishReason });
      expect(isContentRefusal(await rejection(provider.generate({ model, prompt: 'x' })))).toBe(true);
    }
  });

  it('reports NO_IMAGE as a non-retryable upstream error, not a refusal', async () => {
    fake.fail({ kind: 'finish', finishReason: 'NO_IMAGE' });
    const error = await rejection(provider.generate({ model, prompt: 'x' }));
    expect(error).toMatchObject({ code: 'upstream_error', retryable: false });
    expect(isContentRefusal(error)).toBe(false);
  });

  it('keeps the images made before a failure, and stops there', async () => {
    fake.fail({ kind: 'none' }, { kind: 'finish', finishReason: 'IMAGE_SAFETY' });
    const before = fake.requests.length;
    const result = await provider.generate({ model, prompt: 'x', n: 3 });
    expect(result.images).toHaveLength(1);
    expect(fake.requests.length - before).toBe(2);

    fake.fail({ kind: 'status', status: 503 });
    expect(await rejection(provider.generate({ model, prompt: 'x', n: 2 }))).toMatchObject({
      code: 'upstream_unavailable',
      retryable: true,
    });
  });

  it('maps rate limits and a bad key', async () => {
    fake.fail({ kind: 'status', status: 429 });
    expect(await rejection(provider.generate({ model, prompt: 'x' }))).toMatchObject({
      code: 'rate_limited',
      retryable: true,
    });
    const wrongKey = createGeminiImageProvider({ baseUrl: fake.url, apiKey: 'nope', http });
    expect(await rejection(wrongKey.generate({ model, prompt: 'x' }))).toMatchObject({ retryable: false });
  });
});

describe('aspectRatioForSize', () => {
  it('picks the closest supported ratio', () => {
    expect(aspectRatioForSize('1024x1024')).toBe('1:1');
    expect(aspectRatioForSize('1024x1536')).toBe('2:3');
    expect(aspectRatioForSize('1920x1080')).toBe('16:9');
    expect(aspectRatioForSize('auto')).toBeUndefined();
    expect(aspectRatioForSize(undefined)).toBeUndefined();
  });
});
