import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import errorsPlugin from './errors.js';
import { JsonParsePool } from './json-parse-pool.js';
import rawBodyPlugin, { BODY_BYTES_PER_TURN, OFF_LOOP_JSON_BYTES, readBody } from './raw-body.js';

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

describe('reading pace', () => {
  it('takes in at most about BODY_BYTES_PER_TURN of a body per event-loop turn, however fast it comes', async () => {
    // A source that has the whole 4 MB ready at once, as a fast client on a full socket does.
    const text = JSON.stringify({ text: 'c'.repeat(4 * 1024 * 1024) });
    const bytes = Buffer.from(text);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, i) =>
      Buffer.from(bytes.subarray(i * 65_536, (i + 1) * 65_536)),
    );
    const payload = new Readable({
      read() {
        for (const chunk of chunks.splice(0)) this.push(chunk);
        if (chunks.length === 0) this.push(null);
      },
    });
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const perTurn = new Map<number, number>();
    payload.on('data', (chunk: Buffer) => perTurn.set(turn, (perTurn.get(turn) ?? 0) + chunk.length));
    const request = {
      routeOptions: { bodyLimit: 10 * 1024 * 1024 },
      headers: { 'content-type': 'application/json', 'content-length': String(bytes.length) },
    } as unknown as FastifyRequest;
    const pool = new JsonParsePool(1_000);
    try {
      const parsed = await readBody(pool, request, payload);
      expect(parsed).toEqual({ text: 'c'.repeat(4 * 1024 * 1024) });
    } finally {
      ticking = false;
      await pool.close();
    }
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(BODY_BYTES_PER_TURN + 65_536);
    expect(perTurn.size).toBeGreaterThan(4);
  });
});
