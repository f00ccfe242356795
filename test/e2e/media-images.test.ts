import { crc32, deflateSync } from 'node:zlib';
import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaJob } from '../../core/media/index.js';
import { TELEGRAM_PHOTO_LIMITS } from '../../core/ports/images.js';
import { type MediaHarness, money, startMediaHarness } from './media-harness.js';

let h: MediaHarness;
const delivered: MediaJob[] = [];

beforeAll(async () => {
  h = await startMediaHarness({
    deliver: async (job) => {
      delivered.push(job);
    },
  });
});
afterAll(() => h.close());

async function countRows(accountId: string) {
  const [jobs] = await h.database.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM jobs WHERE account_id = ${accountId}`;
  const [files] = await h.database.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM media_files WHERE account_id = ${accountId}`;
  return { jobs: jobs!.n, files: files!.n };
}

describe('POST /v1/images/generations with the openai SDK', () => {
  it('generates n images through the worker, charges per image once, and stores each output once', async () => {
    const { accountId, client } = await h.account(10_000);
    const result = await client.images.generate({ model: 'gpt-image-1', prompt: 'a red kite', n: 2 });
    expect(result.data).toHaveLength(2);
    for (const image of result.data ?? []) {
      const bytes = Buffer.from(image.b64_json!, 'base64');
      expect((await sharp(bytes).metadata()).format).toBe('png');
    }
    const m = await money(h, accountId);
    expect(m.charges).toEqual([1_400_000n]);
    expect(m.heldMrp).toBe(0n);
    expect(m.balanceMrp).toBe(8_600_000n);
    const [job] = await h.database.sql<{ status: string; cost_mrp: bigint; units: number; kind: string }[]>`
      SELECT status, cost_mrp, units, kind FROM jobs WHERE account_id = ${accountId}`;
    expect(job).toMatchObject({ status: 'succeeded', cost_mrp: 1_400_000n, units: 2, kind: 'image' });
    expect(await countRows(accountId)).toEqual({ jobs: 1, files: 2 });
  });

  it('answers signed URLs that serve the image with its content type, and refuses forged ones', async () => {
    const { client } = await h.account(10_000);
    const result = await client.images.generate({
      model: 'dall-e-3',
      prompt: 'a lighthouse',
      response_format: 'url',
    });
    const url = result.data?.[0]?.url;
    expect(url).toMatch(/\/files\/outputs\/.+\/0\.png\?exp=\d+&sig=/);
    const file = await fetch(url!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await file.arrayBuffer())).metadata()).format).toBe('png');
    const forged = await fetch(url!.replace(/sig=[^&]+/, `sig=${'A'.repeat(43)}`));
    expect(forged.status).toBe(404);
    const otherKey = await fetch(url!.replace('/0.png', '/1.png'));
    expect(otherKey.status).toBe(404);
  });

  it('a safety refusal fails the job as refused, releases the hold and charges nothing', async () => {
    const { accountId, client } = await h.account(10_000);
    const error = await client.images
      .generate({ model: 'gpt-image-1', prompt: 'please [refuse] this' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('content_refused');
    const m = await money(h, accountId);
    expect(m).toMatchObject({ balanceMrp: 10_000_000n, heldMrp: 0n, charges: [] });
    const [job] = await h.database.sql<{ status: string; error_code: string; cost_mrp: bigint }[]>`
      SELECT status, error_code, cost_mrp FROM jobs WHERE account_id = ${accountId}`;
    expect(job).toMatchObject({ status: 'refused', error_code: 'content_refused', cost_mrp: 0n });
  });

  it('an upstream 5xx is retried by the queue and still charged once', async () => {
    const { accountId, client } = await h.account(10_000);
    h.openai.failNext({ status: 500 }, 1);
    const result = await client.images.generate({ model: 'gpt-image-1', prompt: 'a boat' });
    expect(result.data).toHaveLength(1);
    expect((await money(h, accountId)).charges).toEqual([700_000n]);
    const [job] = await h.database.sql<{ attempts: Array<{ status: string }> }[]>`
      SELECT attempts FROM jobs WHERE account_id = ${accountId}`;
    expect(job!.attempts.map((a) => a.status)).toEqual(['error', 'ok']);
  });

  it('a RunningHub image workflow is submitted, polled and stored like any other image', async () => {
    const { accountId, client } = await h.account(10_000);
    const result = await client.images.generate({ model: 'flux-dev', prompt: 'a temple at dawn' });
    expect(result.data).toHaveLength(1);
    const task = [...h.runninghub.tasks.values()].at(-1)!;
    expect(task.nodeInfoList).toEqual(
      expect.arrayContaining([
        { nodeId: '6', fieldName: 'text', fieldValue: 'a temple at dawn' },
        { nodeId: '5', fieldName: 'width', fieldValue: 1024 },
      ]),
    );
    expect((await money(h, accountId)).charges).toEqual([500_000n]);
  });

  it('RunningHub answering 502 only delays the job: one task, charged once', async () => {
    const { accountId, client } = await h.account(10_000);
    const tasksBefore = h.runninghub.tasks.size;
    h.runninghub.failNextHttp(502, 1);
    const result = await client.images.generate({ model: 'flux-dev', prompt: 'a market in the rain' });
    expect(result.data).toHaveLength(1);
    expect(h.runninghub.tasks.size).toBe(tasksBefore + 1);
    expect((await money(h, accountId)).charges).toEqual([500_000n]);
  });

  it('a zero-retention account gets its image, and its prompt is never stored', async () => {
    const { accountId, client } = await h.account(10_000);
    await h.database.sql`UPDATE accounts SET zero_retention = true WHERE id = ${accountId}`;
    const result = await client.images.generate({ model: 'gpt-image-1', prompt: 'a private thought' });
    expect(result.data).toHaveLength(1);
    const [job] = await h.database.sql<{ prompt: unknown; output: unknown; status: string }[]>`
      SELECT prompt, output, status FROM jobs WHERE account_id = ${accountId}`;
    expect(job).toMatchObject({ prompt: null, output: null, status: 'succeeded' });
  });

  it('fails over to the next route when the first upstream is down; one charge', async () => {
    const { accountId, client } = await h.account(10_000);
    h.openai.failNext({ status: 503 }, 1);
    const result = await client.images.generate({ model: 'duo-image', prompt: 'a harbour', n: 2 });
    expect(result.data).toHaveLength(2);
    const [job] = await h.database.sql<
      { attempts: Array<{ provider: string; status: string }>; provider: string }[]
    >`
      SELECT attempts, provider FROM jobs WHERE account_id = ${accountId}`;
    expect(job!.attempts.map((a) => `${a.provider}:${a.status}`)).toEqual(['openai:error', 'gemini:ok']);
    expect(job!.provider).toBe('gemini');
    expect((await money(h, accountId)).charges).toEqual([1_200_000n]);
  });

  it('a Gemini safety block (HTTP 200, no candidates) is a refusal, not a charge', async () => {
    const { accountId, client } = await h.account(10_000);
    h.gemini.fail({ kind: 'blockPrompt', reason: 'PROHIBITED_CONTENT' });
    const error = (await client.images
      .generate({ model: 'gemini-image', prompt: 'something blocked' })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.code).toBe('content_refused');
    expect(await money(h, accountId)).toMatchObject({ charges: [], heldMrp: 0n, balanceMrp: 10_000_000n });
  });

  it('refuses bad input with a clear 4xx and holds, stores and charges nothing', async () => {
    const { accountId, client } = await h.account(10_000);
    const cases: Array<[Parameters<typeof client.images.generate>[0], number, string]> = [
      [{ model: 'gpt-image-1', prompt: 'x', size: '999x999' as never }, 400, 'size'],
      [{ model: 'gpt-image-1', prompt: 'x', n: 5 }, 400, 'n'],
      [{ model: 'gpt-image-1', prompt: 'x', n: 0 }, 400, 'n'],
      [{ model: 'dall-e-3', prompt: 'x'.repeat(4001) }, 400, 'prompt'],
      [{ model: 'gpt-image-1', prompt: 'x'.repeat(32_001) }, 400, 'prompt'],
      [{ model: 'no-such-model', prompt: 'x' }, 404, 'model'],
    ];
    for (const [body, status] of cases) {
      const error = (await client.images.generate(body).catch((e: unknown) => e)) as InstanceType<
        typeof OpenAI.APIError
      >;
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.status).toBe(status);
    }
    const poor = await h.account(100);
    const broke = (await poor.client.images
      .generate({ model: 'gpt-image-1', prompt: 'x' })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(broke.status).toBe(402);
    expect(await countRows(accountId)).toEqual({ jobs: 0, files: 0 });
    expect(await countRows(poor.accountId)).toEqual({ jobs: 0, files: 0 });
    expect(await money(h, accountId)).toMatchObject({ balanceMrp: 10_000_000n, heldMrp: 0n, charges: [] });
  });
});

