import { vi } from 'vitest';
import { runCli } from '../../bin/cli.js';
import { TEST_REDIS_URL } from './env.js';
import type { TestApp } from './test-app.js';

/**
 * Points the CLI at a test app's database and Redis prefix through the environment, as on a
 * server (the CLI reads its configuration there). Returns the function that restores the
 * environment as it was.
 */
export function pointCliAt(app: TestApp): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: app.database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: app.container.config.REDIS_PREFIX,
    LOG_LEVEL: 'silent',
  });
  return () => {
    process.env = saved;
  };
}

/** Runs `npm run cli -- ...args` in-process; returns its exit code and what it printed. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
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
