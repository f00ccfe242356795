import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MediaHarness, money, startMediaHarness } from './media-harness.js';

/**
 * Media follows the same failover policy as chat (routing/failover): a route-level fault of the
 * first image route moves the job to the next route; the caller's bad request does not.
 */

let h: MediaHarness;

beforeAll(async () => {
  h = await startMediaHarness();
});
afterAll(() => h.close());

async function attemptsOf(accountId: string) {
  const [job] = await h.database.sql<{ attempts: Array<{ provider: string; status: string }> }[]>`
    SELECT attempts FROM jobs WHERE account_id = ${accountId}`;
  return job!.attempts.map((a) => `${a.provider}:${a.status}`);
}

describe('image routes', () => {
  it('a request the upstream calls invalid is answered as is, never sent to the next route', async () => {
    const { accountId, client } = await h.account(10_000);
    const geminiCalls = h.gemini.requests.length;
    h.openai.failNext({
      status: 400,
      type: 'invalid_request_error',
      message: 'Invalid value for background.',
    });
    const error = (await client.images
      .generate({ model: 'duo-image', prompt: 'a harbour' })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(h.gemini.requests.length).toBe(geminiCalls);
    expect(await attemptsOf(accountId)).toEqual(['openai:error']);
    expect(await money(h, accountId)).toMatchObject({ charges: [], heldMrp: 0n, balanceMrp: 10_000_000n });
  });

  it('our exhausted OpenAI quota (429 insufficient_quota) fails over to Gemini; one charge', async () => {
    const { accountId, client } = await h.account(10_000);
    h.openai.failNext({ status: 429, type: 'insufficient_quota', code: 'insufficient_quota' });
    const result = await client.images.generate({ model: 'duo-image', prompt: 'a harbour' });
    expect(result.data).toHaveLength(1);
    expect(await attemptsOf(accountId)).toEqual(['openai:error', 'gemini:ok']);
    expect((await money(h, accountId)).charges).toEqual([600_000n]);
  });
});
