import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../core/ports/clock.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const clock = manualClock(new Date('2026-11-01T00:00:00Z'));
const PASSWORD = 'a sturdy passphrase';
let t: TestApp;

async function call(
  method: string,
  url: string,
  options: { body?: unknown; token?: string; accept?: string } = {},
) {
  const response = await t.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.accept ? { accept: options.accept } : {}),
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
  });
  const isJson = response.headers['content-type']?.toString().includes('json');
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  const body = (isJson ? response.json() : {}) as Record<string, any>;
  return { status: response.statusCode, body, text: response.body, headers: response.headers };
}

interface Person {
  id: string;
  token: string;
  keySecret: string;
  keyId: string;
  marker: string;
}

/** An account with a key, money, a job with content, a chat identity and conversation history. */
async function person(email: string, marker: string): Promise<Person> {
  expect(
    (await call('POST', '/auth/signup', { body: { email, password: PASSWORD, name: `Name ${marker}` } }))
      .status,
  ).toBe(201);
  const login = await call('POST', '/auth/login', { body: { email, password: PASSWORD } });
  const token = login.body.token as string;
  const id = login.body.account.id as string;
  const key = await call('POST', '/account/keys', { token, body: { name: `key ${marker}` } });
  const { sql } = t.container.db;
  await t.container.core.ledger.credit('topup', {
    accountId: id,
    amountMrp: 50_000_000n,
    idempotencyKey: `topup-${marker}`,
    reason: `transfer ${marker}`,
  });
  await sql`
    INSERT INTO jobs (account_id, api_key_id, channel, kind, model, status, prompt, output, input_tokens, output_tokens, cost_mrp, created_at)
    VALUES (${id}, ${key.body.id}, 'api', 'chat', 'gpt-4o-mini', 'succeeded',
            ${sql.json({ messages: [{ role: 'user', content: `prompt ${marker}` }] })},
            ${sql.json({ text: `output ${marker}` })}, 10, 20, 1237, ${new Date('2026-10-20T10:00:00Z')}),
           (${id}, NULL, 'telegram', 'image', 'gpt-image-1', 'succeeded', NULL, NULL, NULL, NULL, 700000,
            ${new Date('2026-09-01T10:00:00Z')})`;
  await sql`INSERT INTO identities (account_id, platform, external_id, display_name)
            VALUES (${id}, 'telegram', ${`tg-${marker}`}, ${`tg name ${marker}`})`;
  const [conversation] =
    await sql`INSERT INTO conversations (platform, chat_key) VALUES ('telegram', ${`chat-${marker}`}) RETURNING id`;
  await sql`INSERT INTO conversation_messages (conversation_id, account_id, role, content)
            VALUES (${conversation!.id}, ${id}, 'user', ${`history ${marker}`})`;
  return { id, token, keySecret: key.body.secret, keyId: key.body.id, marker };
}

let ani: Person;
let budi: Person;

beforeAll(async () => {
  t = await createTestApp({ clock });
  ani = await person('ani@example.com', 'MARK-ANI-7c1');
  budi = await person('budi@example.com', 'MARK-BUDI-9f2');
});
afterAll(() => t.close());

describe('GET /account/export', () => {
  it('contains everything about the caller and nothing of other accounts or secrets', async () => {
    const res = await call('GET', '/account/export', { token: ani.token });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="aiport-export-2026-11-01\.json"/,
    );
    const data = res.body;
    expect(data.profile).toMatchObject({
      id: ani.id,
      email: 'ani@example.com',
      name: 'Name MARK-ANI-7c1',
      balance_idr: 50_000,
    });
    expect(data.identities).toEqual([
      expect.objectContaining({ platform: 'telegram', external_id: 'tg-MARK-ANI-7c1' }),
    ]);
    expect(data.api_keys).toEqual([expect.objectContaining({ id: ani.keyId, name: 'key MARK-ANI-7c1' })]);
    expect(data.ledger).toEqual([expect.objectContaining({ amount_idr: 50_000, kind: 'topup' })]);
    expect(data.jobs).toHaveLength(2);
    expect(data.jobs.find((j: { kind: string }) => j.kind === 'chat')).toMatchObject({
      cost_idr: 1.237,
      prompt: { messages: [{ role: 'user', content: 'prompt MARK-ANI-7c1' }] },
      output: { text: 'output MARK-ANI-7c1' },
    });
    expect(data.conversation_messages).toEqual([
      expect.objectContaining({ content: 'history MARK-ANI-7c1' }),
    ]);
    expect(data.activity.map((a: { action: string }) => a.action)).toContain('api_key.create');

    expect(res.text).not.toContain('MARK-BUDI');
    expect(res.text).not.toContain(budi.id);
    const [keyRow] = await t.container.db.sql`SELECT hash FROM api_keys WHERE id = ${ani.keyId}`;
    expect(res.text).not.toContain(keyRow!.hash);
    expect(res.text).not.toContain(ani.keySecret);
    expect(res.text).not.toMatch(/argon2/);
  });

  it('works with an API key that has the account scope, and refuses without credentials', async () => {
    expect((await call('GET', '/account/export', { token: ani.keySecret })).body.profile.id).toBe(ani.id);
    expect((await call('GET', '/account/export')).status).toBe(401);
  });
});

