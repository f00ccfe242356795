import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../bin/cli.js';
import { TEST_REDIS_URL } from '../helpers/env.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
const saved = { ...process.env };
const email = 'key-owner@example.com';

beforeAll(async () => {
  t = await createTestApp();
  await t.container.core.accounts.signup({ email, password: 'a long passphrase 123' });
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: t.database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: t.container.config.REDIS_PREFIX,
    LOG_LEVEL: 'silent',
  });
});
afterAll(async () => {
  process.env = saved;
  await t.close();
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await runCli(args), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

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
