import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MediaJob } from '../../core/media/index.js';
import { jobRow, outputCount, until } from './media-child.js';
import { freePort, type MediaHarness, money, startMediaHarness } from './media-harness.js';

/**
 * Redis killed (SIGKILL) in the middle of a run and restarted on the same data: no job is lost and
 * none is charged twice. The shared Redis of the test suite is never touched: this file runs a
 * private `redis-server` with AOF (fsync on every write, so the test does not depend on timing) on
 * a free loopback port. Skipped when `redis-server` is not installed.
 */

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = hasRedisServer();
let dir = '';
let port = 0;
let redis: ChildProcess | undefined;
let h: MediaHarness | undefined;

async function startRedis(): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
  });
  return child;
}

async function stop(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

beforeAll(async () => {
  if (!available) return;
  dir = await mkdtemp(join(tmpdir(), 'aiport-redis-'));
  port = await freePort();
  redis = await startRedis();
  h = await startMediaHarness({ redisUrl: `redis://127.0.0.1:${port}` });
});
afterAll(async () => {
  await h?.close();
  await stop(redis, 'SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

it.skipIf(!available)(
  'Redis killed mid-run and restarted: every job finishes, each charged once',
  async () => {
    const harness = h!;
    const { accountId } = await harness.account(10_000);
    harness.openai.setLatency(400);
    const jobs: MediaJob[] = [];
    for (let i = 0; i < 6; i += 1) {
      jobs.push(
        await harness.media.submitImage({ accountId, channel: 'api', model: 'gpt-image-1', prompt: `p${i}` }),
      );
    }
    await until(
      () => jobRow(harness, jobs[0]!.id),
      (row) => row.status === 'running',
    );
    await stop(redis, 'SIGKILL');
    redis = await startRedis();

    for (const job of jobs) {
      await until(
        () => jobRow(harness, job.id),
        (row) => row.status === 'succeeded',
      );
      expect(await outputCount(harness, job.id)).toBe(1);
    }
    const m = await money(harness, accountId);
    expect(m.charges).toEqual(jobs.map(() => 700_000n));
    expect(m).toMatchObject({ heldMrp: 0n, balanceMrp: 10_000_000n - 6n * 700_000n });
  },
  60_000,
);
