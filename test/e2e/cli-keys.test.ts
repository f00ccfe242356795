import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, pointCliAt } from '../helpers/cli-runner.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let restoreEnv: () => void;
const email = 'key-owner@example.com';

beforeAll(async () => {
  t = await createTestApp();
  await t.container.core.accounts.signup({ email, password: 'a long passphrase 123' });
  restoreEnv = pointCliAt(t);
});
afterAll(async () => {
  restoreEnv();
  await t.close();
});

describe('npm run cli -- key:create / key:update with limits', () => {
  it('sets spend limits, models and rate limits, changes them, and refuses bad values', async () => {
    const created = await cli(
      'key:create',
      '--email',
      email,
      '--name',
      'shop',
      '--total-limit',
      '50000',
      '--period',
      'week',
      '--period-limit',
      '1500.5',
      '--models',
      'gpt-4o-mini,claude-haiku-4.5',
      '--rpm',
      '30',
    );
    expect([created.code, created.err]).toEqual([0, '']);
    const id = /key ([0-9a-f-]{36})/.exec(created.out)![1]!;
    const [row] = await t.database.sql`
      SELECT total_limit_mrp, limit_period, period_limit_mrp, models, requests_per_minute FROM api_keys WHERE id = ${id}`;
    expect(row).toEqual({
      total_limit_mrp: 50_000_000n,
      limit_period: 'week',
      period_limit_mrp: 1_500_500n,
      models: ['gpt-4o-mini', 'claude-haiku-4.5'],
      requests_per_minute: 30,
    });
    const updated = await cli(
      'key:update',
      '--email',
      email,
      '--id',
      id,
      '--total-limit',
      'none',
      '--models',
      'all',
      '--tpm',
      '1000',
    );
    expect(updated.code).toBe(0);
    expect(updated.out).toContain('total limit: none');
    expect(updated.out).toContain('models: all');
    expect(updated.out).toContain('1000 tokens');

    const negative = await cli('key:update', '--email', email, '--id', id, '--total-limit', '-5');
    expect(negative.code).not.toBe(0);
    const unknown = await cli('key:update', '--email', email, '--id', id, '--models', 'gpt-9');
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('Unknown models: gpt-9');
    const half = await cli('key:update', '--email', email, '--id', id, '--period', 'day');
    expect(half.code).not.toBe(0);
  });
});
