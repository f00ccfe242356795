import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatHold } from '../../core/metering/index.js';
import { manualClock } from '../../core/ports/clock.js';
import { type GatewayHarness, startGatewayHarness } from './gateway-harness.js';

let h: GatewayHarness;
const clock = manualClock();
beforeAll(async () => {
  h = await startGatewayHarness({
    clock,
    env: { BREAKER_FAILURE_THRESHOLD: '2', BREAKER_COOLDOWN_MS: '30000', CHAT_DRAIN_TIMEOUT_MS: '300' },
  });
});
afterAll(() => h.close());

const openaiRoute = () =>
  h.t.container.core.gateway.health().find((r) => r.provider === 'openai' && r.model === 'gpt-4o-mini');

describe('circuit breaker', () => {
  it('opens after repeated failures, skips the route, probes after the cool-down and recovers', async () => {
    const { key } = await h.account(1000);
    const client = h.openaiClient(key);
    const ask = () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'cek' }] });
    h.openai.enqueue({ status: 500 }, 2);
    await ask();
    await ask();
    expect(openaiRoute()).toMatchObject({ state: 'open', consecutiveFailures: 2 });

    const before = h.openai.requests.length;
    expect((await ask()).choices[0]?.message.content).toBe('Echo: cek');
    expect(h.openai.requests.length).toBe(before); // skipped while open

    // A failed half-open probe re-opens it.
    clock.advance(30_000);
    expect(openaiRoute()?.state).toBe('half-open');
    h.openai.enqueue({ status: 503 });
    await ask();
    expect(h.openai.requests.length).toBe(before + 1);
    expect(openaiRoute()?.state).toBe('open');

    // A successful probe closes it.
    clock.advance(30_000);
    await ask();
    expect(h.openai.requests.length).toBe(before + 2);
    expect(openaiRoute()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    clock.advance(30 * 60_000);
  });
});

describe('a client that leaves mid-answer', () => {
  it('is billed once, from the upstream usage, after the run kept reading', async () => {
    const { accountId } = await h.account(1000);
    const { core } = h.t.container;
    h.openai.enqueue({
      reply: { text: 'satu dua tiga empat lima enam tujuh', inputTokens: 300, outputTokens: 700 },
    });
    const controller = new AbortController();
    const run = core.gateway.runChat({
      accountId,
      channel: 'api',
      modelId: 'gpt-4o-mini',
      request: {
        messages: [{ role: 'user', content: [{ type: 'text', text: 'cerita' }] }],
        maxOutputTokens: 1000,
      },
      signal: controller.signal,
    });
    let received = '';
    for await (const part of run) {
      if (part.type === 'text-delta') {
        received += part.text;
        controller.abort();
        break;
      }
    }
    const outcome = await run.result;
    expect(received).toBe('satu ');
    expect(outcome).toMatchObject({
      status: 'cancelled',
      usageEstimated: false,
      text: 'satu dua tiga empat lima enam tujuh',
    });
    const expected = (300n * 2_500_000n + 700n * 10_000_000n + 999_999n) / 1_000_000n;
    expect(outcome.costMrp).toBe(expected);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - expected);
    const charges = (await core.ledger.entries(accountId)).filter((e) => e.kind === 'charge');
    expect(charges).toHaveLength(1);
    const job = await core.jobs.get(outcome.jobId);
    expect(job).toMatchObject({ status: 'cancelled', errorCode: 'client_closed', costMrp: expected });
    expect(job?.errorMessage).toMatch(/read to the end/);
  });

  it('over HTTP: a stalled upstream is read until the drain limit, and the produced part billed as an estimate', async () => {
    const { accountId, key } = await h.account(1000);
    h.openai.enqueue({ reply: { text: 'satu dua tiga empat lima enam' }, stallAfter: 4 });
    const controller = new AbortController();
    const stream = await h.openaiClient(key).chat.completions.create(
      {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'cerita' }],
        stream: true,
        max_tokens: 100,
      },
      { signal: controller.signal },
    );
    try {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) controller.abort();
      }
    } catch {
      // the client's own abort
    }
    let job = (await h.t.container.core.jobs.listForAccount(accountId))[0];
    for (let i = 0; i < 100 && job?.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await h.t.container.core.jobs.listForAccount(accountId))[0];
    }
    expect(job).toMatchObject({ status: 'cancelled', usageEstimated: true, errorCode: 'client_closed' });
    expect(job?.errorMessage).toMatch(/drain limit/);
    expect(job?.costMrp).toBeGreaterThan(0n);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - job!.costMrp!);
    expect(await h.t.container.core.ledger.verify(accountId)).toEqual([]);
  });
});

