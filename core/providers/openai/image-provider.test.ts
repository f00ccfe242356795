import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_OPENAI_IMAGES_KEY,
  type FakeOpenAIImages,
  startFakeOpenAIImages,
} from '../../../test/fakes/openai-images.js';
import { CoreError } from '../../errors.js';
import type { ImageProvider } from '../media-contract.js';
import { isContentRefusal } from '../media-contract.js';
import { ProviderError } from '../shared/errors.js';
import { createHttpClient, type HttpClient } from '../shared/http.js';
import { createOpenAIImageProvider } from './image-provider.js';

let fake: FakeOpenAIImages;
let http: HttpClient;
let provider: ImageProvider;

beforeAll(async () => {
  fake = await startFakeOpenAIImages();
  http = createHttpClient();
  provider = createOpenAIImageProvider({ baseUrl: `${fake.url}/v1`, apiKey: FAKE_OPENAI_IMAGES_KEY, http });
});
afterAll(async () => {
  await http.close();
  await fake.close();
});

async function png(width: number, height: number, alpha = 1) {
  const bytes = await sharp({
    create: { width, height, channels: 4, background: { r: 1, g: 2, b: 3, alpha } },
  })
    .png()
    .toBuffer();
  return { bytes, contentType: 'image/png' };
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    return error as ProviderError;
  }
  throw new Error('expected a rejection');
}

describe('OpenAI image provider', () => {
  it('generates gpt-image images from base64, with usage, sending no response_format', async () => {
    const result = await provider.generate({
      model: 'gpt-image-1',
      prompt: 'a cat on a becak',
      n: 2,
      size: '1024x1024',
      outputFormat: 'jpeg',
    });
    expect(result.images).toHaveLength(2);
    expect(result.images[0]?.contentType).toBe('image/jpeg');
    expect((await sharp(result.images[0]!.bytes).metadata()).width).toBe(1024);
    expect(result.usage).toEqual({ inputTokens: 5, outputTokens: 544, inputImageTokens: 0 });
    const sent = fake.requests.at(-1);
    expect(sent?.fields).toMatchObject({ model: 'gpt-image-1', n: 2, output_format: 'jpeg' });
    expect(sent?.fields).not.toHaveProperty('response_format');
  });

  it('asks dall-e-3 for base64 and keeps its revised prompt', async () => {
    const result = await provider.generate({
      model: 'dall-e-3',
      prompt: 'rice terraces',
      size: '1024x1792',
      style: 'natural',
    });
    expect(result.images).toHaveLength(1);
    expect(result.revisedPrompt).toContain('rice terraces');
    expect(result.usage).toBeUndefined();
    expect(fake.requests.at(-1)?.fields).toMatchObject({ response_format: 'b64_json', style: 'natural' });
  });

  it('downloads images answered as URLs, without sending our key to the download', async () => {
    fake.alwaysAnswerUrls(true);
    try {
      const result = await provider.generate({ model: 'dall-e-2', prompt: 'x', n: 2, size: '256x256' });
      expect(result.images).toHaveLength(2);
      expect(result.images[0]?.contentType).toBe('image/png');
      expect((await sharp(result.images[1]!.bytes).metadata()).width).toBe(256);
      expect([...fake.downloads.values()].slice(-2)).toEqual([1, 1]);
      expect(fake.downloadAuthorizations.slice(-2)).toEqual([undefined, undefined]);
    } finally {
      fake.alwaysAnswerUrls(false);
    }
  });

  it('refuses dall-e-3 requests the upstream would refuse, before calling it', async () => {
    const before = fake.requests.length;
    expect((await rejection(provider.generate({ model: 'dall-e-3', prompt: 'x', n: 2 }))).code).toBe(
      'invalid_request',
    );
    expect(
      (await rejection(provider.generate({ model: 'dall-e-3', prompt: 'x', size: '512x512' }))).message,
    ).toMatch(/1792x1024/);
    expect(fake.requests.length).toBe(before);
  });

  it('edits with image[] files and a mask', async () => {
    const result = await provider.edit({
      model: 'gpt-image-1',
      prompt: 'put a songkok on him',
      images: [await png(64, 64), await png(64, 64)],
      mask: await png(64, 64, 0),
    });
    expect(result.images).toHaveLength(1);
    expect(result.usage?.inputImageTokens).toBe(195);
    const sent = fake.requests.at(-1);
    expect(sent?.path).toBe('/v1/images/edits');
    expect(sent?.files.map((file) => [file.field, file.contentType])).toEqual([
      ['image[]', 'image/png'],
      ['image[]', 'image/png'],
      ['mask', 'image/png'],
    ]);
    expect(sent?.fields).toMatchObject({ model: 'gpt-image-1', n: '1' });
  });

  it('edits with dall-e-2 as a single image field', async () => {
    await provider.edit({ model: 'dall-e-2', prompt: 'x', images: [await png(256, 256)], size: '256x256' });
    expect(fake.requests.at(-1)?.files.map((file) => file.field)).toEqual(['image']);
    await expect(
      provider.edit({ model: 'dall-e-2', prompt: 'x', images: [await png(8, 8), await png(8, 8)] }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('turns safety refusals into content_refused, not retryable', async () => {
    for (const code of ['content_policy_violation', 'moderation_blocked'] as const) {
      fake.refuseNext(code);
      const error = await rejection(provider.generate({ model: 'gpt-image-1', prompt: 'x' }));
      expect(error.code).toBe('content_refused');
      expect(error.retryable).toBe(false);
      expect(isContentRefusal(error)).toBe(true);
    }
  });

  it('maps rate limits, exhausted quota, server errors and a bad key', async () => {
    fake.failNext({
      status: 429,
      type: 'requests',
      code: 'rate_limit_exceeded',
      headers: { 'retry-after': '2' },
    });
    const limited = await rejection(provider.generate({ model: 'gpt-image-1', prompt: 'x' }));
    expect(limited).toBeInstanceOf(ProviderError);
    expect(limited).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 2000 });

    fake.failNext({ status: 429, type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(await rejection(provider.generate({ model: 'gpt-image-1', prompt: 'x' }))).toMatchObject({
      retryable: false,
    });

    fake.failNext({ status: 503 });
    expect(await rejection(provider.generate({ model: 'gpt-image-1', prompt: 'x' }))).toMatchObject({
      code: 'upstream_unavailable',
      retryable: true,
    });

    const wrongKey = createOpenAIImageProvider({ baseUrl: `${fake.url}/v1`, apiKey: 'nope', http });
    expect(await rejection(wrongKey.generate({ model: 'gpt-image-1', prompt: 'x' }))).toMatchObject({
      code: 'upstream_error',
      retryable: false,
      status: 401,
    });
  });

  it('times out a slow upstream as retryable', async () => {
    const impatient = createOpenAIImageProvider({
      baseUrl: `${fake.url}/v1`,
      apiKey: FAKE_OPENAI_IMAGES_KEY,
      http,
      timeoutMs: 50,
    });
    fake.setLatency(3_000);
    try {
      expect(await rejection(impatient.generate({ model: 'gpt-image-1', prompt: 'x' }))).toMatchObject({
        code: 'upstream_unavailable',
        retryable: true,
      });
    } finally {
      fake.setLatency(0);
    }
  });
});
