import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineImageUrls } from '../../core/security/inline-image-urls.js';
import { type GatewayHarness, startGatewayHarness } from './gateway-harness.js';

/**
 * Image URLs a user writes are never fetched from inside our network: routes whose upstream is
 * self-hosted or cannot fetch get the image fetched by us through the public-address guard, and a
 * URL that leads to loopback, a private range or the metadata service is refused with a 400.
 */
let h: GatewayHarness;
let internal: Server;
let internalHits = 0;
let internalUrl = '';

beforeAll(async () => {
  h = await startGatewayHarness();
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  internal = createServer((_request, response) => {
    internalHits += 1;
    response.writeHead(200, { 'content-type': 'image/png' }).end(png);
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => internal.close(() => resolve()));
  await h.close();
});

const withImage = (model: string, url: string) => ({
  model,
  messages: [
    {
      role: 'user' as const,
      content: [
        { type: 'text' as const, text: 'what is this?' },
        { type: 'image_url' as const, image_url: { url } },
      ],
    },
  ],
});

describe('image URLs on routes that must not fetch them', () => {
  it('refuses internal addresses with a 400 before any upstream is called, and charges nothing', async () => {
    const { accountId, key } = await h.account(1_000_000);
    const client = h.openaiClient(key);
    const targets = [
      `${internalUrl}/secret.png`,
      internalUrl.replace('http:', 'https:'),
      'https://localhost/secret.png',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/x.png',
      'https://10.1.2.3/x.png',
    ];
    // Gemini cannot fetch URLs; gpt-4o-mini's second route is the self-hosted server in our network
    // (its first, OpenAI, fetches on its own servers and is made to fail here).
    for (const model of ['gemini-3.5-flash', 'gpt-4o-mini']) {
      for (const url of targets) {
        if (model === 'gpt-4o-mini') h.openai.enqueue({ status: 500 });
        const geminiBefore = h.gemini.requests.length;
        const localBefore = h.local.requests.length;
        const error = await client.chat.completions.create(withImage(model, url)).then(
          () => null,
          (e: { status: number; message: string }) => e,
        );
        expect(error?.status, `${model} ${url}`).toBe(400);
        expect(error?.message).toMatch(/Image URL refused|must use https/);
        expect(h.gemini.requests.length).toBe(geminiBefore);
        expect(h.local.requests.length).toBe(localBefore);
      }
    }
    expect(internalHits).toBe(0);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000_000n);
  });

  it('sends fetched images inline, so the upstream never sees the URL', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#f00' } })
      .png()
      .toBuffer();
    const fetched: string[] = [];
    const request = await inlineImageUrls(
      {
        model: 'm',
        messages: [{ role: 'user', content: [{ type: 'image', url: 'https://images.example/cat.png' }] }],
      },
      async (url) => {
        fetched.push(url);
        return { bytes: png };
      },
    );
    expect(fetched).toEqual(['https://images.example/cat.png']);
    expect(request.messages[0]?.content).toEqual([
      { type: 'image', mediaType: 'image/png', data: png.toString('base64') },
    ]);
    await expect(
      inlineImageUrls(
        {
          model: 'm',
          messages: [{ role: 'user', content: [{ type: 'image', url: 'https://x.example/a' }] }],
        },
        async () => ({ bytes: Buffer.from('<html>not an image</html>') }),
      ),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
