import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { ConfigError } from './config.js';

/**
 * `npm start -- --workers N`: N app processes sharing the HTTP port (node:cluster hands each new
 * connection to one of them), by default one per core. Every process keeps every guarantee on its
 * own (money and limits live in PostgreSQL and Redis, as with replicas); the primary only migrates,
 * forks, restarts a process that died, and on SIGTERM/SIGINT stops them all and waits for them.
 * Telegram long polling (the bots role) runs in the first process only: Telegram allows one
 * poller. With `--workers 1` the app runs in this process, without a primary.
 */

/** The index of this process among the workers; undefined outside a cluster. */
export const WORKER_INDEX_ENV = 'AIPORT_WORKER_INDEX';

export function workersFromArgs(argv: string[]): number {
  const index = argv.indexOf('--workers');
  if (index === -1) return availableParallelism();
  const raw = argv[index + 1] ?? '';
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 256) {
    throw new ConfigError(`--workers takes a number of processes from 1 to 256, not "${raw}"`);
  }
  return n;
}

/** This process's worker index when it is a cluster worker. */
export function workerIndex(): number | undefined {
  if (!cluster.isWorker) return undefined;
  const index = Number(process.env[WORKER_INDEX_ENV]);
  return Number.isInteger(index) ? index : undefined;
}

/**
 * Forks `n` workers and supervises them until a stop signal, then exits when all have stopped.
 * `env` is added to theirs: what must be the same in every process, like a generated JWT secret
 * (a session signed by one process is read by another).
 */
export function runPrimary(n: number, say: (line: string) => void, env: Record<string, string> = {}): void {
  let stopping = false;
  const indexOf = new Map<Worker, number>();
  const fork = (index: number) => {
    const worker = cluster.fork({ ...env, [WORKER_INDEX_ENV]: String(index) });
    indexOf.set(worker, index);
  };
  for (let i = 0; i < n; i++) fork(i);

  cluster.on('exit', (worker, code, signal) => {
    const index = indexOf.get(worker);
    indexOf.delete(worker);
    if (stopping) {
      if (indexOf.size === 0) process.exit(0);
      return;
    }
    // A crashed process: its holds are swept as usual; a new one takes its place.
    say(`worker ${index} exited (${signal ?? code}); starting a new one`);
    if (index !== undefined) setTimeout(() => fork(index), 1_000).unref();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    if (indexOf.size === 0) process.exit(0);
    for (const worker of indexOf.keys()) worker.process.kill(signal);
    // Each worker has its own 15 s shutdown limit; this one only guards against a stuck one.
    setTimeout(() => process.exit(1), 20_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
