import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MediaHarness } from './media-harness.js';

/** Media worker processes for the crash tests (see media-worker-process.ts). */

const WORKER = fileURLToPath(new URL('./media-worker-process.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildWorkers {
  start(): Promise<ChildProcess>;
  /** SIGKILL: no cleanup, no lock released, exactly like a crashed machine. */
  kill(child: ChildProcess): Promise<void>;
  killAll(): void;
}

export function childWorkers(h: MediaHarness, redisUrl: string): ChildWorkers {
  const children: ChildProcess[] = [];
  return {
    async start() {
      // Node itself with tsx's loader (not the tsx CLI, whose own child would survive a SIGKILL).
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: h.database.url,
          REDIS_URL: redisUrl,
          QUEUE_PREFIX: h.prefix,
          DATA_DIR: h.dataDir,
          OPENAI_URL: h.openai.url,
          RUNNINGHUB_URL: h.runninghub.url,
          PUBLIC_URL: h.url,
          POLL_INTERVAL_MS: '50',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
      });
      return child;
    },
    async kill(child) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    killAll() {
      for (const child of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Reads until `done` holds (the test's own timeout bounds the wait). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function jobRow(h: MediaHarness, id: string) {
  const [row] = await h.database.sql<
    { status: string; provider_task_id: string | null; cost_mrp: bigint | null }[]
  >`SELECT status, provider_task_id, cost_mrp FROM jobs WHERE id = ${id}`;
  return row!;
}

export async function outputCount(h: MediaHarness, id: string): Promise<number> {
  const [row] = await h.database.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM media_files WHERE job_id = ${id} AND kind = 'output'`;
  return row!.n;
}
