import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TEST_REDIS_URL } from './env.js';

/**
 * The application as `npm start` runs it (bin/main.ts: migrate, then every role), in a child
 * process of its own, for what only a separate process can show: several replicas on one
 * PostgreSQL and Redis, and a `kill -9` under load. Node runs tsx's loader itself (not the tsx CLI,
 * whose own child would survive a SIGKILL). Logs go nowhere unless `logs` is set.
 */
export interface AppProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL: no shutdown, no cleanup, exactly like a crashed machine. Resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful shutdown), then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A loopback TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

export async function startAppProcess(options: {
  databaseUrl: string;
  /** Processes sharing one deployment share its prefix. */
  redisPrefix: string;
  env?: Record<string, string>;
  /** `npm start` arguments; by default `--workers 1` (one process, whatever the core count). */
  args?: string[];
  nodeArgs?: string[];
  /** Where stdout (the JSON logs) goes: dropped by default. */
  logs?: 'inherit' | 'ignore';
  readyTimeoutMs?: number;
}): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', 'bin/main.ts', ...(options.args ?? ['--workers', '1'])],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: options.databaseUrl,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: options.redisPrefix,
        PORT: String(port),
        HOST: '127.0.0.1',
        ...options.env,
      },
      stdio: ['ignore', options.logs ?? 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (gone()) throw new Error(`the app exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not answer /readyz in time: ${stderr}`);
    }
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 15_000) {
      if (!gone()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
