import { createHash } from 'node:crypto';

/**
 * The deterministic "model" behind the embedding fakes: a text's vector is derived from a hash of the
 * text (so equal texts embed equally and tests can predict any component), unit length, and a
 * shorter vector is the full one cut and renormalized, as OpenAI and Gemini document for
 * `dimensions` / `outputDimensionality`.
 */

export function fakeVector(text: string, size: number): number[] {
  const values: number[] = [];
  let block = 0;
  while (values.length < size) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (let i = 0; i + 4 <= digest.length && values.length < size; i += 4) {
      values.push(digest.readUInt32LE(i) / 0xffffffff - 0.5);
    }
    block += 1;
  }
  return normalize(values);
}

/** What a fake answers for `dimensions`: the full vector's first `dimensions` values, renormalized. */
export function fakeEmbedding(text: string, fullSize: number, dimensions?: number): number[] {
  const full = fakeVector(text, fullSize);
  return dimensions === undefined ? full : normalize(full.slice(0, dimensions));
}

function normalize(values: number[]): number[] {
  const length = Math.hypot(...values) || 1;
  // Rounded through float32, as the upstreams compute and send them.
  return values.map((x) => Math.fround(x / length));
}
