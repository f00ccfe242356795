import { CoreError } from '../../errors.js';
import type { MediaFile, TaskProvider, TaskRequest, TaskStatus } from '../media-contract.js';
import { imageContentType } from '../media-contract.js';
import { providerErrorFromStatus, providerProtocolError } from '../shared/errors.js';
import { isObject, str } from '../shared/wire.js';
import { createRunningHubClient, type RunningHubClientOptions } from './client.js';
import { buildNodeInfoList } from './node-info.js';
import { taskStatusFromOutputs } from './outputs.js';

export interface RunningHubOptions extends RunningHubClientOptions {
  /** Largest output file we download (videos included). Default 512 MiB. */
  maxOutputBytes?: number;
}

const DEFAULT_MAX_OUTPUT_BYTES = 512 * 1024 * 1024;
const TASK_ID = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * RunningHub workflows as asynchronous tasks: upload the input image (if any), create the task with
 * the route's node mapping, then poll `/status` and read `/outputs` once it has ended.
 */
export function createRunningHubTaskProvider(options: RunningHubOptions): TaskProvider {
  const client = createRunningHubClient(options);
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;

  return {
    id: 'runninghub',

    async submit(request: TaskRequest) {
      const route = request.route;
      if (route === undefined) {
        throw new CoreError('internal', 'runninghub: the catalog route has no workflow mapping.');
      }
      if (route.inputs.image === undefined && request.image !== undefined) {
        throw new CoreError('invalid_request', 'This model does not take an input image.');
      }
      // Check the mapping before uploading anything.
      buildNodeInfoList(route, request, request.image === undefined ? undefined : 'pending');
      const uploaded =
        request.image === undefined
          ? undefined
          : await client.upload(request.image.bytes, request.image.contentType, 'image', request.signal);
      const body: Record<string, unknown> = {
        workflowId: route.workflowId,
        nodeInfoList: buildNodeInfoList(route, request, uploaded),
      };
      if (request.webhookUrl !== undefined) body.webhookUrl = request.webhookUrl;
      if (route.instanceType !== undefined) body.instanceType = route.instanceType;
      const data = await client.call('/task/openapi/create', body, request.signal);
      const taskId = isObject(data) ? (str(data.taskId) ?? numberId(data.taskId)) : undefined;
      if (taskId === undefined) throw providerProtocolError('runninghub', 'create answer has no taskId');
      return { taskId };
    },

    async poll(taskId, signal): Promise<TaskStatus> {
      checkTaskId(taskId);
      const data = await client.call('/task/openapi/status', { taskId }, signal);
      const state = isObject(data) ? str(data.taskStatus) : str(data);
      switch (state) {
        case 'CREATE':
        case 'QUEUED':
          return { status: 'queued' };
        case 'RUNNING':
          return { status: 'running' };
        case 'SUCCESS':
        case 'FAILED':
          return taskStatusFromOutputs(await client.post('/task/openapi/outputs', { taskId }, signal));
        default:
          throw providerProtocolError('runninghub', `unknown task status ${JSON.stringify(state ?? null)}`);
      }
    },

    async fetchOutput(url, signal): Promise<MediaFile> {
      if (!/^https?:\/\//i.test(url)) throw providerProtocolError('runninghub', 'output URL is not http(s)');
      const res = await options.http.request(url, {
        provider: 'runninghub',
        ...(signal === undefined ? {} : { signal }),
      });
      if (res.status !== 200) {
        await res.discard();
        throw providerErrorFromStatus({
          provider: 'runninghub',
          status: res.status,
          message: 'output download failed',
        });
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > maxOutputBytes) {
        await res.discard();
        throw providerProtocolError('runninghub', 'output file is larger than allowed');
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      for await (const chunk of res.body) {
        total += chunk.byteLength;
        if (total > maxOutputBytes)
          throw providerProtocolError('runninghub', 'output file is larger than allowed');
        chunks.push(chunk);
      }
      const bytes = Buffer.concat(chunks);
      return { bytes, contentType: imageContentType(bytes, res.headers['content-type']) };
    },

    async cancel(taskId, signal) {
      checkTaskId(taskId);
      await client.call('/task/openapi/cancel', { taskId }, signal);
    },
  };
}

function numberId(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined;
}

function checkTaskId(taskId: string): void {
  if (!TASK_ID.test(taskId)) throw new CoreError('invalid_request', 'Invalid task id.');
}
