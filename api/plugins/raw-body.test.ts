import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import errorsPlugin from './errors.js';
import rawBodyPlugin, { OFF_LOOP_JSON_BYTES } from './raw-body.js';

/** The body plugin on a real server: bodies arrive over a socket, in whatever chunks TCP makes. */
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  app = Fastify({ bodyLimit: 1024 * 1024 });
  await app.register(errorsPlugin);
  await app.register(rawBodyPlugin);
  app.post('/echo', async (request) => ({
    sha256: createHash('sha256')
      .update(request.rawBody ?? Buffer.alloc(0))
      .digest('hex'),
    body: request.body,
  }));
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => app.close());

/** Posts the pieces as one chunked body (no Content-Length), so the server sees them arrive apart. */
async function postChunked(pieces: string[]): Promise<Response> {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(new TextEncoder().encode(piece));
      controller.close();
    },
  });
  return fetch(`${url}/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: stream,
    duplex: 'half',
  } as RequestInit);
}

describe('request bodies', () => {
  it('parses a large body off the loop and keeps its exact bytes for signature checks', async () => {
    const text = JSON.stringify({ messages: [{ content: 'ダミー😀 '.repeat(40_000) }], n: 1 });
    expect(text.length).toBeGreaterThan(OFF_LOOP_JSON_BYTES);
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    const answer = (await response.json()) as { sha256: string; body: unknown };
    expect(response.status).toBe(200);
    expect(answer.body).toEqual(JSON.parse(text));
    expect(answer.sha256).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('reads a chunked body of unknown length, small or large', async () => {
    const big = JSON.stringify({ text: 'a'.repeat(200_000) });
    for (const pieces of [
      ['{"a":', '1}'],
      [big.slice(0, 70_000), big.slice(70_000)],
    ]) {
      const response = await postChunked(pieces);
      const answer = (await response.json()) as { sha256: string; body: unknown };
      expect(answer.body).toEqual(JSON.parse(pieces.join('')));
      expect(answer.sha256).toBe(createHash('sha256').update(pieces.join('')).digest('hex'));
    }
  });

  it('answers 413 to a body over the limit, declared or not, and 400 to broken JSON', async () => {
    const huge = JSON.stringify({ text: 'a'.repeat(1024 * 1024) });
    const declared = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: huge,
    });
    expect(declared.status).toBe(413);
    const undeclared = await postChunked([huge.slice(0, 500_000), huge.slice(500_000)]);
    expect(undeclared.status).toBe(413);
    for (const broken of ['{"a":', `{"text":"${'b'.repeat(100_000)}"`]) {
      const response = await postChunked([broken]);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
        /not valid JSON/,
      );
    }
  });
});
