import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenFake, type RunningFake } from '../../../test/fakes/media-fake-server.js';
import {
  FAKE_RUNNINGHUB_KEY,
  type FakeRunningHub,
  startFakeRunningHub,
} from '../../../test/fakes/runninghub.js';
import { CoreError } from '../../errors.js';
import type { TaskProvider, TaskStatus, WorkflowRoute } from '../media-contract.js';
import { ProviderError } from '../shared/errors.js';
import { createHttpClient, type HttpClient } from '../shared/http.js';
import { createRunningHubTaskProvider } from './task-provider.js';
import { parseRunningHubWebhook } from './webhook.js';

const textToVideo: WorkflowRoute = {
  workflowId: 'wan-t2v',
  inputs: {
    prompt: { nodeId: '6', fieldName: 'text' },
    width: { nodeId: '12', fieldName: 'width' },
    height: { nodeId: '12', fieldName: 'height' },
    seconds: { nodeId: '14', fieldName: 'length', multiplier: 16 },
  },
  fixed: [{ nodeId: '3', fieldName: 'steps', fieldValue: 20 }],
};
const imageToVideo: WorkflowRoute = {
  workflowId: 'wan-i2v',
  inputs: { prompt: { nodeId: '6', fieldName: 'text' }, image: { nodeId: '10', fieldName: 'image' } },
};

let fake: FakeRunningHub;
let http: HttpClient;
let provider: TaskProvider;
let receiver: RunningFake;
const hooks: Buffer[] = [];

beforeAll(async () => {
  fake = await startFakeRunningHub({
    workflows: {
      'wan-t2v': { outputs: ['mp4'] },
      'wan-i2v': { outputs: ['mp4'] },
      flux: { outputs: ['png'] },
    },
  });
  http = createHttpClient();
  provider = createRunningHubTaskProvider({ baseUrl: fake.url, apiKey: FAKE_RUNNINGHUB_KEY, http });
  receiver = await listenFake((_req, res, body) => {
    hooks.push(body);
    res.writeHead(200).end();
  });
});
afterAll(async () => {
  await http.close();
  await fake.close();
  await receiver.close();
});

async function pollUntilDone(taskId: string): Promise<TaskStatus[]> {
  const seen: TaskStatus[] = [];
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const status = await provider.poll(taskId);
    seen.push(status);
    if (status.status === 'succeeded' || status.status === 'failed') return seen;
  }
  throw new Error('task never ended');
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

