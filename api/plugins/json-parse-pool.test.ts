import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeJsonInSlices } from '../../core/providers/shared/json-slices.js';
import { piecesOf } from '../../core/text-pieces.js';
import { JsonBodyError, JsonParsePool } from './json-parse-pool.js';

const pool = new JsonParsePool(100_000, 2);
afterAll(() => pool.close());

const bytes = (text: string) => Buffer.from(text, 'utf8');

/** A long string (lifted out by the worker) made of any UTF-16 units, lone surrogates included. */
const longString = fc
  .tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer({ min: 100, max: 400 }))
  .map(([piece, times]) => `${piece}x`.repeat(times).padEnd(4096, 'é'));

const jsonWithLongStrings = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(
      fc.string({ unit: 'binary' }),
      longString,
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    ),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constant('__proto__')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('JSON parse pool', () => {
  it.runIf(existsSync('/proc/self/task'))(
    'parses on threads that yield the CPU to the serving thread (nice 10)',
    async () => {
      await pool.parse(Buffer.from('{"a":1}'));
      // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value (after the ")" of its name).
      const nices = readdirSync('/proc/self/task').map((tid) =>
        Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]),
      );
      expect(nices).toContain(10);
      expect(nices).toContain(0);
    },
  );

  it('gives exactly what JSON.parse gives, long strings and odd keys included', async () => {
    await fc.assert(
      fc.asyncProperty(jsonWithLongStrings, async (value) => {
        const text = JSON.stringify(value);
        expect(await pool.parse(bytes(text))).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a whole-body string and one of megabytes intact', async () => {
    const big = 'halo '.repeat(400_000);
    expect(await pool.parse(bytes(JSON.stringify(big)))).toBe(big);
    const dense = 'ダミー😀'.repeat(100_000);
    const parsed = (await pool.parse(bytes(JSON.stringify({ messages: [{ content: dense }] })))) as {
      messages: { content: string }[];
    };
    expect(parsed.messages[0]!.content).toBe(dense);
  });

  it('rebuilds strings of several megabytes from pieces exactly (surrogate pairs split too)', async () => {
    // Latin-1 travels in 1 MiB pieces and UTF-16 in 2 MiB ones: an odd start puts a piece boundary
    // inside a surrogate pair; several bodies finish together and are rebuilt in turn.
    const latin = 'é'.repeat(3_500_001);
    const astral = `a${'😀'.repeat(1_300_000)}b`;
    const texts = [JSON.stringify({ latin, astral }), JSON.stringify([astral, 'kecil', latin])];
    const [first, second] = await Promise.all(texts.map((text) => pool.parse(bytes(text))));
    expect(first).toStrictEqual({ latin, astral });
    expect(second).toStrictEqual([astral, 'kecil', latin]);
  });

  it('gives the pieces of each rebuilt long string to its readers, no pair split, the same body upstream', async () => {
    // 'a' first puts the 2 MiB (UTF-16) piece boundary inside a surrogate pair: the piece must end
    // before the pair, or its halves would be escaped as lone surrogates in the upstream body.
    const astral = `a${'😀'.repeat(1_300_000)}b`;
    const latin = `${'é'.repeat(2_500_000)}\ud83d`;
    const value = { messages: [{ content: astral }, { content: latin }], model: 'm' };
    const parsed = (await pool.parse(bytes(JSON.stringify(value)))) as typeof value;
    expect(parsed).toStrictEqual(value);
    for (const text of [parsed.messages[0]!.content, parsed.messages[1]!.content]) {
      const pieces = piecesOf(text);
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces.slice(0, -1)) {
        const last = piece.charCodeAt(piece.length - 1);
        expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
      }
    }
    const body = await encodeJsonInSlices(parsed);
    expect(Buffer.concat(body.chunks).equals(bytes(JSON.stringify(value)))).toBe(true);
  });

  it('refuses invalid JSON, too many values and unwritable nesting, and keeps working', async () => {
    const refusal = (text: string) =>
      pool.parse(bytes(text)).then(
        () => 'parsed',
        (error: unknown) => (error instanceof JsonBodyError ? error.reason : String(error)),
      );
    expect(await refusal('{"model": "x", "messages": [')).toBe('invalid');
    expect(await refusal('\uFEFF{}')).toBe('invalid');
    expect(await refusal(JSON.stringify(Array.from({ length: 100_001 }, () => 0)))).toBe('too_many_values');
    expect(await refusal(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)).toMatch(/^(parsed|too_deep)$/);
    expect(await pool.parse(bytes('{"ok":true}'))).toEqual({ ok: true });
  });

  it('parses bodies sent in chunks split anywhere (inside characters too), interleaved with others', async () => {
    const cuts = fc.array(fc.nat(), { maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(jsonWithLongStrings, jsonWithLongStrings, cuts, cuts, async (a, b, cutsA, cutsB) => {
        const pieces = (text: string, at: number[]) => {
          const whole = bytes(text);
          const points = [...new Set(at.map((n) => n % (whole.length + 1)))].sort((x, y) => x - y);
          return [0, ...points].map((start, i) => whole.subarray(start, points[i] ?? whole.length));
        };
        const [textA, textB] = [JSON.stringify(a), JSON.stringify(b)];
        const [first, second] = [pool.open(), pool.open()];
        const [piecesA, piecesB] = [pieces(textA, cutsA), pieces(textB, cutsB)];
        for (let i = 0; i < Math.max(piecesA.length, piecesB.length); i++) {
          if (piecesA[i]) first.write(piecesA[i]!);
          if (piecesB[i]) second.write(piecesB[i]!);
        }
        const [parsedB, parsedA] = [await second.end(), await first.end()];
        expect(parsedA).toStrictEqual(JSON.parse(textA));
        expect(parsedB).toStrictEqual(JSON.parse(textB));
      }),
      { numRuns: 60 },
    );
  });

  it('drops an aborted body and answers the next one', async () => {
    const dropped = pool.open();
    dropped.write(bytes('{"messages": ["'));
    dropped.abort();
    await expect(dropped.end()).rejects.toThrow(/aborted/);
    const next = pool.open();
    next.write(bytes('{"ok":'));
    next.write(bytes('true}'));
    expect(await next.end()).toEqual({ ok: true });
  });

  it('hands written chunks over without copying them, and gives the whole body back with the answer', async () => {
    const text = JSON.stringify({ text: 'b'.repeat(100_000) });
    const chunk = new Uint8Array(Buffer.from(text, 'utf8'));
    const stream = pool.open();
    stream.write(chunk);
    // Transferred to the parser thread: nothing left here to copy.
    expect(chunk.byteLength).toBe(0);
    expect(await stream.end()).toEqual(JSON.parse(text));
    expect(stream.bytes()?.toString('utf8')).toBe(text);
  });

  it('leaves the caller of parse() its bytes (webhooks verify signatures on them)', async () => {
    const body = bytes(JSON.stringify({ text: 'a'.repeat(10_000) }));
    await pool.parse(body);
    expect(body.length).toBeGreaterThan(10_000);
    expect(body.toString('utf8', 0, 9)).toBe('{"text":"');
  });
});
