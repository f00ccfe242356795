import { providerProtocolError } from '../shared/errors.js';

/** Reads one upstream vector defensively: an array of finite numbers, or a protocol error. */
export function vectorOf(provider: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw providerProtocolError(provider, 'an embedding is not an array of numbers');
  }
  for (const x of value) {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw providerProtocolError(provider, 'an embedding holds a value that is not a finite number');
    }
  }
  return value as number[];
}

/** Checks that the upstream answered one vector per input. */
export function checkBatch(provider: string, vectors: number[][], expected: number): number[][] {
  if (vectors.length !== expected) {
    throw providerProtocolError(provider, `answered ${vectors.length} embeddings for ${expected} inputs`);
  }
  return vectors;
}