describe('GET /account/usage', () => {
  it('reports a date range as JSON with exact costs', async () => {
    const res = await call('GET', '/account/usage?from=2026-10-01&to=2026-10-31', { token: ani.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'usage',
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      total_cost_idr: '1.237',
      truncated: false,
    });
    expect(res.body.data).toEqual([
      expect.objectContaining({
        model: 'gpt-4o-mini',
        input_tokens: 10,
        output_tokens: 20,
        cost_idr: '1.237',
      }),
    ]);
    expect(res.text).not.toContain('prompt MARK');
  });

  it('reports as CSV by format or Accept header', async () => {
    const res = await call('GET', '/account/usage?from=2026-08-01&to=2026-11-01&format=csv', {
      token: ani.token,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'created_at,id,channel,kind,model,status,api_key_id,input_tokens,output_tokens,cached_tokens,units,cost_idr',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^2026-09-01T10:00:00.000Z,.*,telegram,image,gpt-image-1,succeeded,,,,,,700$/);
    const byAccept = await call('GET', '/account/usage?from=2026-08-01', {
      token: ani.token,
      accept: 'text/csv',
    });
    expect(byAccept.text.trim().split('\r\n')).toHaveLength(3);
  });

  it('refuses bad ranges clearly', async () => {
    const backwards = await call('GET', '/account/usage?from=2026-10-10&to=2026-10-01', { token: ani.token });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toMatch(/after/);
    expect(
      (await call('GET', '/account/usage?from=2020-01-01&to=2026-01-01', { token: ani.token })).body.error
        .message,
    ).toMatch(/at most 366 days/);
    expect((await call('GET', '/account/usage?from=yesterday', { token: ani.token })).status).toBe(400);
    expect((await call('GET', '/account/usage?format=xml', { token: ani.token })).status).toBe(400);
  });
});

describe('PATCH /account', () => {
  it('corrects the name, sets zero retention, and re-verifies a changed email', async () => {
    const { sql } = t.container.db;
    await sql`UPDATE accounts SET email_verified_at = now() WHERE id = ${budi.id}`;
    const res = await call('PATCH', '/account', {
      token: budi.token,
      body: { name: 'Budi Santoso', email: 'Budi.Baru@Example.com', zero_retention: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Budi Santoso',
      email: 'budi.baru@example.com',
      email_verified: false,
      zero_retention: true,
    });
    const [audit] =
      await sql`SELECT before, after, ip FROM audit_log WHERE action = 'account.update' AND actor_id = ${budi.id}`;
    expect(audit!.before).toMatchObject({ email: 'budi@example.com' });
    expect(audit!.after).toMatchObject({ email: 'budi.baru@example.com', zero_retention: true });
  });

  it('refuses an email in use, an invalid email, unknown fields and an empty body', async () => {
    expect(
      (await call('PATCH', '/account', { token: budi.token, body: { email: 'ani@example.com' } })).status,
    ).toBe(409);
    expect((await call('PATCH', '/account', { token: budi.token, body: { email: 'nope' } })).status).toBe(
      400,
    );
    expect(
      (await call('PATCH', '/account', { token: budi.token, body: { balance_idr: 1e9 } })).body.error.message,
    ).toMatch(/Unknown field/);
    expect((await call('PATCH', '/account', { token: budi.token, body: {} })).status).toBe(400);
  });
});

describe('DELETE /account', () => {
  it('needs the confirmation word and the password', async () => {
    const none = await call('DELETE', '/account', { token: ani.token, body: { confirm: 'yes' } });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/DELETE/);
    expect(
      (await call('DELETE', '/account', { token: ani.token, body: { confirm: 'DELETE' } })).body.error
        .message,
    ).toMatch(/password/);
    expect(
      (
        await call('DELETE', '/account', {
          token: ani.token,
          body: { confirm: 'DELETE', password: 'wrong password!' },
        })
      ).status,
    ).toBe(401);
    expect((await call('GET', '/account', { token: ani.token })).status).toBe(200);
  });

  it('erases personal data at once, revokes keys, unlinks identities, keeps billing anonymized', async () => {
    const res = await call('DELETE', '/account', {
      token: ani.token,
      body: { confirm: 'DELETE', password: PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted: true, outcome: 'erased' });

    const { sql } = t.container.db;
    const [account] =
      await sql`SELECT email, name, password_hash, status, anonymized_at, balance_mrp FROM accounts WHERE id = ${ani.id}`;
    expect(account).toMatchObject({
      email: null,
      name: null,
      password_hash: null,
      status: 'closed',
      balance_mrp: 50_000_000n,
    });
    expect(account!.anonymized_at).not.toBeNull();
    expect(await sql`SELECT 1 FROM identities WHERE account_id = ${ani.id}`).toHaveLength(0);
    expect(await sql`SELECT 1 FROM conversation_messages WHERE account_id = ${ani.id}`).toHaveLength(0);
    const keys = await sql`SELECT revoked_at FROM api_keys WHERE account_id = ${ani.id}`;
    expect(keys.every((k) => k.revoked_at !== null)).toBe(true);
    const jobs =
      await sql`SELECT prompt, output, cost_mrp FROM jobs WHERE account_id = ${ani.id} ORDER BY created_at`;
    expect(jobs).toEqual([
      { prompt: null, output: null, cost_mrp: 700000n },
      { prompt: null, output: null, cost_mrp: 1237n },
    ]);
    expect(await sql`SELECT 1 FROM ledger_entries WHERE account_id = ${ani.id}`).toHaveLength(1);
    expect(await t.container.core.ledger.verify(ani.id)).toEqual([]);
    const dump = JSON.stringify(await sql`SELECT * FROM accounts WHERE id = ${ani.id}`, (_, v) =>
      typeof v === 'bigint' ? String(v) : v,
    );
    expect(dump).not.toContain('MARK-ANI');

    // The session, the key and the password no longer work; the email is free again.
    expect((await call('GET', '/account', { token: ani.token })).status).toBe(401);
    expect((await call('GET', '/account', { token: ani.keySecret })).status).toBe(401);
    expect(
      (await call('POST', '/auth/login', { body: { email: 'ani@example.com', password: PASSWORD } })).status,
    ).toBe(401);
    expect(
      (await call('POST', '/auth/signup', { body: { email: 'ani@example.com', password: PASSWORD } })).status,
    ).toBe(201);

    // The other account is untouched.
    const other = await call('GET', '/account/export', { token: budi.token });
    expect(other.body.conversation_messages).toHaveLength(1);
    expect(other.body.jobs.find((j: { kind: string }) => j.kind === 'chat').prompt).not.toBeNull();
  });

  it('has no way to name another account', async () => {
    expect(
      (await call('DELETE', `/account/${budi.id}`, { token: ani.token, body: { confirm: 'DELETE' } })).status,
    ).toBe(404);
    expect(
      (await call('GET', `/account/export?account_id=${budi.id}`, { token: budi.token })).body.profile.id,
    ).toBe(budi.id);
  });

  it('under legal hold closes the account and revokes keys, and keeps the data', async () => {
    const { sql } = t.container.db;
    const held = await person('held@example.com', 'MARK-HELD-3a9');
    await sql`UPDATE accounts SET legal_hold = true WHERE id = ${held.id}`;
    const res = await call('DELETE', '/account', {
      token: held.token,
      body: { confirm: 'DELETE', password: PASSWORD },
    });
    expect(res.body).toEqual({ deleted: true, outcome: 'deferred_legal_hold' });
    const [account] = await sql`SELECT email, status FROM accounts WHERE id = ${held.id}`;
    expect(account).toEqual({ email: 'held@example.com', status: 'closed' });
    expect(await sql`SELECT 1 FROM conversation_messages WHERE account_id = ${held.id}`).toHaveLength(1);
    expect((await call('GET', '/account', { token: held.keySecret })).status).toBe(401);
  });
});

describe('deletion from a chat bot', () => {
  it('needs only the confirmation word, since the platform authenticated the person', async () => {
    const chatter = await person('chat@example.com', 'MARK-CHAT-5b1');
    const { privacy } = t.container.core;
    await expect(
      privacy.deleteAccount(chatter.id, { confirm: 'ya' }, { channel: 'telegram' }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    });
    expect(await privacy.deleteAccount(chatter.id, { confirm: 'DELETE' }, { channel: 'telegram' })).toEqual({
      outcome: 'erased',
      filesDeleted: 0,
    });
    const [row] = await t.container.db.sql`SELECT email, status FROM accounts WHERE id = ${chatter.id}`;
    expect(row).toEqual({ email: null, status: 'closed' });
  });
});
