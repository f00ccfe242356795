import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_OPENAI_VIDEOS_KEY,
  type FakeOpenAIVideos,
  startFakeOpenAIVideos,
} from '../../../test/fakes/openai-videos.js';
import type { TaskProvider, TaskStatus } from '../media-contract.js';
import { isContentRefusal } from '../media-contract.js';
import { createHttpClient, type HttpClient } from '../shared/http.js';
import { createOpenAIVideoProvider } from './video-provider.js';

let fake: FakeOpenAIVideos;
let http: HttpClient;
let provider: TaskProvider;

beforeAll(async () => {
  fake = await startFakeOpenAIVideos();
  http = createHttpClient();
  provider = createOpenAIVideoProvider({ baseUrl: `${fake.url}/v1`, apiKey: FAKE_OPENAI_VIDEOS_KEY, http });
});
afterAll(async () => {
  await http.close();
  await fake.close();
});

async function untilDone(taskId: string): Promise<TaskStatus[]> {
  const seen: TaskStatus[] = [];
  for (let i = 0; i < 10; i += 1) {
    const status = await provider.poll(taskId);
    seen.push(status);
    if (status.status === 'succeeded' || status.status === 'failed') return seen;
  }
  throw new Error('never finished');
}

describe('OpenAI video provider', () => {
  it('creates, polls with progress and downloads the MP4', async () => {
    const { taskId } = await provider.submit({
      model: 'sora-2',
      prompt: 'a becak in the rain',
      seconds: 8,
      width: 1280,
      height: 720,
    });
    expect(fake.videos.get(taskId)).toMatchObject({ seconds: '8', size: '1280x720', model: 'sora-2' });
    const states = await untilDone(taskId);
    expect(states.map((s) => [s.status, s.progress])).toEqual([
      ['queued', 0],
      ['running', 40],
      ['succeeded', 100],
    ]);
    const file = await provider.fetchOutput(states.at(-1)!.outputs![0]!.url);
    expect(file.contentType).toBe('video/mp4');
    expect(file.bytes.subarray(4, 8).toString()).toBe('ftyp');
  });

  it('sends an input image as a multipart input_reference', async () => {
    const { taskId } = await provider.submit({
      model: 'sora-2',
      prompt: 'animate this',
      image: { bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]), contentType: 'image/png' },
    });
    expect(fake.videos.get(taskId)?.hadReference).toBe(true);
  });

  it('reports a moderation failure as a refusal and validates before calling', async () => {
    fake.failNextVideo('moderation_blocked');
    const { taskId } = await provider.submit({ model: 'sora-2', prompt: 'x' });
    const done = (await untilDone(taskId)).at(-1)!;
    expect(done.status).toBe('failed');
    expect(isContentRefusal(done.error)).toBe(true);
    await expect(provider.submit({ model: 'sora-2', prompt: 'x', seconds: 5 })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(
      provider.submit({ model: 'sora-2', prompt: 'x', width: 640, height: 480 }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('never sends the key to an output URL on another host, and cancels', async () => {
    await expect(provider.fetchOutput('https://elsewhere.example/videos/x/content')).rejects.toMatchObject({
      provider: 'openai',
    });
    const { taskId } = await provider.submit({ model: 'sora-2', prompt: 'x' });
    await provider.cancel(taskId);
    expect(fake.videos.has(taskId)).toBe(false);
    fake.failNext(503);
    await expect(provider.poll(taskId)).rejects.toMatchObject({
      code: 'upstream_unavailable',
      retryable: true,
    });
  });
});
