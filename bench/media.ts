import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import sharp from 'sharp';
import { parseCatalog } from '../core/catalog/index.js';
import { createJobs } from '../core/jobs/index.js';
import { createLedger } from '../core/ledger/index.js';
import { createMediaService, type MediaJob } from '../core/media/index.js';
import { createMeteredJobs } from '../core/metering/index.js';
import { systemClock } from '../core/ports/clock.js';
import type { ImageProvider } from '../core/providers/media.js';
import { TEST_REDIS_URL } from '../test/helpers/env.js';
import { createTestDatabase, prepareTemplate } from '../test/helpers/test-database.js';
import { mediaTaskRegistry } from '../workers/generation/index.js';
import { SharpImageProcessor } from '../workers/media/index.js';
import { createBullQueues, startWorkers } from '../workers/runtime/index.js';
import { LocalStorage } from '../workers/storage/index.js';
import { quantile, report } from './report.js';

/**
 * 1. sharp: decode-validate + strip metadata + normalize to 2048 px + re-encode of a 12-megapixel
 *    JPEG (what every upload goes through), with as many in flight as there are cores; full size too.
 * 2. The media worker end to end against an upstream that answers at once: submit (validate, hold,
 *    job row, enqueue) -> BullMQ -> provider -> storage -> media_files -> settle, jobs per second.
 */

const IMAGES = Number(process.env.BENCH_IMAGES ?? 24);
const JOBS = Number(process.env.BENCH_JOBS ?? 400);
const SUBMITTERS = Number(process.env.BENCH_SUBMITTERS ?? 16);
const cores = availableParallelism();

async function twelveMegapixelJpeg(): Promise<Buffer> {
  const width = 4000;
  const height = 3000;
  // Smooth gradients plus noise: compresses like a photo, not like a flat colour.
  const raw = Buffer.alloc(width * height * 3);
  const noise = randomBytes(raw.length);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 3;
      raw[i] = ((x * 255) / width + (noise[i]! & 31)) & 255;
      raw[i + 1] = ((y * 255) / height + (noise[i + 1]! & 31)) & 255;
      raw[i + 2] = (((x + y) * 127) / width + (noise[i + 2]! & 31)) & 255;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 88 })
    .withExif({ IFD0: { Artist: 'bench' }, IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '6/1 12/1 0/1' } })
    .toBuffer();
}

async function sharpThroughput(jpeg: Buffer, maxSide: number | undefined, count: number) {
  const processor = new SharpImageProcessor();
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: cores }, async () => {
      while (next++ < count) {
        const t0 = performance.now();
        await processor.sanitize(jpeg, maxSide === undefined ? {} : { maxSide });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    label: maxSide === undefined ? 'sanitize, full size' : `sanitize + resize to ${maxSide}px`,
    images: count,
    in_flight: cores,
    images_per_second: Number((count / seconds).toFixed(2)),
    megapixels_per_second: Number(((count * 12) / seconds).toFixed(1)),
    p50_ms: Math.round(quantile(latencies, 0.5)),
  };
}

async function workerThroughput() {
  await prepareTemplate();
  const db = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'aiport-bench-media-'));
  const prefix = `bench-media-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createBullQueues(redis, prefix);
  const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#3a7bd5' } })
    .png()
    .toBuffer();
  // The upstream, answering at once: what is measured is our own path.
  const instant: ImageProvider = {
    id: 'openai',
    generate: async (request) => ({
      images: Array.from({ length: request.n ?? 1 }, () => ({ bytes: png, contentType: 'image/png' })),
    }),
    edit: async () => ({ images: [{ bytes: png, contentType: 'image/png' }] }),
  };
  const catalog = parseCatalog(
    {
      defaults: { chat: 'chat' },
      models: [
        {
          id: 'chat',
          kind: 'chat',
          price: { input_per_mtok: 1, output_per_mtok: 1 },
          routes: [{ provider: 'openai', model: 'x' }],
        },
        {
          id: 'img',
          kind: 'image',
          sizes: ['1024x1024'],
          max_n: 1,
          price: { per_image: 700 },
          routes: [{ provider: 'openai', model: 'gpt-image-1' }],
        },
      ],
    },
    new Set(['openai']),
  );
  const ledger = createLedger(db, systemClock);
  const jobs = createJobs(db, systemClock);
  const media = createMediaService(
    {
      db,
      clock: systemClock,
      catalog,
      jobs,
      metered: createMeteredJobs({ db, ledger, jobs, clock: systemClock }),
      queue: queues,
      storage: new LocalStorage(dataDir),
      images: new SharpImageProcessor(),
      providers: { images: { openai: instant }, tasks: {} },
    },
    { publicUrl: 'http://127.0.0.1:1', fileSecret: randomBytes(32).toString('hex'), webhooks: false },
  );
  const [account] = await db.sql<
    { id: string }[]
  >`INSERT INTO accounts (email) VALUES ('bench@example.com') RETURNING id`;
  const accountId = account!.id;
  await ledger.credit('topup', { accountId, amountMrp: 10n ** 15n, idempotencyKey: `bench:${accountId}` });
  const workers = await startWorkers([mediaTaskRegistry({ media })], {
    connection: redis,
    prefix,
    logger: pino({ level: 'silent' }),
    queues: queues.queues,
  });

  const submitted: MediaJob[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SUBMITTERS }, async () => {
      while (next++ < JOBS) {
        submitted.push(await media.submitImage({ accountId, channel: 'api', model: 'img', prompt: 'bench' }));
      }
    }),
  );
  const submitSeconds = (performance.now() - started) / 1000;
  for (;;) {
    const [row] = await db.sql<{ open: number }[]>`
      SELECT count(*)::int AS open FROM jobs WHERE status IN ('queued', 'running')`;
    if (row!.open === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  const [outcome] = await db.sql<{ succeeded: number; files: number; charges: number }[]>`
    SELECT (SELECT count(*)::int FROM jobs WHERE status = 'succeeded') AS succeeded,
           (SELECT count(*)::int FROM media_files WHERE kind = 'output') AS files,
           (SELECT count(*)::int FROM ledger_entries WHERE kind = 'charge') AS charges`;
  const mismatches = await ledger.verify();

  await workers.close();
  await queues.close();
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = nextCursor;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
  return {
    jobs: JOBS,
    submitters: SUBMITTERS,
    worker_concurrency: 8,
    submits_per_second: Math.round(JOBS / submitSeconds),
    jobs_per_second: Math.round(JOBS / seconds),
    succeeded: outcome!.succeeded,
    output_files: outcome!.files,
    charges: outcome!.charges,
    ledger_mismatches: mismatches.length,
  };
}

const jpeg = await twelveMegapixelJpeg();
// Normalized to 2048 px is what uploads get; full size (re-encoded with mozjpeg) is shown for scale.
const normalized = await sharpThroughput(jpeg, 2048, IMAGES);
const full = await sharpThroughput(jpeg, undefined, Math.min(IMAGES, 4));
const worker = await workerThroughput();
report('media', {
  cores,
  input: { width: 4000, height: 3000, megapixels: 12, jpeg_bytes: jpeg.length },
  sharp: [normalized, full],
  worker_against_instant_upstream: worker,
});
process.exit(0);
