import fc from 'fast-check';
import type { HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Every route, fed hostile bodies, queries, path parameters and headers (with and without valid
 * credentials, JSON and not, multipart cut short, numbers beyond any range): the answer is never a
 * 5xx. The routes are read from the running app, so a new route is fuzzed without touching this file.
 */
let t: TestApp;
let session: string;
let key: string;
let adminSession: string;

interface Route {
  method: HTTPMethods;
  path: string;
}

/** The app's routes, from Fastify's printed route tree (one node per line, four characters a level). */
function routesOf(tree: string): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (depth > 0 ? stack[depth - 1]! : '') + match[2]!;
    stack[depth] = path;
    for (const method of match[3]!.split(', ')) {
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method: method as HTTPMethods, path });
    }
  }
  return routes;
}

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e400',
    '99999999999999999999999',
    'null',
    '%00',
    '../../etc/passwd',
    'é🙂',
    'aip_x',
  ),
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, 9.3e18, -9.3e18, 2 ** 63, 0.0001, Number.MAX_SAFE_INTEGER + 2),
);
const hostileValue = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);
/** Field names the routes read, so the fuzzer gets past "unknown field" into the handlers. */
const FIELDS = [
  'email',
  'password',
  'name',
  'code',
  'confirm',
  'amount_idr',
  'scopes',
  'expires_at',
  'reason',
  'idempotency_key',
  'account_id',
  'max_uses',
  'model',
  'messages',
  'prompt',
  'max_tokens',
  'stream',
  'n',
  'size',
  'seconds',
  'token',
  'zero_retention',
  'hold',
  'current_password',
  'new_password',
  'input',
];
/** Bodies shaped like the ones the routes take, every value hostile: they get past the schema's door. */
const SHAPES: string[][] = [
  ['amount_idr', 'reason', 'idempotency_key'],
  ['amount_idr', 'max_uses', 'reason'],
  ['amount_idr'],
  ['email', 'password'],
  ['email', 'password', 'code'],
  ['name', 'scopes', 'expires_at'],
  ['model', 'messages', 'max_tokens'],
  ['model', 'prompt', 'n', 'size'],
  ['confirm', 'password'],
  ['account_id', 'reason'],
  ['hold', 'reason'],
  ['code'],
];
const shapedValue = fc.oneof(
  hostileValue,
  fc.constantFrom('a sturdy reason', 'idempotent-key-1', 'gpt-4o-mini', 'DELETE', 'fuzz@example.com'),
  fc.constantFrom(1e20, -1e20, 1e15, 123.4567, 10_000),
);
const jsonBody = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 6 }),
  fc
    .constantFrom(...SHAPES)
    .chain((fields) =>
      fc
        .tuple(...fields.map(() => shapedValue))
        .map((values) => Object.fromEntries(fields.map((f, i) => [f, values[i]]))),
    ),
);

