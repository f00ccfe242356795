import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Plumbing shared by the LLM fakes (OpenAI, Anthropic, Gemini, DeepSeek): a real HTTP server on
 * 127.0.0.1 port 0 that records every request, hands each one the next scripted fault, waits the
 * fault's latency before answering, and on close() destroys every socket (stalled streams included).
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when the body was empty or not JSON. */
  body: unknown;
  rawBody: string;
  /** The body's bytes as sent (multipart uploads). */
  rawBytes: Buffer;
}

/** Faults every LLM fake understands; each applies to one request (see `enqueue`). */
export interface LlmFault {
  /** Answer with this error status and the vendor's error body. */
  status?: number;
  /** Sent as `retry-after` with an error status. */
  retryAfter?: string;
  /** Overrides the error body's message. */
  errorMessage?: string;
  /** Wait this long before sending the response headers. */
  latencyMs?: number;
  /** Wait until this settles before sending the response headers (an upstream slow for as long as a test needs). */
  gate?: Promise<unknown>;
  /** Send this many stream events (or half the JSON body), then keep the connection open silently. */
  stallAfter?: number;
  /** Send this many stream events (or half the JSON body), then destroy the socket. */
  cutAfter?: number;
  /** 'missing': no usage at all; 'zero': usage with every count 0. */
  usage?: 'missing' | 'zero';
  /** Refuse for safety, in the vendor's dialect. */
  safety?: boolean;
}

export interface FakeLlmServer<F extends LlmFault> {
  /** Origin, `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  requests: RecordedRequest[];
  /** Applies `fault` to the next `times` requests (queued after earlier faults). */
  enqueue(fault: F, times?: number): void;
  close(): Promise<void>;
}

export interface LlmExchange<F extends LlmFault> {
  request: RecordedRequest;
  fault: F;
  res: ServerResponse;
}

export type LlmHandler<F extends LlmFault> = (exchange: LlmExchange<F>) => Promise<void> | void;

export interface ListenOptions {
  /** Default 0 (any free port); a fixed port suits the local playground. */
  port?: number;
}

export async function startLlmServer<F extends LlmFault>(
  handler: LlmHandler<F>,
  listen: ListenOptions = {},
): Promise<FakeLlmServer<F>> {
  const faults: F[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    void readBody(req).then(async (rawBytes) => {
      const request = record(req, rawBytes);
      requests.push(request);
      const fault = faults.shift() ?? ({} as F);
      if (fault.latencyMs !== undefined && fault.latencyMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, fault.latencyMs);
          timers.add(timer);
        });
        // The client may have given up while we waited.
        if (res.destroyed || !res.socket || res.socket.destroyed) return;
      }
      if (fault.gate) {
        await fault.gate.catch(() => undefined);
        if (res.destroyed || !res.socket || res.socket.destroyed) return;
      }
      try {
        await handler({ request, fault, res });
      } catch (error) {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

function record(req: IncomingMessage, rawBytes: Buffer): RecordedRequest {
  const rawBody = rawBytes.toString('utf8');
  const url = new URL(req.url ?? '/', 'http://fake');
  let body: unknown;
  try {
    body = rawBody === '' ? undefined : JSON.parse(rawBody);
  } catch {
    body = undefined;
  }
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body,
    rawBody,
    rawBytes,
  };
}

/**
 * Sends a JSON body, honouring stall/cut faults: with either, the headers promise the full length,
 * half the body is written, then the server falls silent (stall) or destroys the socket (cut).
 * `prefix` is written before the JSON (DeepSeek's blank keep-alive lines).
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  options: { headers?: Record<string, string>; fault?: LlmFault; prefix?: string } = {},
): void {
  const body = Buffer.from((options.prefix ?? '') + JSON.stringify(value));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(body.length),
    ...options.headers,
  });
  const fault = options.fault ?? {};
  if (fault.stallAfter === undefined && fault.cutAfter === undefined) {
    res.end(body);
    return;
  }
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    if (fault.cutAfter !== undefined) res.socket?.destroy();
  });
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  if (typeof value !== 'string' || !value.startsWith('Bearer ')) return undefined;
  return value.slice('Bearer '.length);
}