describe('RunningHub task provider', () => {
  it('creates a task with the mapped nodeInfoList, polls it to the end and downloads the video', async () => {
    const { taskId } = await provider.submit({
      route: textToVideo,
      prompt: 'ombak di pantai Kuta',
      width: 832,
      height: 480,
      seconds: 5,
    });
    const create = fake.requests.find((request) => request.path === '/task/openapi/create');
    expect(create?.body).toEqual({
      apiKey: FAKE_RUNNINGHUB_KEY,
      workflowId: 'wan-t2v',
      nodeInfoList: [
        { nodeId: '3', fieldName: 'steps', fieldValue: 20 },
        { nodeId: '6', fieldName: 'text', fieldValue: 'ombak di pantai Kuta' },
        { nodeId: '12', fieldName: 'width', fieldValue: 832 },
        { nodeId: '12', fieldName: 'height', fieldValue: 480 },
        { nodeId: '14', fieldName: 'length', fieldValue: 80 },
      ],
    });

    const states = await pollUntilDone(taskId);
    expect(states.map((state) => state.status)).toEqual(['queued', 'running', 'succeeded']);
    const done = states.at(-1)!;
    expect(done.outputs).toEqual([{ url: expect.stringContaining('/files/'), fileType: 'mp4' }]);
    expect(done.upstreamCost).toEqual({ seconds: 12, coins: '10' });
    const file = await provider.fetchOutput(done.outputs![0]!.url);
    expect(file.contentType).toBe('video/mp4');
    expect(file.bytes.subarray(4, 8).toString()).toBe('ftyp');
    // An output URL elsewhere than RunningHub's own origin must lead to a public address.
    const elsewhere = done.outputs![0]!.url.replace('127.0.0.1', 'localhost');
    for (const url of [elsewhere, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.8/out.mp4']) {
      await expect(provider.fetchOutput(url)).rejects.toMatchObject({
        code: 'upstream_error',
        message: expect.stringMatching(/not on a public address/),
      });
    }
  });

  it('uploads the input image and passes its fileName to the image node', async () => {
    const image = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#00ff00' } })
      .png()
      .toBuffer();
    await provider.submit({
      route: imageToVideo,
      prompt: 'make it move',
      image: { bytes: image, contentType: 'image/png' },
    });
    const [fileName, upload] = [...fake.uploads.entries()].at(-1)!;
    expect(upload.bytes.equals(image)).toBe(true);
    const create = fake.requests.filter((request) => request.path === '/task/openapi/create').at(-1);
    expect(create?.body.nodeInfoList).toContainEqual({
      nodeId: '10',
      fieldName: 'image',
      fieldValue: fileName,
    });
  });

  it('refuses inputs the route cannot place, before any upstream call', async () => {
    const before = fake.requests.length;
    expect((await rejection(provider.submit({ route: imageToVideo, prompt: 'x' }))).message).toMatch(
      /needs an input image/,
    );
    expect((await rejection(provider.submit({ route: textToVideo, prompt: 'x', seed: 3 }))).message).toMatch(
      /"seed"/,
    );
    const image = { bytes: Buffer.from('x'), contentType: 'image/png' };
    expect((await rejection(provider.submit({ route: textToVideo, prompt: 'x', image }))).code).toBe(
      'invalid_request',
    );
    expect(fake.requests.length).toBe(before);
  });

  it.each([
    [421, 'upstream_unavailable', true],
    [415, 'upstream_unavailable', true],
    [416, 'upstream_error', false],
    [433, 'upstream_error', false],
    [380, 'upstream_error', false],
    [801, 'upstream_error', false],
    [802, 'upstream_error', false],
    [803, 'upstream_error', false],
    [810, 'upstream_error', false],
    [999, 'upstream_error', false],
  ])('maps create code %i to %s (retryable %s)', async (code, coreCode, retryable) => {
    fake.failNextCreate(code);
    const error = await rejection(provider.submit({ route: textToVideo, prompt: 'x' }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: coreCode, retryable, provider: 'runninghub' });
  });

  it('treats a wrong key and a gateway error as errors of the right kind', async () => {
    const wrongKey = createRunningHubTaskProvider({ baseUrl: fake.url, apiKey: 'nope', http });
    expect(await rejection(wrongKey.submit({ route: textToVideo, prompt: 'x' }))).toMatchObject({
      retryable: false,
    });
    fake.failNextHttp(502);
    expect(await rejection(provider.submit({ route: textToVideo, prompt: 'x' }))).toMatchObject({
      code: 'upstream_unavailable',
      retryable: true,
    });
  });

  it('reports a failed task (805) as failed with a non-retryable error', async () => {
    fake.failNextTask();
    const { taskId } = await provider.submit({ route: textToVideo, prompt: 'x' });
    const done = (await pollUntilDone(taskId)).at(-1)!;
    expect(done.status).toBe('failed');
    expect(done.error).toBeInstanceOf(ProviderError);
    expect(done.error?.message).toMatch(/APIKEY_TASK_STATUS_ERROR: CUDA out of memory/);
    expect(done.error?.retryable).toBe(false);
  });

  it('accepts a status answered as an object, and cancels', async () => {
    const objectFake = await startFakeRunningHub({ statusAsObject: true, pollsPerStep: 0 });
    const objectProvider = createRunningHubTaskProvider({
      baseUrl: objectFake.url,
      apiKey: FAKE_RUNNINGHUB_KEY,
      http,
    });
    try {
      const { taskId } = await objectProvider.submit({ route: textToVideo, prompt: 'x' });
      expect((await objectProvider.poll(taskId)).status).toBe('queued');
      objectFake.advance(taskId);
      expect((await objectProvider.poll(taskId)).status).toBe('running');
      await objectProvider.cancel(taskId);
      expect((await objectProvider.poll(taskId)).status).toBe('failed');
      expect(await rejection(objectProvider.cancel('123'))).toMatchObject({ code: 'not_found' });
      expect(await rejection(objectProvider.poll('../x'))).toMatchObject({ code: 'invalid_request' });
    } finally {
      await objectFake.close();
    }
  });

  it('sends the webhookUrl and parses the TASK_END callback it receives', async () => {
    const { taskId } = await provider.submit({
      route: textToVideo,
      prompt: 'x',
      webhookUrl: `${receiver.url}/webhooks/runninghub`,
    });
    fake.finish(taskId);
    await fake.webhooksSettled();
    const event = parseRunningHubWebhook(hooks.at(-1)!);
    expect(event.taskId).toBe(taskId);
    expect(event.claimed?.status).toBe('succeeded');
    expect(event.claimed?.outputs?.[0]?.fileType).toBe('mp4');
    expect(() => parseRunningHubWebhook('{"event":"OTHER"}')).toThrow(CoreError);
    expect(() => parseRunningHubWebhook('not json')).toThrow(CoreError);
    expect(parseRunningHubWebhook('{"event":"TASK_END","taskId":"42","eventData":"garbage"}')).toEqual({
      taskId: '42',
      claimed: undefined,
    });
  });
});

describe('runninghub task ids and statuses as the real service sends them', () => {
  it('keeps a 19-digit numeric taskId exact, from create to the webhook', async () => {
    const numeric = await startFakeRunningHub({ numericTaskIds: true, pollsPerStep: 0 });
    const own = createHttpClient();
    try {
      const client = createRunningHubTaskProvider({
        baseUrl: numeric.url,
        apiKey: FAKE_RUNNINGHUB_KEY,
        http: own,
      });
      const { taskId } = await client.submit({
        route: { workflowId: 'flux', inputs: { prompt: { nodeId: '6', fieldName: 'text' } } },
        prompt: 'a kite',
      });
      // 1904737800233889001 as a double would read back as ...889000.
      expect(taskId).toBe([...numeric.tasks.keys()][0]);
      expect(Number(taskId) === Number(`${taskId.slice(0, -1)}0`)).toBe(true);
      expect((await client.poll(taskId)).status).toBe('queued');
      const raw = `{"event":"TASK_END","taskId":${taskId},"eventData":"{\\"code\\":813,\\"msg\\":\\"\\",\\"data\\":null}"}`;
      expect(parseRunningHubWebhook(raw).taskId).toBe(taskId);
    } finally {
      await own.close();
      await numeric.close();
    }
  });

  it('ends a task that reports a status we do not know, after a bounded wait, with an error naming it', async () => {
    const own = await startFakeRunningHub({ pollsPerStep: 0 });
    const ownHttp = createHttpClient();
    let now = 1_000_000;
    try {
      const client = createRunningHubTaskProvider({
        baseUrl: own.url,
        apiKey: FAKE_RUNNINGHUB_KEY,
        http: ownHttp,
        unknownStatusLimitMs: 120_000,
        now: () => now,
      });
      const { taskId } = await client.submit({
        route: { workflowId: 'flux', inputs: { prompt: { nodeId: '6', fieldName: 'text' } } },
        prompt: 'x',
      });
      own.reportStatus(taskId, 'PAUSED');
      expect((await client.poll(taskId)).status).toBe('running');
      now += 119_000;
      expect((await client.poll(taskId)).status).toBe('running');
      now += 1_000;
      const ended = await client.poll(taskId);
      expect(ended.status).toBe('failed');
      expect(ended.error?.retryable).toBe(false);
      expect(ended.error?.message).toMatch(/"PAUSED", which we do not know, for 2 min/);
    } finally {
      await ownHttp.close();
      await own.close();
    }
  });
});
