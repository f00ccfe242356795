import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/helpers/app-process.js';

/**
 * The Portkey gateway (`@portkey-ai/gateway`, a dev dependency) from its published Node server,
 * on loopback, as the comparison: it keeps no balance and writes no rows.
 */
export interface Portkey {
  url: string;
  child: ChildProcess;
  /** Its error log, last few kilobytes: a failing mode is reported with Portkey's own reason. */
  errors(): string;
}

export async function startPortkey(): Promise<Portkey | { skipped: string }> {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('@portkey-ai/gateway/build/start-server.js');
  } catch {
    return { skipped: '@portkey-ai/gateway is not installed' };
  }
  const port = await freePort();
  // NODE_ENV=production and --headless: no console UI, no browser, no dev logging.
  // The shim makes Portkey's OpenAI streams work under Node (see portkey-headers-shim.mjs).
  const shim = fileURLToPath(new URL('./portkey-headers-shim.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--import', shim, entry, `--port=${port}`, '--headless'], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4_000);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && child.exitCode === null; i++) {
    const up = await fetch(url).then(
      () => true,
      () => false,
    );
    if (up) return { url, child, errors: () => errors };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  return { skipped: `the Portkey server did not start on ${url} (exit code ${child.exitCode})` };
}
