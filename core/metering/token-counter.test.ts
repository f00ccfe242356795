import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { CHUNK_CHARS, countPieces } from './token-counter.js';

const run = promisify(execFile);
const noSpecial = { disallowedSpecial: new Set<string>() };

describe('token counter', () => {
  it('counts exactly as o200k counts each piece in chunks', async () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 3_000 }),
      fc.tuple(fc.constantFrom(' ', 'a', '日', '<|endoftext|>'), fc.nat(2_000)).map(([c, n]) => c.repeat(n)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 5 }), async (pieces) => {
        let expected = 0;
        for (const p of pieces) {
          for (let at = 0; at < p.length; at += CHUNK_CHARS)
            expected += o200k(p.slice(at, at + CHUNK_CHARS), noSpecial);
        }
        expect(await countPieces(pieces)).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("keeps the tokenizer's tables out of the counting caller's heap", async () => {
    // A fresh process: after counting, its own heap holds no tokenizer (some 20 MB when it does).
    const module = fileURLToPath(new URL('./token-counter.ts', import.meta.url));
    const script = `
      const { countPieces } = await import(${JSON.stringify(module)});
      const tokens = await countPieces(['halo apa kabar']);
      globalThis.gc();
      console.log(JSON.stringify({ tokens, heapMb: process.memoryUsage().heapUsed / 1e6 }));`;
    const { stdout } = await run(process.execPath, [
      '--expose-gc',
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      script,
    ]);
    const { tokens, heapMb } = JSON.parse(stdout) as { tokens: number; heapMb: number };
    expect(tokens).toBe(o200k('halo apa kabar', noSpecial));
    expect(heapMb).toBeLessThan(15);
  });
});
