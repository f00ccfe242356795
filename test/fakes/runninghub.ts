import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import sharp from 'sharp';
import { listenFake, parseMultipart, type RunningFake, sendJson, sleep } from './media-fake-server.js';
import { SAMPLE_MP4 } from './sample-video.js';

/**
 * A fake RunningHub (ComfyUI cloud). Every answer is HTTP 200 with the envelope `{code, msg, data}`,
 * code 0 meaning success; the API key travels in the JSON body (`apiKey`, 802 when wrong).
 * Endpoints: `/task/openapi/upload` (multipart `file`, `apiKey`, `fileType` -> `data.fileName`),
 * `/task/openapi/create` (`workflowId`, `nodeInfoList`, `webhookUrl`), `/task/openapi/status`
 * (`data` is a bare status string, or `{taskStatus}` with `statusAsObject`), `/task/openapi/outputs`
 * (813 while queued, 804 while running, 805 when failed, else the output files) and
 * `/task/openapi/cancel` (423 for an unknown task) and `/api/openapi/getJsonApiFormat` (a workflow's
 * JSON; 380 WORKFLOW_NOT_EXISTS for an unknown one). Output files are served under `/files/`.
 *
 * A task goes QUEUED -> RUNNING -> SUCCESS (or FAILED), one step every `pollsPerStep` status/outputs
 * polls, or by an explicit `advance()`. When a task ends and has a `webhookUrl`, the fake POSTs
 * `{"event":"TASK_END","taskId":...,"eventData":"<the outputs response as a JSON string>"}` to it.
 */

export const FAKE_RUNNINGHUB_KEY = 'fake0runninghub0key0000000000000';

export type FakeTaskStatus = 'QUEUED' | 'RUNNING' | 'SUCCESS' | 'FAILED';
export type FakeOutputKind = 'png' | 'mp4';

export interface FakeRunningHubTask {
  taskId: string;
  workflowId: string;
  nodeInfoList: Array<{ nodeId: string; fieldName: string; fieldValue: unknown }>;
  webhookUrl?: string;
  status: FakeTaskStatus;
  /** Polls seen in the current status. */
  polls: number;
  willFail: boolean;
  outputs: FakeOutputKind[];
}

export interface FakeRunningHubOptions {
  apiKey?: string;
  /** Status/outputs polls per lifecycle step; 0 = only `advance()` moves tasks. Default 1. */
  pollsPerStep?: number;
  /** Answer `/status` with `data: {taskStatus}` instead of a bare string. */
  statusAsObject?: boolean;
  /** Outputs of workflows not listed in `workflows`. Default one PNG. */
  defaultOutputs?: FakeOutputKind[];
  /** Known workflows; when given, any other workflowId is refused with 380. */
  workflows?: Record<string, { outputs: FakeOutputKind[] }>;
  /**
   * Write `taskId` as a bare JSON number in the create answer and webhooks (the documented example
   * quotes it, but a 19-digit number read as a double loses its last digits, so clients must cope).
   */
  numericTaskIds?: boolean;
}

export interface RecordedRunningHubRequest {
  path: string;
  /** JSON body, or the text fields of a multipart upload. */
  body: Record<string, unknown>;
}

export interface WebhookDelivery {
  url: string;
  body: { event: string; taskId: string; eventData: string };
  status: number | 'error';
}

export interface FakeRunningHub extends RunningFake {
  requests: RecordedRunningHubRequest[];
  tasks: Map<string, FakeRunningHubTask>;
  uploads: Map<string, { bytes: Buffer; fileType: string }>;
  webhooks: WebhookDelivery[];
  /** The next create answers with this error code (e.g. 421 queue full, 416 wallet, 433 validation). */
  failNextCreate(code: number, msg?: string): void;
  /** The next created task ends FAILED (outputs answer 805). */
  failNextTask(): void;
  /** The next `times` requests answer with a bare HTTP error (a gateway in front of the API). */
  failNextHttp(status: number, times?: number): void;
  /** Moves a task one step along QUEUED -> RUNNING -> SUCCESS/FAILED. */
  advance(taskId: string): void;
  /** Moves a task to its end. */
  finish(taskId: string): void;
  /** `/status` reports this word for the task from now on (a state the client may not know). */
  reportStatus(taskId: string, word: string): void;
  setLatency(ms: number): void;
  /** Resolves when every webhook delivery started so far has been answered. */
  webhooksSettled(): Promise<void>;
}

