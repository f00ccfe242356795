import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGatewayHarness } from './gateway-harness.js';

/**
 * The one failover policy, driven through the wire-format fakes: every route-level fault a
 * provider documents (a bad or expired key, an exhausted quota, a spend or organization limit)
 * moves the request to the next route and counts against the broken route; a caller's bad request
 * does not.
 */

const route = (provider: string, model: string) => ({ provider, model });
const chat = (id: string, routes: Array<{ provider: string; model: string }>) => ({
  id,
  kind: 'chat',
  name: id,
  max_output_tokens: 1000,
  context_window: 128_000,
  vision: true,
  tools: true,
  price: { input_per_mtok: 2500, output_per_mtok: 10000 },
  routes,
});

const CATALOG = {
  defaults: { chat: 'fo-openai' },
  models: [
    chat('fo-openai', [route('openai', 'gpt-4o-mini'), route('openai-compatible', 'qwen2.5-7b-instruct')]),
    chat('fo-anthropic', [route('anthropic', 'claude-sonnet-4-5'), route('openai', 'gpt-4o-mini')]),
    // Fresh routes (health orders a route that failed before behind the others).
    chat('fo-anthropic-console', [route('anthropic', 'claude-console'), route('openai', 'gpt-4o-mini')]),
    chat('fo-anthropic-client', [route('anthropic', 'claude-client'), route('openai', 'gpt-4o-mini')]),
    chat('fo-gemini', [route('gemini', 'gemini-3-flash-preview'), route('openai', 'gpt-4o-mini')]),
    chat('fo-deepseek', [route('deepseek', 'deepseek-chat'), route('openai', 'gpt-4o-mini')]),
    // Embedding routes must give the same vectors: here a self-hosted mirror of the same model.
    {
      id: 'fo-embedding',
      kind: 'embedding',
      dimensions: 1536,
      adjustable_dimensions: true,
      price: { input_per_mtok: 330 },
      routes: [
        route('openai', 'text-embedding-3-small'),
        route('openai-compatible', 'text-embedding-3-small'),
      ],
    },
  ],
};

let h: GatewayHarness;
let client: OpenAI;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aiport-failover-'));
  const catalogFile = join(dir, 'catalog.json');
  await writeFile(catalogFile, JSON.stringify(CATALOG));
  // Our Gemini key has expired: Google answers HTTP 400 with ErrorInfo reason API_KEY_INVALID.
  h = await startGatewayHarness({ env: { CATALOG_FILE: catalogFile, GEMINI_API_KEY: 'expired-gemini-key' } });
  client = h.openaiClient((await h.account(100_000)).key);
});
afterAll(() => h.close());

async function attemptsOf(jobId: string) {
  const job = await h.t.container.core.jobs.get(jobId);
  return job!.attempts.map((a) => `${a.provider}:${a.status}${a.httpStatus ? `:${a.httpStatus}` : ''}`);
}

function failuresOf(provider: string, model: string): number {
  const routes = h.t.container.core.gateway.health();
  return routes.find((r) => r.provider === provider && r.model === model)?.failures ?? 0;
}

async function ask(model: string) {
  const { data, response } = await client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'halo' }] })
    .withResponse();
  return { data, jobId: response.headers.get('x-aiport-job-id')! };
}

