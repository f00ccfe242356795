import { providerErrorFromStatus, providerProtocolError } from '../shared/errors.js';
import type { HttpClient } from '../shared/http.js';
import { isObject, joinUrl, str } from '../shared/wire.js';
import { runningHubError } from './errors.js';

export interface RunningHubClientOptions {
  /** `https://www.runninghub.ai` (international) or `https://www.runninghub.cn`. */
  baseUrl: string;
  apiKey: string;
  http: HttpClient;
}

export interface Envelope {
  code: number;
  msg: string | undefined;
  data: unknown;
}

/**
 * The transport: every endpoint is a POST answering `{code, msg, data}` (code 0 = success), and the
 * API key goes in the body as `apiKey`. `post` returns the envelope whatever its code, so callers
 * can treat "still running" codes as states; `call` throws for any non-zero code.
 */
export interface RunningHubClient {
  post(path: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<Envelope>;
  call(path: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<unknown>;
  /** Multipart upload of an input file; returns the `fileName` to use as a node's field value. */
  upload(
    bytes: Uint8Array,
    contentType: string,
    fileType: 'image' | 'video' | 'audio',
    signal?: AbortSignal,
  ): Promise<string>;
}

export function createRunningHubClient(options: RunningHubClientOptions): RunningHubClient {
  async function send(path: string, body: Uint8Array | string, contentType: string, signal?: AbortSignal) {
    const res = await options.http.request(joinUrl(options.baseUrl, path), {
      method: 'POST',
      provider: 'runninghub',
      headers: { 'content-type': contentType, accept: 'application/json' },
      body,
      ...(signal === undefined ? {} : { signal }),
    });
    if (res.status < 200 || res.status > 299) {
      await res.discard();
      throw providerErrorFromStatus({ provider: 'runninghub', status: res.status });
    }
    return parseEnvelope(parseJsonKeepingIds(await res.text()));
  }

  const client: RunningHubClient = {
    post(path, body, signal) {
      return send(path, JSON.stringify({ ...body, apiKey: options.apiKey }), 'application/json', signal);
    },
    async call(path, body, signal) {
      const envelope = await client.post(path, body, signal);
      if (envelope.code !== 0) throw runningHubError(envelope.code, envelope.msg);
      return envelope.data;
    },
    async upload(bytes, contentType, fileType, signal) {
      const form = new FormData();
      form.append('apiKey', options.apiKey);
      form.append('fileType', fileType);
      const extension = contentType.split('/')[1]?.split(';')[0] ?? 'bin';
      form.append('file', new Blob([bytes], { type: contentType }), `input.${extension}`);
      const encoded = new Response(form);
      const envelope = await send(
        '/task/openapi/upload',
        new Uint8Array(await encoded.arrayBuffer()),
        encoded.headers.get('content-type') ?? 'multipart/form-data',
        signal,
      );
      if (envelope.code !== 0) throw runningHubError(envelope.code, envelope.msg);
      const fileName = isObject(envelope.data) ? str(envelope.data.fileName) : undefined;
      if (fileName === undefined) throw providerProtocolError('runninghub', 'upload answer has no fileName');
      return fileName;
    },
  };
  return client;
}

/**
 * RunningHub task ids are 19-digit numbers, beyond the 2^53 a JSON number keeps exactly: a bare
 * numeric `taskId` is quoted before parsing so it stays a string, digit for digit. (Inside a JSON
 * string the key's quotes are escaped, so nested JSON text is left alone; it is parsed the same way.)
 */
export function parseJsonKeepingIds(text: string): unknown {
  try {
    return JSON.parse(text.replace(/("taskId"\s*:\s*)(-?\d+)(?=\s*[,}\]])/g, '$1"$2"'));
  } catch (error) {
    throw providerProtocolError('runninghub', 'answer is not JSON', error);
  }
}

export function parseEnvelope(body: unknown): Envelope {
  if (!isObject(body) || typeof body.code !== 'number') {
    throw providerProtocolError('runninghub', 'answer is not a {code, msg, data} envelope');
  }
  return { code: body.code, msg: str(body.msg), data: body.data };
}
