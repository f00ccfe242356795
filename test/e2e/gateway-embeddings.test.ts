import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTextTokens } from '../../core/metering/index.js';
import { fakeEmbedding } from '../fakes/embedding-vectors.js';
import { type GatewayHarness, startGatewayHarness, words } from './gateway-harness.js';

/**
 * `POST /v1/embeddings` through the real openai client, against the OpenAI, Gemini and self-hosted
 * fakes: vectors as the upstream made them (float or base64), billed at the catalog's input price x
 * the upstream's reported tokens (Gemini reports none: our own count), nothing billed on refusals.
 */

/** Catalog input prices, mRp per 1M tokens. */
const SMALL = 330_000n;
const GEMINI = 2_475_000n;
const LOCAL = 100_000n;
const cost = (tokens: number, perM: bigint) => (BigInt(tokens) * perM + 999_999n) / 1_000_000n;

let h: GatewayHarness;

beforeAll(async () => {
  h = await startGatewayHarness();
});
afterAll(() => h.close());

async function job(id: string | null) {
  return h.t.container.core.jobs.get(id!);
}

describe('POST /v1/embeddings with the openai client', () => {
  it('answers floats, one vector per input in order, and bills the upstream usage exactly', async () => {
    const { accountId, key } = await h.account(100);
    const inputs = ['halo apa kabar', 'selamat pagi dunia yang indah'];
    const { data, response } = await h
      .openaiClient(key)
      .embeddings.create({ model: 'text-embedding-3-small', input: inputs, encoding_format: 'float' })
      .withResponse();
    const tokens = words(inputs[0]!) + words(inputs[1]!);
    expect(data.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
    expect(data.model).toBe('text-embedding-3-small');
    expect(data.data.map((d) => d.index)).toEqual([0, 1]);
    expect(data.data[0]?.embedding).toEqual(fakeEmbedding(inputs[0]!, 1536));
    expect(data.data[1]?.embedding).toEqual(fakeEmbedding(inputs[1]!, 1536));
    const bill = cost(tokens, SMALL);
    expect(await h.balanceMrp(accountId)).toBe(100_000n - bill);
    const row = await job(response.headers.get('x-aiport-job-id'));
    expect(row).toMatchObject({
      kind: 'embedding',
      status: 'succeeded',
      provider: 'openai',
      inputTokens: tokens,
      costMrp: bill,
      usageEstimated: false,
    });
    expect(h.openai.requests.at(-1)).toMatchObject({
      path: '/v1/embeddings',
      body: { model: 'text-embedding-3-small', input: inputs, encoding_format: 'float' },
    });
    expect(await h.t.container.core.ledger.verify()).toEqual([]);
  });

  it('answers base64 (the SDK default) as little-endian float32 the SDK decodes, and honours dimensions', async () => {
    const { accountId, key } = await h.account(100);
    h.openai.enqueue({ reply: { inputTokens: 4321 } });
    const { data, response } = await h
      .openaiClient(key)
      .embeddings.create({ model: 'text-embedding-3-small', input: 'vektor pendek', dimensions: 256 })
      .withResponse();
    // The SDK asked for base64 and decoded it back to numbers.
    expect(h.openai.requests.at(-1)?.body).toMatchObject({ dimensions: 256 });
    expect(data.data[0]?.embedding).toEqual(fakeEmbedding('vektor pendek', 1536, 256));
    expect(data.usage.prompt_tokens).toBe(4321);
    expect(await h.balanceMrp(accountId)).toBe(100_000n - cost(4321, SMALL));
    expect(response.headers.get('x-aiport-cost-idr')).toBe(String(Number(cost(4321, SMALL)) / 1000));

    const raw = await fetch(`${h.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'text-embedding-3-small', input: 'abc', encoding_format: 'base64' }),
    });
    const body = (await raw.json()) as { data: Array<{ embedding: string }> };
    const bytes = Buffer.from(body.data[0]!.embedding, 'base64');
    expect(bytes.length).toBe(1536 * 4);
    expect(bytes.readFloatLE(4)).toBe(fakeEmbedding('abc', 1536)[1]);
  });

  it('passes token-id arrays to OpenAI', async () => {
    const { key } = await h.account(100);
    const data = await h.openaiClient(key).embeddings.create({
      model: 'text-embedding-3-small',
      input: [
        [1, 2, 3],
        [4, 5],
      ],
      encoding_format: 'float',
    });
    expect(data.usage.prompt_tokens).toBe(5);
    expect(h.openai.requests.at(-1)?.body).toMatchObject({
      input: [
        [1, 2, 3],
        [4, 5],
      ],
    });
  });

  it('translates to Gemini batchEmbedContents and bills our own token count (Gemini reports none)', async () => {
    const { accountId, key } = await h.account(100);
    const inputs = ['dokumen pertama tentang kopi', 'dokumen kedua'];
    const { data, response } = await h
      .openaiClient(key)
      .embeddings.create({
        model: 'gemini-embedding-001',
        input: inputs,
        dimensions: 768,
        encoding_format: 'float',
      })
      .withResponse();
    expect(h.gemini.requests.at(-1)).toMatchObject({
      path: '/v1beta/models/gemini-embedding-001:batchEmbedContents',
      body: {
        requests: inputs.map((text) => ({
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text }] },
          outputDimensionality: 768,
        })),
      },
    });
    expect(data.data[1]?.embedding).toEqual(fakeEmbedding(inputs[1]!, 3072, 768));
    const tokens = await countTextTokens(inputs.join('\n'));
    expect(data.usage.prompt_tokens).toBe(tokens);
    expect(await h.balanceMrp(accountId)).toBe(100_000n - cost(tokens, GEMINI));
    expect(await job(response.headers.get('x-aiport-job-id'))).toMatchObject({
      provider: 'gemini',
      usageEstimated: true,
      inputTokens: tokens,
    });
  });

  it('serves the self-hosted route, and refuses what it cannot do before billing', async () => {
    const { accountId, key } = await h.account(100);
    const client = h.openaiClient(key);
    const data = await client.embeddings.create({
      model: 'local-embedding',
      input: 'teks lokal',
      encoding_format: 'float',
    });
    expect(data.data[0]?.embedding).toHaveLength(1024);
    expect(h.local.requests.at(-1)?.body).toMatchObject({ model: 'bge-m3', input: ['teks lokal'] });
    const paid = 100_000n - cost(2, LOCAL);
    expect(await h.balanceMrp(accountId)).toBe(paid);

    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ model: 'local-embedding', input: 'x', dimensions: 256 }, 'dimensions'],
      [{ model: 'local-embedding', input: [[1, 2]] }, 'input'],
      [{ model: 'text-embedding-3-small', input: 'x', dimensions: 4096 }, 'dimensions'],
      [{ model: 'text-embedding-3-small', input: [] }, 'input'],
      [{ model: 'text-embedding-3-small', input: ['ok', ''] }, 'input'],
      [{ model: 'text-embedding-3-small', input: 'x', encoding_format: 'hex' }, 'encoding_format'],
      [{ model: 'text-embedding-3-small', input: 'x', task_type: 'CLUSTERING' }, ''],
      [{ model: 'gemini-embedding-001', input: 'x', user: 'u-1' }, 'user'],
    ];
    for (const [body, param] of refusals) {
      const error = (await client.embeddings.create(body as never).catch((e: unknown) => e)) as InstanceType<
        typeof OpenAI.APIError
      >;
      expect(error.status, JSON.stringify(body)).toBe(400);
      if (param) expect(error.param, JSON.stringify(body)).toBe(param);
    }
    const notFound = (await client.embeddings
      .create({ model: 'gpt-4o-mini', input: 'x' })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(notFound.status).toBe(404);
    expect(await h.balanceMrp(accountId)).toBe(paid);
  });

  it('keeps the upstream error code of a refused input and bills nothing; estimates missing usage', async () => {
    const { accountId, key } = await h.account(100);
    const client = h.openaiClient(key);
    const long = 'kata '.repeat(9000);
    const error = (await client.embeddings
      .create({ model: 'text-embedding-3-small', input: long })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.code).toBe('context_length_exceeded');
    expect(error.message).not.toMatch(/openai/i);
    expect(await h.balanceMrp(accountId)).toBe(100_000n);

    h.openai.enqueue({ usage: 'missing' });
    const data = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'tanpa usage',
    });
    const estimate = await countTextTokens('tanpa usage');
    expect(data.usage.prompt_tokens).toBe(estimate);
    expect(await h.balanceMrp(accountId)).toBe(100_000n - cost(estimate, SMALL));
  });

  it('fails cleanly without billing when the only route is down or cut', async () => {
    const { accountId, key } = await h.account(100);
    const client = h.openaiClient(key);
    for (const fault of [{ status: 503 }, { cutAfter: 1 }]) {
      h.openai.enqueue(fault);
      const error = (await client.embeddings
        .create({ model: 'text-embedding-3-small', input: 'halo' })
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error.status, JSON.stringify(fault)).toBe(503);
    }
    expect(await h.balanceMrp(accountId)).toBe(100_000n);
    const [row] = await h.t.container.core.db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM jobs WHERE account_id = ${accountId} AND status = 'failed' AND kind = 'embedding'`;
    expect(row?.n).toBe(2);
  });

  it('refuses an uncovered hold with 402 before calling upstream', async () => {
    const { key } = await h.account(0);
    const calls = h.openai.requests.length;
    const error = (await h
      .openaiClient(key)
      .embeddings.create({ model: 'text-embedding-3-small', input: 'halo' })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(402);
    expect(h.openai.requests.length).toBe(calls);
  });
});
