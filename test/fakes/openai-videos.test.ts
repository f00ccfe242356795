import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_OPENAI_VIDEOS_KEY, type FakeOpenAIVideos, startFakeOpenAIVideos } from './openai-videos.js';

let fake: FakeOpenAIVideos;
let client: OpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAIVideos();
  client = new OpenAI({ apiKey: FAKE_OPENAI_VIDEOS_KEY, baseURL: `${fake.url}/v1`, maxRetries: 0 });
});
afterAll(() => fake.close());

describe('fake OpenAI videos, driven by the official openai package', () => {
  it('creates a video and moves it along one step per retrieve, then serves the content', async () => {
    const video = await client.videos.create({ model: 'sora-2', prompt: 'a kite over Bali', seconds: '4' });
    expect(video).toMatchObject({ object: 'video', status: 'queued', seconds: '4', size: '720x1280' });
    expect((await client.videos.retrieve(video.id)).status).toBe('queued');
    expect((await client.videos.retrieve(video.id)).status).toBe('in_progress');
    expect((await client.videos.retrieve(video.id)).status).toBe('completed');
    const content = await client.videos.downloadContent(video.id);
    expect(content.headers.get('content-type')).toBe('video/mp4');
    const thumbnail = await client.videos.downloadContent(video.id, { variant: 'thumbnail' });
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
  });

  it('refuses bad seconds, a wrong key, and injects failures', async () => {
    await expect(
      client.videos.create({ model: 'sora-2', prompt: 'x', seconds: '5' as '4' }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'seconds',
    });
    const stranger = new OpenAI({ apiKey: 'nope', baseURL: `${fake.url}/v1`, maxRetries: 0 });
    await expect(stranger.videos.create({ model: 'sora-2', prompt: 'x' })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    fake.failNext(500);
    await expect(client.videos.create({ model: 'sora-2', prompt: 'x' })).rejects.toBeInstanceOf(
      OpenAI.InternalServerError,
    );
  });
});
