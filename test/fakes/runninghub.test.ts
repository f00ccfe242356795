import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenFake, type RunningFake } from './media-fake-server.js';
import { FAKE_RUNNINGHUB_KEY, type FakeRunningHub, startFakeRunningHub } from './runninghub.js';

let fake: FakeRunningHub;
let receiver: RunningFake;
const received: unknown[] = [];

beforeAll(async () => {
  fake = await startFakeRunningHub({
    workflows: { img: { outputs: ['png'] }, vid: { outputs: ['mp4', 'png'] } },
  });
  receiver = await listenFake((_req, res, body) => {
    received.push(JSON.parse(body.toString('utf8')));
    res.writeHead(200).end('ok');
  });
});
afterAll(async () => {
  await fake.close();
  await receiver.close();
});

async function post(path: string, body: Record<string, unknown>) {
  const res = await fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: FAKE_RUNNINGHUB_KEY, ...body }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { code: number; msg: string; data: unknown };
}

const nodes = [{ nodeId: '6', fieldName: 'text', fieldValue: 'a dancer' }];

describe('fake RunningHub', () => {
  it('runs a task QUEUED -> RUNNING -> SUCCESS over polls and serves its files', async () => {
    const created = await post('/task/openapi/create', { workflowId: 'vid', nodeInfoList: nodes });
    expect(created.code).toBe(0);
    const { taskId } = created.data as { taskId: string };
    expect(taskId).toMatch(/^\d{19}$/);

    expect(await post('/task/openapi/status', { taskId })).toEqual({
      code: 0,
      msg: 'success',
      data: 'QUEUED',
    });
    expect((await post('/task/openapi/outputs', { taskId })).code).toBe(804);
    expect((await post('/task/openapi/status', { taskId })).data).toBe('SUCCESS');
    const outputs = await post('/task/openapi/outputs', { taskId });
    expect(outputs.code).toBe(0);
    const files = outputs.data as Array<{ fileUrl: string; fileType: string }>;
    expect(files.map((file) => file.fileType)).toEqual(['mp4', 'png']);

    const video = await fetch(files[0]!.fileUrl);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    expect(
      Buffer.from(await video.arrayBuffer())
        .subarray(4, 8)
        .toString(),
    ).toBe('ftyp');
    const image = await fetch(files[1]!.fileUrl);
    expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).format).toBe('png');
  });

  it('answers 813 while queued, and moves only by advance() when asked to', async () => {
    const manual = await startFakeRunningHub({ pollsPerStep: 0, statusAsObject: true });
    try {
      const res = await fetch(`${manual.url}/task/openapi/create`, {
        method: 'POST',
        body: JSON.stringify({ apiKey: FAKE_RUNNINGHUB_KEY, workflowId: 'any' }),
      });
      const { taskId } = ((await res.json()) as { data: { taskId: string } }).data;
      const outputs = async () =>
        (await (
          await fetch(`${manual.url}/task/openapi/outputs`, {
            method: 'POST',
            body: JSON.stringify({ apiKey: FAKE_RUNNINGHUB_KEY, taskId }),
          })
        ).json()) as { code: number };
      expect((await outputs()).code).toBe(813);
      expect((await outputs()).code).toBe(813);
      manual.advance(taskId);
      expect((await outputs()).code).toBe(804);
      manual.advance(taskId);
      expect((await outputs()).code).toBe(0);
      expect(manual.tasks.get(taskId)?.status).toBe('SUCCESS');
    } finally {
      await manual.close();
    }
  });

  it('refuses a wrong key, unknown workflow, bad node info, and scripted create codes', async () => {
    const wrong = await fetch(`${fake.url}/task/openapi/create`, {
      method: 'POST',
      body: JSON.stringify({ apiKey: 'wrong', workflowId: 'img' }),
    });
    expect(((await wrong.json()) as { code: number }).code).toBe(802);
    expect((await post('/task/openapi/create', { workflowId: 'nope' })).code).toBe(380);
    expect(
      (await post('/task/openapi/create', { workflowId: 'img', nodeInfoList: [{ nodeId: '6' }] })).code,
    ).toBe(803);
    fake.failNextCreate(421);
    expect(await post('/task/openapi/create', { workflowId: 'img' })).toMatchObject({
      code: 421,
      msg: 'TASK_QUEUE_MAXED',
    });
    expect((await post('/task/openapi/cancel', { taskId: '1' })).code).toBe(423);
  });

  it('fails a scripted task with 805 and calls its webhook with the outputs answer as a string', async () => {
    fake.failNextTask();
    const created = await post('/task/openapi/create', {
      workflowId: 'img',
      nodeInfoList: nodes,
      webhookUrl: `${receiver.url}/hook`,
    });
    const { taskId } = created.data as { taskId: string };
    fake.finish(taskId);
    await fake.webhooksSettled();
    expect((await post('/task/openapi/outputs', { taskId })).code).toBe(805);
    const event = received.at(-1) as { event: string; taskId: string; eventData: string };
    expect(event).toMatchObject({ event: 'TASK_END', taskId });
    expect(JSON.parse(event.eventData)).toMatchObject({ code: 805 });
    expect(fake.webhooks.at(-1)?.status).toBe(200);
  });

  it('takes multipart uploads and answers a fileName', async () => {
    const form = new FormData();
    form.append('apiKey', FAKE_RUNNINGHUB_KEY);
    form.append('fileType', 'image');
    form.append('file', new Blob([Buffer.from('png-bytes')], { type: 'image/png' }), 'in.png');
    const res = await fetch(`${fake.url}/task/openapi/upload`, { method: 'POST', body: form });
    const answer = (await res.json()) as { code: number; data: { fileName: string } };
    expect(answer.code).toBe(0);
    expect(fake.uploads.get(answer.data.fileName)?.bytes.toString()).toBe('png-bytes');
  });
});
