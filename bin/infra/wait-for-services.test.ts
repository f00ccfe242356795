import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../../test/helpers/env.js';
import { ConfigError } from '../config.js';
import { addressOf, postgresService, redisService, waitForService } from './wait-for-services.js';

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('waiting for PostgreSQL and Redis at start-up', () => {
  it('goes on at once when both answer', async () => {
    const said: string[] = [];
    await waitForService(postgresService(TEST_DATABASE_URL), { say: (l) => said.push(l) });
    await waitForService(redisService(TEST_REDIS_URL), { say: (l) => said.push(l) });
    expect(said).toEqual([]);
  });

  it('retries with backoff within its budget, says so in one line, then gives up naming the variable', async () => {
    for (const service of [
      redisService(`redis://127.0.0.1:${await closedPort()}`),
      postgresService(`postgres://postgres:hunter2@127.0.0.1:${await closedPort()}/aiport`),
    ]) {
      const said: string[] = [];
      const pauses: number[] = [];
      const failure = await waitForService(service, {
        budgetMs: 1_500,
        firstDelayMs: 100,
        say: (l) => said.push(l),
        sleep: async (ms) => {
          pauses.push(ms);
          await new Promise((r) => setTimeout(r, ms));
        },
      }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as Error).message).toMatch(
        new RegExp(
          `${service.name} at 127\\.0\\.0\\.1:\\d+.* \\(${service.variable}\\) is unreachable \\(ECONNREFUSED\\)`,
        ),
      );
      expect((failure as Error).message).not.toContain('hunter2');
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/retrying for up to 2 s/);
      expect(pauses.length).toBeGreaterThanOrEqual(2);
      expect(pauses[1]).toBe(200);
    }
  });

  it('shows addresses without credentials', () => {
    expect(addressOf('postgres://u:secret@db.internal:6543/aiport')).toBe('db.internal:6543/aiport');
    expect(addressOf('redis://:secret@cache')).toBe('cache:6379');
  });
});
