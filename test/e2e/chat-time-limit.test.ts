import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGatewayHarness } from './gateway-harness.js';

// An answer may run CHAT_MAX_ANSWER_MS at most: its hold outlives that (plus the drain), so the
// sweeper never frees the hold of a live answer and a long stream can never end up free.
let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness({
    env: { CHAT_MAX_ANSWER_MS: '1000', CHAT_DRAIN_TIMEOUT_MS: '500', UPSTREAM_IDLE_TIMEOUT_MS: '20000' },
  });
});
afterAll(() => h.close());

async function lastJob(accountId: string) {
  let job = (await h.t.container.core.jobs.listForAccount(accountId))[0];
  for (let i = 0; i < 100 && job?.status === 'running'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    job = (await h.t.container.core.jobs.listForAccount(accountId))[0];
  }
  return job;
}

describe('the answer time limit', () => {
  it('cuts a stream that runs too long, bills the part sent, ends with an error, and held it long enough', async () => {
    const { accountId, key } = await h.account(1000);
    h.openai.enqueue({ reply: { text: 'satu dua tiga empat lima enam' }, stallAfter: 4 });
    const stream = await h.openaiClient(key).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'cerita panjang' }],
      stream: true,
      max_tokens: 100,
    });
    let text = '';
    let failure: unknown;
    try {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    } catch (error) {
      failure = error;
    }
    expect(text).not.toBe('');
    expect(String((failure as Error | undefined)?.message)).toMatch(/longest an answer may run/);

    const job = await lastJob(accountId);
    expect(job).toMatchObject({ status: 'succeeded', usageEstimated: true, errorCode: 'answer_too_long' });
    expect(job?.costMrp).toBeGreaterThan(0n);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - job!.costMrp!);
    const [hold] = await h.t.container.core.db.sql<{ status: string; lifetime_ms: number }[]>`
      SELECT status, extract(epoch FROM expires_at - created_at) * 1000 AS lifetime_ms
      FROM holds WHERE account_id = ${accountId}`;
    expect(hold?.status).toBe('settled');
    // The hold outlives the answer's limit and the drain: the sweeper can only free a crashed run's.
    expect(Number(hold?.lifetime_ms)).toBeGreaterThan(1000 + 500);
    expect(await h.t.container.core.ledger.verify(accountId)).toEqual([]);
  });

  it('a buffered answer cut before anything was delivered costs nothing', async () => {
    const { accountId, key } = await h.account(1000);
    h.openai.enqueue({ reply: { text: 'satu dua tiga empat lima enam' }, stallAfter: 4 });
    const status = await h
      .openaiClient(key)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'cerita' }] })
      .then(
        () => 200,
        (e: InstanceType<typeof OpenAI.APIError>) => e.status,
      );
    expect(status).toBeGreaterThanOrEqual(500);
    const job = await lastJob(accountId);
    expect(job).toMatchObject({ status: 'failed', costMrp: 0n });
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
    expect(await h.t.container.core.ledger.verify(accountId)).toEqual([]);
  });
});