describe('concurrency and limits', () => {
  it('100 concurrent requests with balance for 10: 10 answered, the rest 402, never negative', async () => {
    const { core } = h.t.container;
    const request = {
      messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'halo' }] }],
      maxOutputTokens: 50,
    };
    const hold = chatHold(core.catalog.get('gpt-4o-mini', 'chat'), request);
    const { accountId, key } = await h.account('0');
    // The rate limits out of the way: this test is about the balance.
    await core.db
      .sql`UPDATE accounts SET limits = ${core.db.sql.json({ tokensPerMinute: 1e12 })} WHERE id = ${accountId}`;
    await core.ledger.credit('topup', {
      accountId,
      amountMrp: hold.amountMrp * 10n,
      idempotencyKey: `t10:${accountId}`,
    });
    // Every answer reports exactly the usage its hold was made for, so each success charges its hold
    // and no more, whatever order the holds and settles interleave in (usage above a hold takes free
    // balance too, so a settle before the tenth hold would leave fewer than ten served).
    h.openai.enqueue(
      { reply: { inputTokens: hold.inputTokens, outputTokens: hold.maxOutputTokens }, latencyMs: 50 },
      100,
    );
    const client = h.openaiClient(key);
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        client.chat.completions
          .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'halo' }], max_tokens: 50 })
          .then(
            () => 200,
            (e: InstanceType<typeof OpenAI.APIError>) => e.status,
          ),
      ),
    );
    expect(results.filter((s) => s === 200)).toHaveLength(10);
    expect(results.filter((s) => s === 402)).toHaveLength(90);
    const balance = await core.ledger.balance(accountId);
    expect(balance).toEqual({ balanceMrp: 0n, heldMrp: 0n, availableMrp: 0n });
    expect(await core.ledger.verify()).toEqual([]);
  });

  it('rate limits per account: 429 with retry-after and x-ratelimit headers', async () => {
    const { accountId, key } = await h.account(1000);
    await h.t.container.core.db.sql`
      UPDATE accounts SET limits = ${h.t.container.core.db.sql.json({ requestsPerMinute: 2, tokensPerMinute: 100_000 })}
      WHERE id = ${accountId}`;
    const post = () =>
      fetch(`${h.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'local-llm', messages: [{ role: 'user', content: 'halo' }] }),
      });
    const first = await post();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect((await post()).status).toBe(200);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The exact wait the OpenAI and Anthropic SDKs prefer, consistent with the seconds.
    const waitMs = Number(limited.headers.get('retry-after-ms'));
    expect(waitMs).toBeGreaterThan(0);
    expect(Math.ceil(waitMs / 1000)).toBeLessThanOrEqual(Number(limited.headers.get('retry-after')));
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const body = (await limited.json()) as { error: { code: string; type: string; message: string } };
    expect(body.error).toMatchObject({ code: 'rate_limited', type: 'rate_limit_error' });
    expect(await h.balanceMrp(accountId)).toBeLessThan(1_000_000n); // the two answered were billed
  });

  it('rate limits tokens per minute, and a request larger than the budget is told so', async () => {
    const { accountId, key } = await h.account(1000);
    await h.t.container.core.db.sql`
      UPDATE accounts SET limits = ${h.t.container.core.db.sql.json({ tokensPerMinute: 50 })} WHERE id = ${accountId}`;
    const response = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'local-llm',
        messages: [{ role: 'user', content: 'kata '.repeat(200) }],
      }),
    });
    expect(response.status).toBe(429);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/larger than your limit of 50 tokens per minute/);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
  });
});