const BOUNDARY = 'fuzzboundary';
const ACCOUNT_ID = '{account-id}';
let accountId = '';
const multipartBody = fc
  .tuple(
    fc.constantFrom('prompt', 'model', 'image', 'image[]', 'mask', 'n', 'seconds'),
    hostileString,
    fc.nat(200),
  )
  .map(([field, value, cut]) => {
    const whole =
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="a.png"\r\n` +
      `Content-Type: image/png\r\n\r\n\x89PNG${value}\r\n--${BOUNDARY}--\r\n`;
    return whole.slice(0, Math.min(whole.length, 20 + cut));
  });

const request = fc.record({
  credential: fc.constantFrom('none', 'session', 'key', 'admin', 'garbage'),
  kind: fc.constantFrom('json', 'raw', 'multipart', 'none'),
  json: jsonBody,
  raw: fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.constantFrom('{', '[1,', '{"email":', 'null', '"x"', '{"a":1e999}'),
  ),
  multipart: multipartBody,
  query: fc.dictionary(
    fc.constantFrom('limit', 'before', 'from', 'to', 'q', 'token', 'flagged', 'exp', 'sig', 'after'),
    hostileString,
    {
      maxKeys: 3,
    },
  ),
  // Sometimes a real id, so the fuzzer reaches past "not found" into the handlers.
  param: fc.oneof(hostileString, fc.constant(ACCOUNT_ID)),
  headers: fc.dictionary(
    fc.constantFrom(
      'x-forwarded-for',
      'x-request-id',
      'accept',
      'x-api-key',
      'idempotency-key',
      'anthropic-version',
      'origin',
    ),
    fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
    { maxKeys: 3 },
  ),
});

beforeAll(async () => {
  // A deployment with the bank webhook configured (unconfigured, it answers 503 by design: fail closed).
  t = await createTestApp({ env: { MOOTA_WEBHOOK_SECRET: 'fuzz-moota-secret' } });
  const { core } = t.container;
  const account = await core.accounts.signup({ email: 'fuzz@example.com', password: 'a sturdy passphrase' });
  await core.ledger.credit('topup', {
    accountId: account.id,
    amountMrp: 100_000_000n,
    idempotencyKey: 'fuzz',
  });
  accountId = account.id;
  session = (await core.sessions.create(account.id)).token;
  key = (await core.apiKeys.create(account.id, { name: 'fuzz' })).secret;
  const admin = await core.adminUsers.create({ email: 'root@aiport.id', password: 'an operator passphrase' });
  adminSession = (await core.tokens.issue({ sub: admin.id, purpose: 'admin-session' })).token;
});
afterAll(() => t.close());

describe('every route under hostile input', () => {
  it('never answers 5xx', async () => {
    await t.app.ready();
    const routes = routesOf(t.app.printRoutes({ commonPrefix: false }));
    expect(routes.length).toBeGreaterThan(40);
    const failures: string[] = [];
    for (const route of routes) {
      await fc
        .assert(
          fc.asyncProperty(request, async (r) => {
            const url = route.path
              .replace(/:[a-z_]+/g, () => encodeURIComponent(r.param === ACCOUNT_ID ? accountId : r.param))
              .replace(/\*/g, encodeURIComponent(r.param));
            const headers: Record<string, string> = { ...r.headers };
            const credential = { session, key, admin: adminSession, garbage: 'Bearer ses_garbage', none: '' }[
              r.credential
            ];
            if (credential)
              headers.authorization = credential.startsWith('Bearer') ? credential : `Bearer ${credential}`;
            let payload: string | undefined;
            if (route.method !== 'GET' && route.method !== 'DELETE' ? r.kind !== 'none' : r.kind === 'json') {
              if (r.kind === 'multipart') {
                headers['content-type'] = `multipart/form-data; boundary=${BOUNDARY}`;
                payload = r.multipart;
              } else if (r.kind === 'raw') {
                headers['content-type'] = 'application/json';
                payload = r.raw;
              } else {
                headers['content-type'] = 'application/json';
                payload = JSON.stringify(r.json);
              }
            }
            const response = await t.app.inject({
              method: route.method,
              url,
              query: r.query,
              headers,
              ...(payload !== undefined ? { payload } : {}),
            });
            if (response.statusCode >= 500) {
              failures.push(
                `${route.method} ${url} -> ${response.statusCode}: ${response.body.slice(0, 200)}`,
              );
            }
            return response.statusCode < 500;
          }),
          { numRuns: 30, endOnFailure: true },
        )
        .catch(() => {});
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('answers 400 to admin amounts beyond any range and to multipart bodies cut short', async () => {
    const admin = { authorization: `Bearer ${adminSession}`, 'content-type': 'application/json' };
    for (const amount of [1e20, -1e20, 1e300]) {
      const adjusted = await t.app.inject({
        method: 'POST',
        url: `/admin/accounts/${accountId}/balance`,
        headers: admin,
        payload: JSON.stringify({ amount_idr: amount, reason: 'fuzzing', idempotency_key: `fuzz-${amount}` }),
      });
      expect(adjusted.statusCode).toBe(400);
      const voucher = await t.app.inject({
        method: 'POST',
        url: '/admin/vouchers',
        headers: admin,
        payload: JSON.stringify({ amount_idr: Math.abs(amount), max_uses: 1, reason: 'fuzzing' }),
      });
      expect(voucher.statusCode).toBe(400);
    }
    for (const url of ['/v1/images/edits', '/v1/videos']) {
      const cut = await t.app.inject({
        method: 'POST',
        url,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        },
        payload: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG`,
      });
      expect(cut.statusCode).toBe(400);
    }
  });
});
