import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../core/ports/clock.js';
import { createRetention } from '../../core/retention/index.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import {
  RETENTION_PATTERN,
  RETENTION_TASK,
  retentionTaskRegistry,
  ZERO_RETENTION_UPLOADS_TASK,
} from './index.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const context = { attemptsMade: 0, isFinalAttempt: false, updateProgress: async () => {} };

describe('retention task registry', () => {
  it('runs daily on the maintenance queue, logs its report and counts what it purged', async () => {
    const [account] = await db.sql`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
    await db.sql`
      INSERT INTO jobs (account_id, channel, kind, model, prompt, created_at)
      SELECT ${account!.id}, 'api', 'chat', 'm', '{"x":1}'::jsonb, now() - interval '40 days' FROM generate_series(1, 3)`;
    const logs: Record<string, unknown>[] = [];
    const metrics = new Registry();
    const registry = retentionTaskRegistry({
      retention: createRetention({ db, clock: manualClock(new Date()) }),
      logger: { info: (fields) => logs.push(fields) },
      metrics,
    });
    expect(registry.repeatable).toEqual([
      { queue: 'maintenance', task: RETENTION_TASK, pattern: RETENTION_PATTERN },
      { queue: 'maintenance', task: ZERO_RETENTION_UPLOADS_TASK, everyMs: 300_000 },
    ]);
    const run = registry.processors.maintenance![RETENTION_TASK]!;
    await run({}, context);
    await run({}, context);
    expect(logs[0]).toMatchObject({ jobContents: 3 });
    expect(logs[1]).toMatchObject({ jobContents: 0 });
    const text = await metrics.metrics();
    expect(text).toMatch(/aiport_retention_purged_total\{kind="job_content"\} 3/);
    expect(text).toMatch(/aiport_retention_last_run_seconds \d/);
  });

  it('ends quietly when another run holds the lock', async () => {
    const other = await db.sql.reserve();
    const logs: string[] = [];
    try {
      await other`SELECT pg_advisory_lock(7310077)`;
      const registry = retentionTaskRegistry({
        retention: createRetention({ db, clock: manualClock(new Date()) }),
        logger: { info: (_fields, message) => logs.push(message) },
      });
      await expect(registry.processors.maintenance![RETENTION_TASK]!({}, context)).resolves.toBeUndefined();
      expect(logs).toEqual(['retention already running elsewhere; skipped']);
    } finally {
      await other`SELECT pg_advisory_unlock(7310077)`;
      other.release();
    }
  });
});
