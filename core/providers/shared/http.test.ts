import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProviderError, type ProviderError } from './errors.js';
import { createHttpClient } from './http.js';
import { encodeJsonInSlices } from './json-slices.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
const sockets = new Set<Socket>();
const routes = new Map<string, Handler>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const handler = routes.get(req.url ?? '');
    if (handler) handler(req, res);
    else res.writeHead(404).end();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

routes.set('/json', (req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-thing': 'a' });
    res.end(JSON.stringify({ method: req.method, got: body, auth: req.headers.authorization }));
  });
});
routes.set('/bytes', (req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    const body = Buffer.concat(parts);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        length: req.headers['content-length'] ?? null,
        chunked: req.headers['transfer-encoding'] ?? null,
        got: body.toString('utf8'),
      }),
    );
  });
});
routes.set('/never', () => {
  // never answers: the first-byte timeout must fire
});
routes.set('/stall', (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.write('first');
});
routes.set('/cut', (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.write('partial', () => res.socket?.destroy());
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<string> {
  let out = '';
  for await (const chunk of body) out += Buffer.from(chunk).toString();
  return out;
}

describe('createHttpClient', () => {
  const http = createHttpClient({ headersTimeoutMs: 150, bodyTimeoutMs: 150, connectTimeoutMs: 1000 });
  afterAll(() => http.close());

  it('writes a body of chunks whole, with their total as content-length', async () => {
    const value = { messages: [{ content: `é😀"\n${'x'.repeat(300_000)}` }] };
    const body = await encodeJsonInSlices(value, 1000);
    expect(body.chunks.length).toBeGreaterThan(100);
    const res = await http.request(`${base}/bytes`, { method: 'POST', body });
    expect(await res.json()).toEqual({
      length: String(Buffer.byteLength(JSON.stringify(value))),
      chunked: null,
      got: JSON.stringify(value),
    });
  });

  it('sends method, headers and body and exposes status, headers and json', async () => {
    const res = await http.request(`${base}/json`, {
      method: 'POST',
      body: 'hello',
      headers: { authorization: 'Bearer k' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-thing']).toBe('a');
    expect(await res.json()).toEqual({ method: 'POST', got: 'hello', auth: 'Bearer k' });
  });

  it('exposes the body as a byte stream', async () => {
    const res = await http.request(`${base}/json`);
    expect(JSON.parse(await drain(res.body))).toMatchObject({ method: 'GET' });
  });

  it('turns an unanswered request into a retryable first-byte timeout', async () => {
    const error = (await rejection(http.request(`${base}/never`, { provider: 'p' }))) as ProviderError;
    expect(isProviderError(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect(error.code).toBe('upstream_unavailable');
    expect(error.provider).toBe('p');
    expect(error.message).toMatch(/first-byte/);
  });

  it('turns a stalled body into a retryable idle timeout', async () => {
    const res = await http.request(`${base}/stall`);
    const error = (await rejection(drain(res.body))) as ProviderError;
    expect(isProviderError(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/idle/);
  });

  it('turns a cut body into a retryable error, never a clean end', async () => {
    const res = await http.request(`${base}/cut`);
    const error = await rejection(res.text());
    expect(isProviderError(error)).toBe(true);
    expect((error as ProviderError).retryable).toBe(true);
  });

  it('turns a refused connection into a retryable error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(http.request(`http://127.0.0.1:${port}/`));
    expect(isProviderError(error)).toBe(true);
    expect((error as ProviderError).retryable).toBe(true);
  });

  it("rejects with the caller's abort reason, not a ProviderError", async () => {
    const controller = new AbortController();
    const pending = http.request(`${base}/never`, { signal: controller.signal, headersTimeoutMs: 10_000 });
    controller.abort(new Error('caller gave up'));
    const error = await rejection(pending);
    expect(isProviderError(error)).toBe(false);
    expect((error as Error).message).toBe('caller gave up');
  });
});
