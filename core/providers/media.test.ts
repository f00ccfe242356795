import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_OPENAI_IMAGES_KEY,
  type FakeOpenAIImages,
  startFakeOpenAIImages,
} from '../../test/fakes/openai-images.js';
import {
  FAKE_RUNNINGHUB_KEY,
  type FakeRunningHub,
  startFakeRunningHub,
} from '../../test/fakes/runninghub.js';
import { createMediaProviders } from './media.js';
import { createHttpClient, type HttpClient } from './shared/http.js';

let http: HttpClient;
let openai: FakeOpenAIImages;
let runninghub: FakeRunningHub;

beforeAll(async () => {
  http = createHttpClient();
  openai = await startFakeOpenAIImages();
  runninghub = await startFakeRunningHub();
});
afterAll(async () => {
  await http.close();
  await openai.close();
  await runninghub.close();
});

describe('createMediaProviders', () => {
  it('builds only the configured providers', () => {
    const none = createMediaProviders({ openai: { apiKey: '' } }, http);
    expect(none).toEqual({ images: {}, tasks: {} });
    const some = createMediaProviders({ gemini: { apiKey: 'k' }, runninghub: { apiKey: 'k' } }, http);
    expect(Object.keys(some.images)).toEqual(['gemini']);
    expect(Object.keys(some.tasks)).toEqual(['runninghub']);
    const openaiOnly = createMediaProviders({ openai: { apiKey: 'k' } }, http);
    expect(Object.keys(openaiOnly.images)).toEqual(['openai']);
    expect(Object.keys(openaiOnly.tasks)).toEqual(['openai']);
  });

  it('wires base URLs and keys through to working providers', async () => {
    const providers = createMediaProviders(
      {
        openai: { apiKey: FAKE_OPENAI_IMAGES_KEY, baseUrl: `${openai.url}/v1` },
        runninghub: { apiKey: FAKE_RUNNINGHUB_KEY, baseUrl: runninghub.url },
      },
      http,
    );
    const image = await providers.images.openai!.generate({ model: 'gpt-image-1', prompt: 'x' });
    expect(image.images).toHaveLength(1);
    const task = await providers.tasks.runninghub!.submit({
      route: { workflowId: 'w', inputs: { prompt: { nodeId: '6', fieldName: 'text' } } },
      prompt: 'x',
    });
    expect(task.taskId).toMatch(/^\d+$/);
  });
});
