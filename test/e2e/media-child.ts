import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAKE_OPENAI_IMAGES_KEY } from '../fakes/openai-images.js';
import { FAKE_RUNNINGHUB_KEY } from '../fakes/runninghub.js';
import type { MediaHarness } from './media-harness.js';
import { MEDIA_TEST_CATALOG, MEDIA_TEST_SECRET } from './media-setup.js';

/**
 * Production worker processes for the crash tests: `bin/main.ts --role workers`, the entry and role
 * `npm start` runs, configured only through its environment (as a deployment would be) to use the
 * harness's database, Redis prefix, storage, catalog and fakes. Short worker locks and poll
 * intervals (WORKER_LOCK_MS, MEDIA_POLL_INTERVAL_MS) let a killed worker's task be taken over in
 * seconds rather than BullMQ's default 30.
 */

const ENTRY = fileURLToPath(new URL('../../bin/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A process boots the whole container (tsx compiles on the fly): generous on a loaded machine. */
const START_TIMEOUT_MS = 45_000;

export interface ChildWorkers {
  start(): Promise<ChildProcess>;
  /** Whether this process holds a running task (BullMQ's `processedBy`, set by the runtime). */
  holds(child: ChildProcess, processedBy: string | undefined): boolean;
  /** SIGKILL: no cleanup, no lock released, exactly like a crashed machine. */
  kill(child: ChildProcess): Promise<void>;
  killAll(): void;
}

export function childWorkers(h: MediaHarness, redisUrl: string): ChildWorkers {
  const children: ChildProcess[] = [];
  const files = (async () => {
    const catalog = join(h.dataDir, 'catalog.json');
    // An empty env file: a developer's own .env must not reach these processes.
    const envFile = join(h.dataDir, 'worker.env');
    await writeFile(catalog, JSON.stringify(MEDIA_TEST_CATALOG));
    await writeFile(envFile, '');
    return { catalog, envFile };
  })();
  return {
    async start() {
      const { catalog, envFile } = await files;
      // Node itself with tsx's loader (not the tsx CLI, whose own child would survive a SIGKILL), and one
      // process (no cluster primary, whose forked workers would survive a SIGKILL of the primary).
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', ENTRY, '--role', 'workers', '--workers', '1'],
        {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            NODE_ENV: 'test',
            LOG_LEVEL: 'info',
            ENV_FILE: envFile,
            DATABASE_URL: h.database.url,
            DATABASE_POOL_SIZE: '4',
            REDIS_URL: redisUrl,
            REDIS_PREFIX: h.prefix,
            DATA_DIR: h.dataDir,
            PUBLIC_URL: h.url,
            JWT_SECRET: MEDIA_TEST_SECRET,
            CATALOG_FILE: catalog,
            OPENAI_API_KEY: FAKE_OPENAI_IMAGES_KEY,
            OPENAI_BASE_URL: `${h.openai.url}/v1`,
            RUNNINGHUB_API_KEY: FAKE_RUNNINGHUB_KEY,
            RUNNINGHUB_BASE_URL: h.runninghub.url,
            MEDIA_POLL_INTERVAL_MS: '50',
            WORKER_LOCK_MS: '3000',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      children.push(child);
      let errors = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        errors = (errors + chunk.toString()).slice(-4000);
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`worker did not start within ${START_TIMEOUT_MS} ms: ${errors}`));
        }, START_TIMEOUT_MS);
        let seen = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          seen = (seen + chunk.toString()).slice(-4000);
          if (seen.includes('"AIport started"')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`worker exited early (${code}): ${errors}`));
        });
      });
      return child;
    },
    holds(child, processedBy) {
      return processedBy === `${hostname()}#${child.pid}`;
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
