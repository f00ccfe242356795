import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Prints a benchmark's figures and writes them to bench/results/<name>.json with the machine facts. */
export function report(name: string, figures: Record<string, unknown>): void {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const os = {
    node: process.version,
    platform: process.platform,
    cpus: (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency,
  };
  const body = { name, at: new Date().toISOString(), machine: os, ...figures };
  writeFileSync(
    `${dir}${name}.json`,
    `${JSON.stringify(body, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
  );
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\nwritten to bench/results/${name}.json\n`);
}

/** The q-th quantile (0..1) of numbers, by nearest rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
