import type OpenAI from 'openai';
import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../core/ports/clock.js';
import { type MediaHarness, money, startMediaHarness } from './media-harness.js';

/**
 * Media money over the real app, PostgreSQL, Redis and BullMQ: a hold lives as long as its job
 * (a job that waited in the queue longer than any hold lifetime still charges once), and a request
 * that cannot be paid is refused before its uploads are decoded, storing nothing.
 */

const clock = manualClock(new Date());
let h: MediaHarness;

beforeAll(async () => {
  h = await startMediaHarness({ workers: false, clock });
});
afterAll(() => h.close());

describe('a media hold lives as long as its job', () => {
  it('is not swept while the job waits in the queue for hours, and the job then charges once', async () => {
    const { accountId } = await h.account(10_000);
    const job = await h.media.submitImage({
      accountId,
      channel: 'api',
      model: 'gpt-image-1',
      prompt: 'a kite',
    });
    // No worker yet: the job waits far longer than its hold's lifetime (maximum task time + slack).
    clock.advance(3 * 60 * 60_000);
    await h.core.metered.sweep();
    expect(await money(h, accountId)).toMatchObject({ heldMrp: 700_000n, charges: [] });

    await h.startWorkers();
    const done = await h.media.wait(accountId, job.id, { timeoutMs: 20_000 });
    expect(done.status).toBe('succeeded');
    expect(done.costMrp).toBe(700_000n);
    expect(await money(h, accountId)).toMatchObject({
      heldMrp: 0n,
      balanceMrp: 9_300_000n,
      charges: [700_000n],
    });
    await h.core.metered.sweep();
    expect((await money(h, accountId)).charges).toEqual([700_000n]);
    expect(await h.core.ledger.verify(accountId)).toEqual([]);
  });
});

describe('nothing is stored for a request that never ran', () => {
  it('refuses an unpayable edit with 402 before its upload is decoded: no job, no file, no hold', async () => {
    const { accountId, client } = await h.account(0);
    // Not an image at all: decoding it would answer 400, so a 402 proves the balance came first.
    const upload = await toFile(Buffer.from('definitely not a png'), 'x.png', { type: 'image/png' });
    const error = (await client.images
      .edit({ model: 'gpt-image-1', image: upload, prompt: 'make it blue' })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(402);
    const [rows] = await h.database.sql<{ jobs: number; files: number }[]>`
      SELECT (SELECT count(*)::int FROM jobs WHERE account_id = ${accountId}) AS jobs,
             (SELECT count(*)::int FROM media_files WHERE account_id = ${accountId}) AS files`;
    expect(rows).toEqual({ jobs: 0, files: 0 });
    expect(await money(h, accountId)).toMatchObject({ heldMrp: 0n, balanceMrp: 0n });
  });

  it('refuses a form whose files together pass the limit with 413', async () => {
    const { client } = await h.account(10_000);
    const big = await toFile(Buffer.alloc(20 * 1024 * 1024, 1), 'big.png', { type: 'image/png' });
    const images = [big, big, big, big];
    const error = (await client.images
      .edit({ model: 'gpt-image-1', image: images, prompt: 'x' })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(413);
  });
});