const ERROR_NAMES: Record<number, string> = {
  301: 'PARAMS_INVALID',
  380: 'WORKFLOW_NOT_EXISTS',
  412: 'TOKEN_INVALID',
  415: 'TASK_INSTANCE_MAXED',
  416: 'TASK_CREATE_FAILED_BY_NOT_ENOUGH_WALLET',
  421: 'TASK_QUEUE_MAXED',
  423: 'TASK_NOT_FOUNED',
  433: 'VALIDATE_PROMPT_FAILED',
  500: 'UNKNOWN_ERROR',
  801: 'APIKEY_UNSUPPORTED_FREE_USER',
  802: 'APIKEY_UNAUTHORIZED',
  803: 'APIKEY_INVALID_NODE_INFO',
  804: 'APIKEY_TASK_IS_RUNNING',
  805: 'APIKEY_TASK_STATUS_ERROR',
  807: 'APIKEY_TASK_NOT_FOUND',
  810: 'WORKFLOW_NOT_SAVED_OR_NOT_RUNNING',
  813: 'APIKEY_TASK_IS_QUEUED',
};

export async function startFakeRunningHub(options: FakeRunningHubOptions = {}): Promise<FakeRunningHub> {
  const apiKey = options.apiKey ?? FAKE_RUNNINGHUB_KEY;
  const pollsPerStep = options.pollsPerStep ?? 1;
  const requests: RecordedRunningHubRequest[] = [];
  const tasks = new Map<string, FakeRunningHubTask>();
  const uploads = new Map<string, { bytes: Buffer; fileType: string }>();
  const webhooks: WebhookDelivery[] = [];
  const pendingWebhooks = new Set<Promise<void>>();
  const createFailures: Array<{ code: number; msg?: string }> = [];
  let httpFailures: number[] = [];
  let nextTaskFails = false;
  let latency = 0;
  let taskCounter = 0;
  let baseUrl = '';
  const statusWords = new Map<string, string>();
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3a7bd5' } })
    .png()
    .toBuffer();

  const server = await listenFake(async (req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (latency > 0) await sleep(latency);
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) return serveFile(res, url.pathname);

    const httpFailure = httpFailures.shift();
    if (httpFailure !== undefined) {
      res.writeHead(httpFailure, { 'content-type': 'text/html' });
      return res.end(`<html><body>${httpFailure} Bad Gateway</body></html>`);
    }
    if (req.method !== 'POST') return envelope(res, 412, null);

    let body: Record<string, unknown>;
    let file: Buffer | undefined;
    try {
      if (url.pathname === '/task/openapi/upload') {
        const parts = parseMultipart(raw, req.headers['content-type']);
        body = Object.fromEntries(
          parts
            .filter((part) => part.filename === undefined)
            .map((part) => [part.name, part.data.toString('utf8')]),
        );
        file = parts.find((part) => part.name === 'file' && part.filename !== undefined)?.data;
      } else {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      }
    } catch {
      return envelope(res, 301, null);
    }
    requests.push({ path: url.pathname, body });
    if (body.apiKey !== apiKey) return envelope(res, 802, null);

    switch (url.pathname) {
      case '/task/openapi/upload': {
        if (file === undefined) return envelope(res, 301, null);
        const fileType = String(body.fileType ?? 'image');
        const fileName = `api/${randomBytes(16).toString('hex')}.png`;
        uploads.set(fileName, { bytes: file, fileType });
        return envelope(res, 0, { fileName, fileType });
      }
      case '/task/openapi/create':
        return create(res, body);
      case '/api/openapi/getJsonApiFormat': {
        const workflowId = String(body.workflowId ?? '');
        if (workflowId === '' || (options.workflows !== undefined && !(workflowId in options.workflows))) {
          return envelope(res, 380, null);
        }
        return envelope(res, 0, { prompt: JSON.stringify({ '6': { class_type: 'CLIPTextEncode' } }) });
      }
      case '/task/openapi/status': {
        const task = tasks.get(String(body.taskId));
        if (task === undefined) return envelope(res, 807, null);
        const status = statusWords.get(task.taskId) ?? task.status;
        countPoll(task);
        return envelope(res, 0, options.statusAsObject ? { taskStatus: status } : status);
      }
      case '/task/openapi/outputs': {
        const task = tasks.get(String(body.taskId));
        if (task === undefined) return envelope(res, 807, null);
        const answer = outputsResponse(task);
        countPoll(task);
        return sendJson(res, 200, answer);
      }
      case '/task/openapi/cancel': {
        const task = tasks.get(String(body.taskId));
        if (task === undefined) return envelope(res, 423, null);
        if (task.status === 'QUEUED' || task.status === 'RUNNING') {
          task.willFail = true;
          end(task);
        }
        return envelope(res, 0, null);
      }
      default:
        return envelope(res, 412, null);
    }
  });
  baseUrl = server.url;

  function create(res: ServerResponse, body: Record<string, unknown>) {
    const failure = createFailures.shift();
    if (failure !== undefined) return envelope(res, failure.code, null, failure.msg);
    const workflowId = String(body.workflowId ?? '');
    const known = options.workflows?.[workflowId];
    if (workflowId === '' || (options.workflows !== undefined && known === undefined)) {
      return envelope(res, 380, null);
    }
    const list = body.nodeInfoList ?? [];
    if (!Array.isArray(list) || !list.every(isNodeInfo)) return envelope(res, 803, null);
    taskCounter += 1;
    const taskId = String(1904737800233889000n + BigInt(taskCounter));
    const task: FakeRunningHubTask = {
      taskId,
      workflowId,
      nodeInfoList: list,
      status: 'QUEUED',
      polls: 0,
      willFail: nextTaskFails,
      outputs: known?.outputs ?? options.defaultOutputs ?? ['png'],
      ...(typeof body.webhookUrl === 'string' ? { webhookUrl: body.webhookUrl } : {}),
    };
    nextTaskFails = false;
    tasks.set(taskId, task);
    const data = {
      netWssUrl: `wss://fake/ws/${taskId}`,
      taskId,
      clientId: randomBytes(16).toString('hex'),
      taskStatus: 'QUEUED',
      promptTips: JSON.stringify({ result: true, error: null, outputs_to_execute: ['9'], node_errors: {} }),
    };
    if (!options.numericTaskIds) return envelope(res, 0, data);
    const text = JSON.stringify({ code: 0, msg: 'success', data }).replace(`"${taskId}"`, taskId);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(text);
  }

  function countPoll(task: FakeRunningHubTask): void {
    if (pollsPerStep === 0 || task.status === 'SUCCESS' || task.status === 'FAILED') return;
    task.polls += 1;
    if (task.polls >= pollsPerStep) step(task);
  }

  function step(task: FakeRunningHubTask): void {
    if (task.status === 'QUEUED') {
      task.status = 'RUNNING';
      task.polls = 0;
    } else if (task.status === 'RUNNING') {
      end(task);
    }
  }

  function end(task: FakeRunningHubTask): void {
    task.status = task.willFail ? 'FAILED' : 'SUCCESS';
    task.polls = 0;
    if (task.webhookUrl !== undefined) deliverWebhook(task.webhookUrl, task);
  }

  function outputsResponse(task: FakeRunningHubTask): { code: number; msg: string; data: unknown } {
    if (task.status === 'QUEUED') return { code: 813, msg: ERROR_NAMES[813]!, data: null };
    if (task.status === 'RUNNING') return { code: 804, msg: ERROR_NAMES[804]!, data: null };
    if (task.status === 'FAILED') {
      // GUESS: the shape of a failed task's details; clients should rely on the code alone.
      return {
        code: 805,
        msg: ERROR_NAMES[805]!,
        data: {
          failedReason: {
            node_name: 'KSampler',
            exception_message: 'CUDA out of memory',
            exception_type: 'OutOfMemoryError',
          },
        },
      };
    }
    return {
      code: 0,
      msg: 'success',
      data: task.outputs.map((kind, index) => ({
        fileUrl: `${baseUrl}/files/${task.taskId}/${index}.${kind}`,
        fileType: kind,
        taskCostTime: '12',
        nodeId: '9',
        consumeCoins: '10',
        consumeMoney: null,
        thirdPartyConsumeMoney: null,
      })),
    };
  }

  function deliverWebhook(target: string, task: FakeRunningHubTask): void {
    const body = { event: 'TASK_END', taskId: task.taskId, eventData: JSON.stringify(outputsResponse(task)) };
    const text = JSON.stringify(body);
    const delivery = fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: options.numericTaskIds
        ? text.replace(`"taskId":"${task.taskId}"`, `"taskId":${task.taskId}`)
        : text,
    })
      .then(async (response) => {
        await response.arrayBuffer();
        webhooks.push({ url: target, body, status: response.status });
      })
      .catch(() => {
        webhooks.push({ url: target, body, status: 'error' });
      });
    pendingWebhooks.add(delivery);
    void delivery.finally(() => pendingWebhooks.delete(delivery));
  }

  function serveFile(res: ServerResponse, path: string): void {
    const match = /^\/files\/(\d+)\/(\d+)\.(png|mp4)$/.exec(path);
    const task = match ? tasks.get(match[1]!) : undefined;
    if (match === null || task === undefined || task.status !== 'SUCCESS') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('not found');
    }
    const bytes = match[3] === 'mp4' ? SAMPLE_MP4 : png;
    res.writeHead(200, {
      'content-type': match[3] === 'mp4' ? 'video/mp4' : 'image/png',
      'content-length': bytes.length,
    });
    res.end(bytes);
  }

  function mustFind(taskId: string): FakeRunningHubTask {
    const task = tasks.get(taskId);
    if (task === undefined) throw new Error(`fake RunningHub has no task ${taskId}`);
    return task;
  }

  return {
    ...server,
    requests,
    tasks,
    uploads,
    webhooks,
    failNextCreate(code, msg) {
      createFailures.push({ code, ...(msg === undefined ? {} : { msg }) });
    },
    failNextTask() {
      nextTaskFails = true;
    },
    failNextHttp(status, times = 1) {
      httpFailures = [...httpFailures, ...Array.from({ length: times }, () => status)];
    },
    advance(taskId) {
      step(mustFind(taskId));
    },
    finish(taskId) {
      const task = mustFind(taskId);
      while (task.status === 'QUEUED' || task.status === 'RUNNING') step(task);
    },
    reportStatus(taskId, word) {
      statusWords.set(mustFind(taskId).taskId, word);
    },
    setLatency(ms) {
      latency = ms;
    },
    async webhooksSettled() {
      while (pendingWebhooks.size > 0) await Promise.all([...pendingWebhooks]);
    },
  };
}

function envelope(res: ServerResponse, code: number, data: unknown, msg?: string): void {
  sendJson(res, 200, { code, msg: msg ?? (code === 0 ? 'success' : (ERROR_NAMES[code] ?? 'ERROR')), data });
}

function isNodeInfo(value: unknown): value is { nodeId: string; fieldName: string; fieldValue: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    typeof item.nodeId === 'string' &&
    item.nodeId !== '' &&
    typeof item.fieldName === 'string' &&
    item.fieldName !== '' &&
    item.fieldValue !== undefined
  );
}