describe('POST /v1/images/edits with the openai SDK', () => {
  const png = (width: number, height: number, alpha = 1) =>
    sharp({ create: { width, height, channels: 4, background: { r: 10, g: 120, b: 200, alpha } } })
      .png()
      .toBuffer();

  it('edits a photo: the upload is stripped of EXIF/GPS before it is stored or forwarded', async () => {
    const { accountId, client } = await h.account(10_000);
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#884422' } })
      .jpeg()
      .withExif({
        IFD0: { Artist: 'camera owner' },
        IFD3: {
          GPSLatitudeRef: 'S',
          GPSLatitude: '6/1 12/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '106/1 49/1 0/1',
        },
      })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const before = h.openai.requests.length;
    const result = await client.images.edit({
      model: 'gpt-image-1',
      prompt: 'make it night',
      image: await toFile(photo, 'holiday.jpg', { type: 'image/jpeg' }),
    });
    expect(result.data).toHaveLength(1);

    const forwarded = h.openai.requests.slice(before).find((r) => r.path === '/v1/images/edits')!;
    const sent = forwarded.files.find((f) => f.field === 'image' || f.field === 'image[]')!;
    expect((await sharp(sent.bytes).metadata()).exif).toBeUndefined();
    expect(sent.bytes.includes(Buffer.from('camera owner'))).toBe(false);

    const [upload] = await h.database.sql<{ storage_key: string }[]>`
      SELECT storage_key FROM media_files WHERE account_id = ${accountId} AND kind = 'upload'`;
    expect(upload!.storage_key).toMatch(new RegExp(`^uploads/${accountId}/[0-9a-f-]+/image-0\\.jpg$`));
    const stored = await h.media.readFile(upload!.storage_key);
    const metadata = await sharp(stored.bytes).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(stored.bytes.includes(Buffer.from('camera owner'))).toBe(false);
    expect((await money(h, accountId)).charges).toEqual([700_000n]);
  });

  it('sends the mask with the image when both have the same size', async () => {
    const { client } = await h.account(10_000);
    const before = h.openai.requests.length;
    const result = await client.images.edit({
      model: 'gpt-image-1',
      prompt: 'add a moon',
      image: await toFile(await png(40, 40), 'a.png', { type: 'image/png' }),
      mask: await toFile(await png(40, 40, 0), 'mask.png', { type: 'image/png' }),
    });
    expect(result.data).toHaveLength(1);
    const forwarded = h.openai.requests.slice(before).find((r) => r.path === '/v1/images/edits')!;
    expect(forwarded.files.map((f) => f.field).sort()).toEqual(expect.arrayContaining(['mask']));
  });

  it('refuses non-images, truncated PNGs, bombs and masks of another size: 4xx, nothing stored or charged', async () => {
    const { accountId, client } = await h.account(10_000);
    const good = await png(40, 40);
    const cases: Array<{ image: Buffer; mask?: Buffer; status: number }> = [
      { image: Buffer.from('%PDF-1.7 not an image at all'), status: 400 },
      { image: good.subarray(0, Math.floor(good.length / 2)), status: 400 },
      { image: bombPng(30_000, 30_000), status: 400 },
      { image: good, mask: await png(20, 20, 0), status: 400 },
    ];
    for (const c of cases) {
      const error = (await client.images
        .edit({
          model: 'gpt-image-1',
          prompt: 'edit',
          image: await toFile(c.image, 'in.png', { type: 'image/png' }),
          ...(c.mask ? { mask: await toFile(c.mask, 'mask.png', { type: 'image/png' }) } : {}),
        })
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.status).toBeGreaterThanOrEqual(400);
      expect(error.status).toBeLessThan(500);
    }
    expect(await countRows(accountId)).toEqual({ jobs: 0, files: 0 });
    expect(await money(h, accountId)).toMatchObject({ balanceMrp: 10_000_000n, heldMrp: 0n });
  });
});

