import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_OPENAI_IMAGES_KEY, type FakeOpenAIImages, startFakeOpenAIImages } from './openai-images.js';

let fake: FakeOpenAIImages;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAIImages();
  client = new OpenAI({ apiKey: FAKE_OPENAI_IMAGES_KEY, baseURL: `${fake.url}/v1`, maxRetries: 0 });
});
afterAll(() => fake.close());

async function png(width: number, height: number, alpha = 1): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 9, g: 9, b: 9, alpha } } })
    .png()
    .toBuffer();
}

describe('fake OpenAI images, driven by the official openai package', () => {
  it('answers images.generate for gpt-image with base64 PNGs and usage', async () => {
    const result = await client.images.generate({
      model: 'gpt-image-1',
      prompt: 'a red kite',
      n: 2,
      size: '1024x1536',
    });
    expect(result.data).toHaveLength(2);
    const bytes = Buffer.from(result.data?.[0]?.b64_json ?? '', 'base64');
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: 1024, height: 1536 });
    expect(result.usage?.output_tokens).toBeGreaterThan(0);
    expect(result.usage?.input_tokens_details?.text_tokens).toBe(3);
  });

  it('answers dall-e-3 with a URL it serves, and a revised prompt', async () => {
    const result = await client.images.generate({
      model: 'dall-e-3',
      prompt: 'a harbour at dusk',
      size: '1792x1024',
    });
    const url = result.data?.[0]?.url ?? '';
    expect(url.startsWith(fake.url)).toBe(true);
    expect(result.data?.[0]?.revised_prompt).toContain('a harbour at dusk');
    const download = await fetch(url);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await download.arrayBuffer())).metadata()).width).toBe(1792);
  });

  it('parses multipart edits with several images and a mask', async () => {
    const image = await png(64, 64);
    const result = await client.images.edit({
      model: 'gpt-image-1',
      prompt: 'add a hat',
      image: [
        await toFile(image, 'a.png', { type: 'image/png' }),
        await toFile(image, 'b.png', { type: 'image/png' }),
      ],
      mask: await toFile(await png(64, 64, 0), 'mask.png', { type: 'image/png' }),
    });
    expect(result.data).toHaveLength(1);
    const recorded = fake.requests.at(-1);
    expect(recorded?.fields).toMatchObject({ model: 'gpt-image-1', prompt: 'add a hat' });
    expect(recorded?.files.map((file) => file.field).sort()).toEqual(['image[]', 'image[]', 'mask']);
  });

  it('refuses a mask of another size, dall-e-3 with n=2, and response_format for gpt-image', async () => {
    await expect(
      client.images.edit({
        model: 'gpt-image-1',
        prompt: 'x',
        image: await toFile(await png(64, 64), 'a.png', { type: 'image/png' }),
        mask: await toFile(await png(32, 32, 0), 'mask.png', { type: 'image/png' }),
      }),
    ).rejects.toMatchObject({ status: 400, param: 'mask' });
    await expect(client.images.generate({ model: 'dall-e-3', prompt: 'x', n: 2 })).rejects.toMatchObject({
      status: 400,
      param: 'n',
    });
    await expect(
      client.images.generate({ model: 'gpt-image-1', prompt: 'x', response_format: 'b64_json' }),
    ).rejects.toMatchObject({ status: 400, param: 'response_format' });
  });

  it('injects safety refusals and error statuses in the OpenAI error shape', async () => {
    fake.refuseNext();
    await expect(client.images.generate({ model: 'gpt-image-1', prompt: 'x' })).rejects.toMatchObject({
      status: 400,
      code: 'content_policy_violation',
    });
    fake.failNext({
      status: 429,
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      headers: { 'retry-after': '1' },
    });
    await expect(client.images.generate({ model: 'gpt-image-1', prompt: 'x' })).rejects.toBeInstanceOf(
      OpenAI.RateLimitError,
    );
    await expect(
      new OpenAI({ apiKey: 'wrong', baseURL: `${fake.url}/v1`, maxRetries: 0 }).images.generate({
        model: 'gpt-image-1',
        prompt: 'x',
      }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