describe('route-level faults fail over, in each provider’s own shape', () => {
  it('Gemini: an expired key (HTTP 400 API_KEY_INVALID) is our fault, not the caller’s', async () => {
    const before = failuresOf('gemini', 'gemini-3-flash-preview');
    const { data, jobId } = await ask('fo-gemini');
    expect(data.choices[0]?.message.content).toContain('halo');
    expect(await attemptsOf(jobId)).toEqual(['gemini:error:400', 'openai:ok']);
    expect(failuresOf('gemini', 'gemini-3-flash-preview')).toBe(before + 1);
  });

  it.each([
    [429, 'contract_spend_limit_reached'],
    [429, 'ramp_limit_exceeded'],
    [429, 'enforced_spend_limit_reached'],
    [402, 'linked_organization_spend_limit_reached'],
  ])('Anthropic: HTTP %i %s', async (status, errorCode) => {
    const before = failuresOf('anthropic', 'claude-sonnet-4-5');
    h.anthropic.enqueue({ status, errorCode });
    const { jobId } = await ask('fo-anthropic');
    expect(await attemptsOf(jobId)).toEqual([`anthropic:error:${status}`, 'openai:ok']);
    expect(failuresOf('anthropic', 'claude-sonnet-4-5')).toBe(before + 1);
  });

  it('Anthropic: a spend limit set in the Console (HTTP 400, known only by its message)', async () => {
    h.anthropic.enqueue({
      status: 400,
      errorMessage: 'You have reached your specified API usage limits. You will regain access on 2026-12-01.',
    });
    const { jobId } = await ask('fo-anthropic-console');
    expect(await attemptsOf(jobId)).toEqual(['anthropic:error:400', 'openai:ok']);
  });

  it('OpenAI: an exhausted quota (429 insufficient_quota) and a revoked key (401)', async () => {
    h.openai.enqueue({ status: 429, errorType: 'insufficient_quota', errorCode: 'insufficient_quota' });
    const quota = await ask('fo-openai');
    expect(await attemptsOf(quota.jobId)).toEqual(['openai:error:429', 'openai-compatible:ok']);
    h.openai.enqueue({ status: 401, errorType: 'invalid_request_error', errorCode: 'invalid_api_key' });
    const key = await ask('fo-openai');
    expect(await attemptsOf(key.jobId)).toEqual(['openai:error:401', 'openai-compatible:ok']);
  });

  it('DeepSeek: an empty balance (402 Insufficient Balance)', async () => {
    h.deepseek.enqueue({ status: 402 });
    const { jobId } = await ask('fo-deepseek');
    expect(await attemptsOf(jobId)).toEqual(['deepseek:error:402', 'openai:ok']);
  });
});

describe('embeddings fail over by the same policy', () => {
  async function embed(input: string) {
    const { data, response } = await client.embeddings
      .create({ model: 'fo-embedding', input, encoding_format: 'float' })
      .withResponse();
    return { data, jobId: response.headers.get('x-aiport-job-id')! };
  }

  it('moves on after a server error, an exhausted quota or a cut answer, and bills the serving route', async () => {
    h.openai.enqueue({ status: 503 });
    const overloaded = await embed('satu dua');
    expect(await attemptsOf(overloaded.jobId)).toEqual(['openai:error:503', 'openai-compatible:ok']);
    expect(overloaded.data.usage.prompt_tokens).toBe(2);
    h.openai.enqueue({ status: 429, errorType: 'insufficient_quota', errorCode: 'insufficient_quota' });
    const quota = await embed('tiga');
    expect(await attemptsOf(quota.jobId)).toEqual(['openai:error:429', 'openai-compatible:ok']);
    h.openai.enqueue({ cutAfter: 1 });
    const cut = await embed('empat');
    expect(await attemptsOf(cut.jobId)).toEqual(['openai:error', 'openai-compatible:ok']);
    const job = await h.t.container.core.jobs.get(cut.jobId);
    expect(job).toMatchObject({
      kind: 'embedding',
      provider: 'openai-compatible',
      inputTokens: 1,
      costMrp: 1n,
    });
  });

  it('answers the caller’s bad input as is, without trying the next route', async () => {
    h.openai.enqueue({ status: 400, errorMessage: "'$.input' is invalid." });
    const calls = h.local.requests.length;
    const error = (await client.embeddings
      .create({ model: 'fo-embedding', input: 'x' })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(h.local.requests.length).toBe(calls);
  });
});

describe('the caller’s own fault', () => {
  it('is answered as is, not retried elsewhere, and does not count against the route', async () => {
    const before = failuresOf('anthropic', 'claude-client');
    h.anthropic.enqueue({ status: 400, errorMessage: 'messages: text content blocks must be non-empty' });
    const calls = h.openai.requests.length;
    const error = (await client.chat.completions
      .create({ model: 'fo-anthropic-client', messages: [{ role: 'user', content: 'halo' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(h.openai.requests.length).toBe(calls);
    expect(failuresOf('anthropic', 'claude-client')).toBe(before);
  });
});