/** A valid PNG header and stream of a huge all-black 1-bit image: a decompression bomb. */
function bombPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8);
  const rows = deflateSync(Buffer.alloc((1 + Math.ceil(width / 8)) * height), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('jobs of bot channels', () => {
  it('are handed to the delivery hook when finished, with their outputs, reply target and charge', async () => {
    const { accountId } = await h.account(10_000);
    const job = await h.media.submitImage({
      accountId,
      channel: 'telegram',
      replyTo: { chatId: 42, messageId: 7 },
      model: 'gpt-image-1',
      prompt: 'a cat for the group',
    });
    const refused = await h.media.submitImage({
      accountId,
      channel: 'discord',
      prompt: 'please [refuse] it',
    });
    for (;;) {
      if (delivered.some((d) => d.id === job.id) && delivered.some((d) => d.id === refused.id)) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const done = delivered.find((d) => d.id === job.id)!;
    expect(done).toMatchObject({
      status: 'succeeded',
      channel: 'telegram',
      replyTo: { chatId: 42, messageId: 7 },
      costMrp: 700_000n,
    });
    expect(done.outputs).toHaveLength(1);
    const preview = await h.media.preview(done.outputs[0]!.key, TELEGRAM_PHOTO_LIMITS);
    expect(preview.bytes.length).toBeLessThanOrEqual(TELEGRAM_PHOTO_LIMITS.maxBytes);
    expect(delivered.find((d) => d.id === refused.id)).toMatchObject({
      status: 'refused',
      error: { code: 'content_refused' },
      costMrp: 0n,
    });
  });
});
