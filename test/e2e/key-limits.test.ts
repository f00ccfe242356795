import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../core/ports/clock.js';
import { type GatewayHarness, startGatewayHarness } from './gateway-harness.js';

let h: GatewayHarness;
// Monday 2026-11-02, 22:00 WIB.
const clock = manualClock(new Date('2026-11-02T15:00:00Z'));

beforeAll(async () => {
  h = await startGatewayHarness({ clock, env: { LOG_LEVEL: process.env.TEST_LOG ?? 'silent' } });
});
afterAll(() => h.close());

async function call(method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

/** A chat request over HTTP, as raw as clients send it. */
function chat(key: string, model = 'gpt-4o-mini', maxTokens = 100) {
  return call('POST', '/v1/chat/completions', key, {
    model,
    messages: [{ role: 'user', content: 'halo' }],
    max_tokens: maxTokens,
  });
}

async function keySpend(keyId: string) {
  const [row] = await h.t.container.core.db.sql<{ spent_mrp: bigint; held_mrp: bigint; cost: bigint }[]>`
    SELECT k.spent_mrp, k.held_mrp,
      (SELECT COALESCE(sum(cost_mrp), 0) FROM jobs WHERE api_key_id = k.id)::bigint AS cost
    FROM api_keys k WHERE k.id = ${keyId}`;
  return row!;
}

describe('API keys with their own budgets, models and limits', () => {
  it('100 concurrent requests on a key with Rp 10 of daily limit never spend more than Rp 10', async () => {
    const { accountId, key: admin } = await h.account(100_000);
    const created = await call('POST', '/account/keys', admin, {
      name: 'app',
      scopes: ['chat'],
      period_limit: { period: 'day', limit_idr: 10 },
    });
    expect(created.status).toBe(201);
    expect(created.body.period_limit).toMatchObject({
      period: 'day',
      limit_idr: 10,
      spent_idr: 0,
      remaining_idr: 10,
    });
    expect(created.body.period_limit.resets_at).toBe('2026-11-02T17:00:00.000Z');
    // Every upstream answer costs Rp 3.1 (1,000 in + 60 out... above the request's hold of ~Rp 1).
    for (let i = 0; i < 100; i++) h.openai.enqueue({ reply: { inputTokens: 1000, outputTokens: 60 } });
    const before = await h.balanceMrp(accountId);
    const results = await Promise.all(Array.from({ length: 100 }, () => chat(created.body.secret)));
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status !== 200);
    expect(ok.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.status).toBe(402);
      expect(r.body.error.code).toBe('key_limit_reached');
      expect(r.body.error.message).toMatch(/daily spend limit of Rp 10/);
    }
    const spend = await keySpend(created.body.id);
    expect(spend.spent_mrp).toBeLessThanOrEqual(10_000n);
    expect(spend.cost).toBe(spend.spent_mrp);
    expect(spend.held_mrp).toBe(0n);
    expect(before - (await h.balanceMrp(accountId))).toBe(spend.spent_mrp);
    expect(await h.t.container.core.ledger.verify(accountId)).toEqual([]);

    const listed = await call('GET', '/account/keys', admin);
    const shown = listed.body.data.find((k: { id: string }) => k.id === created.body.id);
    expect(shown.period_limit.spent_idr * 1000).toBe(Number(spend.spent_mrp));
    expect(shown.spent_idr * 1000).toBe(Number(spend.spent_mrp));

    // At 00:00 WIB the daily limit starts over; the remaining budget is in a header.
    clock.set(new Date('2026-11-02T17:00:00Z'));
    h.openai.enqueue({ reply: { inputTokens: 10, outputTokens: 10 } });
    const next = await chat(created.body.secret);
    expect(next.status).toBe(200);
    expect(next.headers.get('x-aiport-key-remaining-idr')).toBe('10');
  });

  it('refuses models outside the allow-list with 403 in each dialect', async () => {
    const { key: admin } = await h.account(1_000);
    const created = await call('POST', '/account/keys', admin, {
      name: 'mini only',
      models: ['gpt-4o-mini'],
    });
    expect(created.status).toBe(201);
    expect(created.body.models).toEqual(['gpt-4o-mini']);
    const openai = await chat(created.body.secret, 'claude-haiku-4.5');
    expect(openai.status).toBe(403);
    expect(openai.body.error).toMatchObject({ type: 'permission_error', param: 'model' });
    expect(openai.body.error.message).toMatch(/may not use the model "claude-haiku-4.5"/);
    const anthropic = await call('POST', '/v1/messages', created.body.secret, {
      model: 'claude-haiku-4.5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'halo' }],
    });
    expect(anthropic.status).toBe(403);
    expect(anthropic.body).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
    h.openai.enqueue({ reply: { inputTokens: 10, outputTokens: 10 } });
    expect((await chat(created.body.secret)).status).toBe(200);

    const kindOnly = await call('POST', '/account/keys', admin, { name: 'images', kinds: ['image'] });
    const refused = await chat(kindOnly.body.secret);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/may not make chat requests/);
  });

  it('lists in /v1/models only the models the key may use', async () => {
    const { key: admin } = await h.account(1_000);
    const everything = await call('GET', '/v1/models', admin);
    const allIds = everything.body.data.map((m: { id: string }) => m.id);
    expect(allIds).toEqual(expect.arrayContaining(['gpt-4o-mini', 'claude-haiku-4.5']));

    const mini = await call('POST', '/account/keys', admin, { name: 'mini', models: ['gpt-4o-mini'] });
    const listed = await call('GET', '/v1/models', mini.body.secret);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((m: { id: string }) => m.id)).toEqual(['gpt-4o-mini']);
    // The OpenAI client sees the same list.
    const page = await h.openaiClient(mini.body.secret).models.list();
    expect(page.data.map((m) => m.id)).toEqual(['gpt-4o-mini']);
    expect((await call('GET', '/v1/models/gpt-4o-mini', mini.body.secret)).status).toBe(200);
    const other = await call('GET', '/v1/models/claude-haiku-4.5', mini.body.secret);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toMatch(/may not use the model "claude-haiku-4.5"/);

    const chatOnly = await call('POST', '/account/keys', admin, { name: 'chat', kinds: ['chat'] });
    const kinds = await call('GET', '/v1/models', chatOnly.body.secret);
    const ids = kinds.body.data.map((m: { id: string }) => m.id);
    expect(kinds.body.data.every((m: { kind: string }) => m.kind === 'chat')).toBe(true);
    expect(ids).toEqual(
      allIds.filter(
        (id: string) =>
          everything.body.data.find((m: { id: string; kind: string }) => m.id === id).kind === 'chat',
      ),
    );
    expect(ids.length).toBeLessThan(allIds.length);
  });

  it('refuses bad settings with a clear 400 and applies a PATCH to the next request', async () => {
    const { key: admin } = await h.account(1_000);
    const negative = await call('POST', '/account/keys', admin, { name: 'x', total_limit_idr: -1 });
    expect(negative.status).toBe(400);
    const absurd = await call('POST', '/account/keys', admin, { name: 'x', total_limit_idr: 1e20 });
    expect(absurd.status).toBe(400);
    const decimals = await call('POST', '/account/keys', admin, { name: 'x', total_limit_idr: 0.0001 });
    expect(decimals.status).toBe(400);
    const unknown = await call('POST', '/account/keys', admin, { name: 'x', models: ['gpt-9'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/Unknown models: gpt-9/);

    const created = await call('POST', '/account/keys', admin, { name: 'x', total_limit_idr: 0 });
    expect((await chat(created.body.secret)).status).toBe(402);
    const badPatch = await call('PATCH', `/account/keys/${created.body.id}`, admin, { tokens_per_minute: 0 });
    expect(badPatch.status).toBe(400);
    const patched = await call('PATCH', `/account/keys/${created.body.id}`, admin, {
      total_limit_idr: null,
      period_limit: { period: 'month', limit_idr: 50 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      total_limit: null,
      period_limit: { period: 'month', limit_idr: 50 },
    });
    h.openai.enqueue({ reply: { inputTokens: 10, outputTokens: 10 } });
    expect((await chat(created.body.secret)).status).toBe(200);
    const missing = await call('PATCH', '/account/keys/00000000-0000-4000-8000-000000000000', admin, {
      name: 'y',
    });
    expect(missing.status).toBe(404);
  });

  it('a limit lowered while requests run still caps what they are charged', async () => {
    const { accountId, key: admin } = await h.account(100_000);
    const created = await call('POST', '/account/keys', admin, { name: 'race', total_limit_idr: 1_000 });
    for (let i = 0; i < 30; i++) h.openai.enqueue({ reply: { inputTokens: 1000, outputTokens: 60 } });
    const requests = Promise.all(Array.from({ length: 30 }, () => chat(created.body.secret)));
    const patch = call('PATCH', `/account/keys/${created.body.id}`, admin, { total_limit_idr: 5 });
    const [results, patched] = await Promise.all([requests, patch]);
    expect([
      patched.status,
      results.filter((r) => r.status !== 200 && r.status !== 402).map((r) => r.status),
    ]).toEqual([200, []]);
    expect(
      results.filter((r) => r.status !== 200 && r.status !== 402).map((r) => [r.status, r.body]),
    ).toEqual([]);
    const spend = await keySpend(created.body.id);
    expect(spend.cost).toBe(spend.spent_mrp);
    expect(spend.held_mrp).toBe(0n);
    expect(await h.t.container.core.ledger.verify(accountId)).toEqual([]);
    // Everything charged after the PATCH fits under the new limit: the key is now full or nearly.
    const after = await chat(created.body.secret, 'gpt-4o-mini', 10_000);
    expect(after.status).toBe(402);
  });

  it("limits a key's requests per minute below the account's, in the same counters", async () => {
    const { key: admin } = await h.account(1_000);
    const slow = await call('POST', '/account/keys', admin, { name: 'slow', requests_per_minute: 2 });
    expect(slow.body.requests_per_minute).toBe(2);
    for (let i = 0; i < 4; i++) h.openai.enqueue({ reply: { inputTokens: 10, outputTokens: 10 } });
    expect((await chat(slow.body.secret)).status).toBe(200);
    expect((await chat(slow.body.secret)).status).toBe(200);
    const limited = await chat(slow.body.secret);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-limit-requests')).toBe('2');
    // The account's other key is not slowed by this one's limit.
    expect((await chat(admin)).status).toBe(200);
    // Raising the key's limit gives it room (within the policy's cache of 30 s of virtual time).
    await call('PATCH', `/account/keys/${slow.body.id}`, admin, { requests_per_minute: null });
    clock.advance(31_000);
    expect((await chat(slow.body.secret)).status).toBe(200);
  });

  it('filters /account/usage and its CSV by key', async () => {
    const { key: admin } = await h.account(1_000);
    const other = await call('POST', '/account/keys', admin, { name: 'other', scopes: ['chat'] });
    h.openai.enqueue({ reply: { inputTokens: 10, outputTokens: 10 } });
    h.openai.enqueue({ reply: { inputTokens: 10, outputTokens: 10 } });
    expect((await chat(admin)).status).toBe(200);
    expect((await chat(other.body.secret)).status).toBe(200);
    const from = new Date(clock.now().getTime() - 3_600_000).toISOString();
    const to = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const all = await call('GET', `/account/usage?${range}`, admin);
    expect(all.status).toBe(200);
    expect(all.body.data).toHaveLength(2);
    const one = await call('GET', `/account/usage?${range}&key_id=${other.body.id}`, admin);
    expect(one.body.data.map((r: { api_key_id: string }) => r.api_key_id)).toEqual([other.body.id]);
    const csv = await fetch(`${h.url}/account/usage?${range}&format=csv&key_id=${other.body.id}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(other.body.id);
    const bad = await call('GET', `/account/usage?${range}&key_id=nope`, admin);
    expect(bad.status).toBe(400);
  });
});
