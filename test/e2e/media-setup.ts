import type { Catalog } from '../../core/catalog/index.js';
import { parseCatalog } from '../../core/catalog/index.js';
import { createJobs } from '../../core/jobs/index.js';
import { createLedger } from '../../core/ledger/index.js';
import type { MediaOptions, MediaPorts } from '../../core/media/index.js';
import { createMeteredJobs } from '../../core/metering/index.js';
import type { Clock } from '../../core/ports/clock.js';
import type { TaskQueue } from '../../core/ports/queue.js';
import { createMediaProviders } from '../../core/providers/media.js';
import type { HttpClient } from '../../core/providers/shared/http.js';
import type { Database } from '../../db/index.js';
import { SharpImageProcessor } from '../../workers/media/index.js';
// The local storage alone: the storage index would also load the AWS SDK, slowing worker boots.
import { LocalStorage } from '../../workers/storage/local-storage.js';
import { FAKE_GEMINI_IMAGES_KEY } from '../fakes/gemini-images.js';
import { FAKE_OPENAI_IMAGES_KEY } from '../fakes/openai-images.js';
import { FAKE_RUNNINGHUB_KEY } from '../fakes/runninghub.js';

/** What every process of a media test shares: the catalog, the ports on the fakes, the options. */

export const MEDIA_TEST_CATALOG = {
  defaults: { chat: 'gpt-4o-mini', image: 'gpt-image-1', video: 'wan-t2v' },
  models: [
    {
      id: 'gpt-4o-mini',
      kind: 'chat',
      price: { input_per_mtok: 2500, output_per_mtok: 10000 },
      routes: [{ provider: 'openai', model: 'gpt-4o-mini' }],
    },
    {
      id: 'gpt-image-1',
      kind: 'image',
      sizes: ['1024x1024', '1536x1024', '1024x1536'],
      max_n: 4,
      price: { per_image: 700 },
      routes: [{ provider: 'openai', model: 'gpt-image-1' }],
    },
    {
      id: 'dall-e-3',
      kind: 'image',
      sizes: ['1024x1024', '1792x1024'],
      max_n: 1,
      price: { per_image: 1320 },
      routes: [{ provider: 'openai', model: 'dall-e-3' }],
    },
    {
      id: 'duo-image',
      kind: 'image',
      sizes: ['1024x1024'],
      max_n: 2,
      price: { per_image: 600 },
      routes: [
        { provider: 'openai', model: 'gpt-image-1' },
        { provider: 'gemini', model: 'gemini-2.5-flash-image' },
      ],
    },
    {
      id: 'gemini-image',
      kind: 'image',
      sizes: ['1024x1024'],
      max_n: 2,
      price: { per_image: 650 },
      routes: [{ provider: 'gemini', model: 'gemini-2.5-flash-image' }],
    },
    {
      id: 'flux-dev',
      kind: 'image',
      sizes: ['1024x1024'],
      max_n: 1,
      price: { per_image: 500 },
      routes: [
        {
          provider: 'runninghub',
          workflowId: '1904136902449209346',
          inputs: {
            prompt: { nodeId: '6', fieldName: 'text' },
            width: { nodeId: '5', fieldName: 'width' },
            height: { nodeId: '5', fieldName: 'height' },
          },
        },
      ],
    },
    {
      id: 'wan-t2v',
      kind: 'video',
      durations: [5, 10],
      sizes: ['1280x720', '720x1280'],
      price: { per_video_second: 1500 },
      routes: [
        {
          provider: 'runninghub',
          workflowId: '1947926545896734000',
          inputs: {
            prompt: { nodeId: '16', fieldName: 'positive_prompt' },
            seconds: { nodeId: '22', fieldName: 'num_frames', multiplier: 16 },
          },
        },
      ],
    },
    {
      id: 'wan-i2v',
      kind: 'video',
      durations: [5],
      sizes: ['1280x720'],
      price: { per_video_second: 2000 },
      routes: [
        {
          provider: 'runninghub',
          workflowId: '1947926545896734722',
          inputs: {
            prompt: { nodeId: '16', fieldName: 'positive_prompt' },
            image: { nodeId: '37', fieldName: 'image' },
          },
        },
      ],
    },
  ],
};

export const VIDEO_WORKFLOWS = {
  '1904136902449209346': { outputs: ['png' as const] },
  '1947926545896734000': { outputs: ['mp4' as const] },
  '1947926545896734722': { outputs: ['mp4' as const] },
};

export function mediaTestCatalog(): Catalog {
  return parseCatalog(MEDIA_TEST_CATALOG, new Set(['openai', 'runninghub', 'gemini']));
}

export interface MediaPortsInput {
  dataDir: string;
  queue: TaskQueue;
  http: HttpClient;
  openaiUrl: string;
  runninghubUrl: string;
  geminiUrl?: string;
}

export function mediaTestPorts(input: MediaPortsInput): MediaPorts {
  return {
    queue: input.queue,
    storage: new LocalStorage(input.dataDir),
    images: new SharpImageProcessor(),
    providers: createMediaProviders(
      {
        openai: { apiKey: FAKE_OPENAI_IMAGES_KEY, baseUrl: `${input.openaiUrl}/v1` },
        runninghub: { apiKey: FAKE_RUNNINGHUB_KEY, baseUrl: input.runninghubUrl },
        ...(input.geminiUrl === undefined
          ? {}
          : { gemini: { apiKey: FAKE_GEMINI_IMAGES_KEY, baseUrl: input.geminiUrl } }),
      },
      input.http,
    ),
  };
}

/** Every process of one test signs file links alike. */
export const MEDIA_TEST_SECRET = 'media-tests-secret-0123456789abcdef0123456789abcdef';

export function mediaTestOptions(publicUrl: string, pollIntervalMs: number): MediaOptions {
  return { publicUrl, fileSecret: MEDIA_TEST_SECRET, pollIntervalMs, waitTimeoutMs: 15_000 };
}

/** The ledger, jobs and metered-job core over one database, built as the core builds them. */
export function meteredDeps(db: Database, clock: Clock) {
  const ledger = createLedger(db, clock);
  const jobs = createJobs(db, clock);
  return { jobs, metered: createMeteredJobs({ db, ledger, jobs, clock }) };
}
