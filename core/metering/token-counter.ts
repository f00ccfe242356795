import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Token counts with the o200k tokenizer on a thread of its own. Its tables are some 20 MB of small
 * objects: on the serving thread every full garbage collection would mark them again (tens of
 * milliseconds of pause each), and the counting itself would run there too. Here they live in the
 * counting thread's heap, and the serving thread only sends bounded samples (see tokens.ts).
 *
 * Contract: `countPieces(pieces)` resolves to the sum of the token counts of the pieces, each
 * counted in chunks of `CHUNK_CHARS` (the BPE is quadratic on long runs of one character, so no
 * chunk is long), special-token text counted as ordinary text. Callers keep pieces short (a few
 * thousand characters). The thread starts at load (its tables take tens of milliseconds to build,
 * off this thread), keeps the process alive only while a count is awaited, and is replaced if it dies; while
 * none can answer, the same count is made on this thread, so the answer never changes.
 */

/** Pieces are tokenized in chunks of this many characters (quadratic work stays tiny per chunk). */
export const CHUNK_CHARS = 512;

const tokenizerPath = createRequire(import.meta.url).resolve('gpt-tokenizer/encoding/o200k_base');

/** Plain JavaScript, so the same code runs under any loader and in the compiled build. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { countTokens } = require(workerData.tokenizer);
const NO_SPECIAL = { disallowedSpecial: new Set() };
const CHUNK = ${CHUNK_CHARS};
countTokens('warm', NO_SPECIAL);
parentPort.on('message', ({ id, pieces }) => {
  let tokens = 0;
  for (const piece of pieces) {
    for (let at = 0; at < piece.length; at += CHUNK) tokens += countTokens(piece.slice(at, at + CHUNK), NO_SPECIAL);
  }
  parentPort.postMessage({ id, tokens });
});
`;

interface Pending {
  pieces: string[];
  resolve(tokens: number): void;
}

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

function start(): Worker {
  // Plain Node options: the source is CommonJS whatever loader or input type this process runs with.
  const started = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { tokenizer: tokenizerPath },
  });
  started.unref();
  started.on('message', ({ id, tokens }: { id: number; tokens: number }) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) started.unref();
    waiting?.resolve(tokens);
  });
  const replace = () => {
    if (worker !== started) return;
    worker = undefined;
    // What the dead thread held is counted here instead; the next call starts a new thread.
    const orphans = [...pending.values()];
    pending.clear();
    for (const orphan of orphans) void countHere(orphan.pieces).then(orphan.resolve);
  };
  started.on('error', replace);
  started.on('exit', replace);
  return started;
}

/** The same count on this thread (only while no counting thread can answer). */
async function countHere(pieces: string[]): Promise<number> {
  const { countTokens } = (await import('gpt-tokenizer/encoding/o200k_base')) as {
    countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
  };
  const noSpecial = { disallowedSpecial: new Set<string>() };
  let tokens = 0;
  for (const piece of pieces) {
    for (let at = 0; at < piece.length; at += CHUNK_CHARS) {
      tokens += countTokens(piece.slice(at, at + CHUNK_CHARS), noSpecial);
    }
  }
  return tokens;
}

export function countPieces(pieces: string[]): Promise<number> {
  if (pieces.every((piece) => piece.length === 0)) return Promise.resolve(0);
  worker ??= start();
  const id = nextId++;
  const counting = worker;
  // Referenced only while a count is awaited: an idle thread never keeps the process alive, a
  // pending answer does.
  if (pending.size === 0) counting.ref();
  return new Promise((resolve) => {
    pending.set(id, { pieces, resolve });
    counting.postMessage({ id, pieces });
  });
}

// Started at load, so its tables are built before the first request needs them.
worker = start();
