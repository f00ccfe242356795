import { CoreError } from '../../errors.js';
import { assertPublicHttpUrl } from '../../security/public-address.js';
import type { MediaFile, TaskProvider, TaskRequest, TaskStatus } from '../media-contract.js';
import { imageContentType } from '../media-contract.js';
import { ProviderError, providerErrorFromStatus, providerProtocolError } from '../shared/errors.js';
import { isObject, str } from '../shared/wire.js';
import { createRunningHubClient, type RunningHubClientOptions } from './client.js';
import { buildNodeInfoList } from './node-info.js';
import { taskStatusFromOutputs } from './outputs.js';

export interface RunningHubOptions extends RunningHubClientOptions {
  /** Largest output file we download (videos included). Default 512 MiB. */
  maxOutputBytes?: number;
  /** How long a task may report a status we do not know before its job is ended. Default 5 minutes. */
  unknownStatusLimitMs?: number;
  /** Milliseconds since the epoch; injected so the unknown-status limit runs on virtual time in tests. */
  now?: () => number;
}

const DEFAULT_MAX_OUTPUT_BYTES = 512 * 1024 * 1024;
const DEFAULT_UNKNOWN_STATUS_LIMIT_MS = 5 * 60_000;
/** Tasks whose unknown status is being timed; beyond this many the oldest is forgotten. */
const MAX_TIMED_TASKS = 10_000;
const TASK_ID = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * RunningHub workflows as asynchronous tasks: upload the input image (if any), create the task with
 * the route's node mapping, then poll `/status` and read `/outputs` once it has ended. Task ids stay
 * strings end to end (see parseJsonKeepingIds). A status word we do not know reads as running for
 * `unknownStatusLimitMs` (it may be a new transient state), then fails the task with an error that
 * names it, so the job ends instead of polling until its overall timeout.
 */
export function createRunningHubTaskProvider(options: RunningHubOptions): TaskProvider {
  const client = createRunningHubClient(options);
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const unknownLimitMs = options.unknownStatusLimitMs ?? DEFAULT_UNKNOWN_STATUS_LIMIT_MS;
  const now = options.now ?? Date.now;
  /** taskId -> when it first reported an unknown status (cleared once a known one comes). */
  const unknownSince = new Map<string, number>();

  function unknownStatus(taskId: string, state: string | undefined): TaskStatus {
    const first = unknownSince.get(taskId) ?? now();
    if (!unknownSince.has(taskId)) {
      if (unknownSince.size >= MAX_TIMED_TASKS) unknownSince.delete(unknownSince.keys().next().value!);
      unknownSince.set(taskId, first);
    }
    if (now() - first < unknownLimitMs) return { status: 'running' };
    unknownSince.delete(taskId);
    const word = JSON.stringify(state ?? null);
    const minutes = Math.round(unknownLimitMs / 60_000);
    return {
      status: 'failed',
      error: new ProviderError(
        'upstream_error',
        `RunningHub kept reporting the task status ${word}, which we do not know, for ${minutes} min; the task was given up and nothing was charged.`,
        { provider: 'runninghub', retryable: false, upstreamType: state ?? 'null' },
      ),
    };
  }

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
      const taskId = isObject(data) ? str(data.taskId) : undefined;
      if (taskId === undefined) throw providerProtocolError('runninghub', 'create answer has no taskId');
      return { taskId };
    },

    async poll(taskId, signal): Promise<TaskStatus> {
      checkTaskId(taskId);
      const data = await client.call('/task/openapi/status', { taskId }, signal);
      const state = isObject(data) ? str(data.taskStatus) : str(data);
      if (!KNOWN_STATES.has(state ?? '')) return unknownStatus(taskId, state);
      unknownSince.delete(taskId);
      switch (state) {
        case 'CREATE':
        case 'QUEUED':
          return { status: 'queued' };
        case 'RUNNING':
          return { status: 'running' };
        default:
          return taskStatusFromOutputs(await client.post('/task/openapi/outputs', { taskId }, signal));
      }
    },

    async fetchOutput(url, signal): Promise<MediaFile> {
      if (!/^https?:\/\//i.test(url)) throw providerProtocolError('runninghub', 'output URL is not http(s)');
      // The URL comes from the upstream: unless it is on the configured RunningHub origin, it must
      // lead to a public address (never into our network). Redirects are not followed.
      if (new URL(url).origin !== new URL(options.baseUrl).origin) {
        await assertPublicHttpUrl(url).catch((cause: unknown) => {
          throw providerProtocolError('runninghub', 'output URL is not on a public address', cause);
        });
      }
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

const KNOWN_STATES = new Set(['CREATE', 'QUEUED', 'RUNNING', 'SUCCESS', 'FAILED']);

function checkTaskId(taskId: string): void {
  if (!TASK_ID.test(taskId)) throw new CoreError('invalid_request', 'Invalid task id.');
}
