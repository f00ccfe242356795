import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../core/errors.js';
import type { TaskRegistry } from '../../core/ports/queue.js';
import { TEST_REDIS_URL } from '../../test/helpers/env.js';
import { createBullQueues } from './bullmq-queue.js';
import { startWorkers } from './start-workers.js';

const prefix = `test-${randomBytes(4).toString('hex')}`;
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const queues = createBullQueues(connection, prefix);

afterAll(async () => {
  await queues.close();
  const keys = await connection.keys(`${prefix}:*`);
  if (keys.length > 0) await connection.del(...keys);
  connection.disconnect();
});

function waitFor(check: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > 10_000) {
        clearInterval(timer);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 20);
  });
}

describe('workers runtime', () => {
  it('runs tasks once per id, retries retryable failures and stops on unrecoverable ones', async () => {
    const seen: string[] = [];
    let flaky = 0;
    let fatal = 0;
    const registry: TaskRegistry = {
      processors: {
        delivery: {
          record: async (data) => {
            seen.push(String(data.value));
          },
          flaky: async (_data, context) => {
            flaky++;
            if (context.attemptsMade < 2) throw new Error('temporary');
          },
          fatal: async () => {
            fatal++;
            throw new CoreError('invalid_request', 'never retry this', { retryable: false });
          },
        },
      },
    };
    const running = await startWorkers([registry], {
      connection,
      prefix,
      logger: pino({ level: 'silent' }),
      queues: queues.queues,
    });
    try {
      await queues.enqueue('delivery', 'record', { value: 'a' }, { jobId: 'same' });
      await queues.enqueue('delivery', 'record', { value: 'b' }, { jobId: 'same' });
      await queues.enqueue('delivery', 'flaky', {}, { attempts: 5 });
      await queues.enqueue('delivery', 'fatal', {}, { attempts: 5 });
      await waitFor(() => seen.length >= 1 && flaky >= 3 && fatal >= 1, 'tasks');
      const failed = await queues.queues.get('delivery')!.getFailed();
      expect(seen).toEqual(['a']);
      expect(flaky).toBe(3);
      expect(fatal).toBe(1);
      expect(failed.map((j) => j.name)).toContain('fatal');
    } finally {
      await running.close();
    }
  });

  it('keeps no prompt or chat target in Redis once a task is done or has failed for good', async () => {
    let ran = 0;
    const registry: TaskRegistry = {
      processors: {
        generation: {
          draw: async (data) => {
            ran++;
            expect(data.prompt).toBe('a secret prompt MARK-7Q');
          },
          broken: async () => {
            ran++;
            throw new Error('upstream down');
          },
        },
      },
    };
    const running = await startWorkers([registry], {
      connection,
      prefix,
      logger: pino({ level: 'silent' }),
      queues: queues.queues,
    });
    try {
      const data = { jobId: 'j-1', prompt: 'a secret prompt MARK-7Q', target: { chatId: 'MARK-7Q' } };
      await queues.enqueue('generation', 'draw', data, { jobId: 'draw-1' });
      await queues.enqueue(
        'generation',
        'broken',
        { ...data, jobId: 'j-2' },
        { jobId: 'broken-1', attempts: 2 },
      );
      const queue = queues.queues.get('generation')!;
      const ended = async () =>
        (await queue.getJobState('draw-1')) === 'completed' &&
        (await queue.getJobState('broken-1')) === 'failed';
      for (let i = 0; i < 200 && !(await ended()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await ended()).toBe(true);
      expect(ran).toBe(3);
      expect((await queue.getJob('draw-1'))?.data).toEqual({ jobId: 'j-1' });
      expect((await queue.getJob('broken-1'))?.data).toEqual({ jobId: 'j-2' });
      const keys = await connection.keys(`${prefix}:generation:*`);
      for (const key of keys) {
        if ((await connection.type(key)) !== 'hash') continue;
        expect(JSON.stringify(await connection.hgetall(key))).not.toContain('MARK-7Q');
      }
    } finally {
      await running.close();
    }
  });
});
