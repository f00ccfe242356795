import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { isHighSurrogate, registerPieces } from '../../core/text-pieces.js';

/**
 * `JSON.parse` of large request bodies on worker threads, so a multi-megabyte body never blocks the
 * event loop that serves everyone else.
 *
 * The body travels to the worker while it arrives: `open()` gives a stream whose `write(chunk)`
 * posts each received chunk (tens of kilobytes, a copy too small to notice) and whose `end()`
 * asks for the parsed value. So this thread never concatenates or copies a whole body in one go.
 *
 * Rebuilding the value on this thread must cost far less than parsing it, and neither structured
 * clone nor a plain re-parse does (cloning is as slow as parsing). So the worker sends two things:
 * the value's skeleton as JSON, with every long string lifted out (cheap to parse: few values), and
 * the lifted strings as raw Latin-1 or UTF-16 bytes in one transferred buffer, which become strings
 * again by a copy, not a parse. Answers are rebuilt a bounded amount per event-loop turn (a
 * skeleton, or about a megabyte of strings), so neither a body of megabytes nor several finishing
 * together add up to one long pause. A body with more than `maxValues` values is
 * refused instead: its skeleton alone would be as slow to rebuild as the body.
 *
 * Contract: `end()` (and `parse(bytes)`, the same for bytes already whole) resolves to exactly what
 * `JSON.parse(bytes.toString('utf8'))` returns (lone surrogates included), or rejects with
 * `JsonBodyError`: `invalid` (not JSON), `too_many_values`, `too_deep` (nesting the skeleton cannot
 * be written for). Chunks are handed over (transferred, not copied: copying megabytes into a
 * message costs this thread tens of milliseconds), so the caller must not use a chunk it wrote; the
 * body's bytes come back whole with the answer (`bytes()`, for webhooks that verify signatures on
 * them). `parse(bytes)` copies first and leaves the caller its bytes. `abort()` drops a body half sent. Workers start on first use, are
 * unref'd (they never keep the process alive) and are replaced when one dies (its bodies fail);
 * `close()` ends them.
 */
export class JsonBodyError extends Error {
  constructor(readonly reason: 'invalid' | 'too_many_values' | 'too_deep') {
    super(reason);
  }
}

/** Strings this long travel as bytes; shorter ones stay in the skeleton. */
const LIFT_CHARS = 4096;

/** The parser threads' nice value (0 is the serving thread's, 19 the lowest priority). */
const PARSER_NICE = 10;

/**
 * The worker, in plain JavaScript so the same code runs under any loader and in the compiled build.
 * It collects each body's chunks by id until `end`; its walk is iterative (no recursion limit) and
 * builds a path only for lifted strings.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const LIFT = ${LIFT_CHARS};
// Parsing megabytes yields the CPU to the serving event loop: on Linux a thread has a nice value of
// its own (setpriority on its thread id, read from /proc/thread-self); elsewhere this does nothing.
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) require('node:os').setPriority(tid, ${PARSER_NICE});
} catch {}
const bodies = new Map();
function pathOf(entry) {
  const path = [];
  for (let e = entry; e.parent; e = e.parent) path.push(e.key);
  return path.reverse();
}
function parse(chunks, maxValues) {
  let root;
  let whole;
  try {
    whole = Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
    root = JSON.parse(whole.toString('utf8'));
  } catch {
    return { answer: { ok: false, reason: 'invalid' } };
  }
  // The body's bytes go back with the answer, in a buffer of their own (transferred, not copied).
  // A small Buffer lives in a shared pool (Node 21+ refuses to transfer that), so it is copied into
  // a Uint8Array of its own, which always can be transferred.
  const raw = whole.byteOffset === 0 && whole.byteLength === whole.buffer.byteLength ? whole : new Uint8Array(whole);
  const box = { v: root };
  const lifted = [];
  const stack = [{ holder: box, key: 'v', parent: undefined }];
  let values = 0;
  while (stack.length > 0) {
    const entry = stack.pop();
    const value = entry.holder[entry.key];
    if (++values > maxValues) return { answer: { ok: false, reason: 'too_many_values' } };
    if (typeof value === 'string') {
      if (value.length >= LIFT) {
        lifted.push({ path: pathOf(entry), value });
        entry.holder[entry.key] = null;
      }
    } else if (value !== null && typeof value === 'object') {
      const keys = Array.isArray(value) ? value.keys() : Object.keys(value);
      for (const key of keys) stack.push({ holder: value, key, parent: entry });
    }
  }
  let skeleton;
  try {
    skeleton = JSON.stringify(box.v);
  } catch {
    return { answer: { ok: false, reason: 'too_deep' } };
  }
  const spans = [];
  const pieces = [];
  let size = 0;
  for (const { path, value } of lifted) {
    const encoding = /^[\\u0000-\\u00ff]*$/.test(value) ? 'latin1' : 'utf16le';
    const piece = Buffer.from(value, encoding);
    spans.push({ path, encoding, start: size, end: size + piece.length });
    pieces.push(piece);
    size += piece.length;
  }
  const strings = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const piece of pieces) at += piece.copy(strings, at);
  return { answer: { ok: true, skeleton, spans, strings, raw }, transfer: [strings.buffer, raw.buffer] };
}
parentPort.on('message', (message) => {
  const { type, id } = message;
  if (type === 'chunk') {
    const chunks = bodies.get(id);
    if (chunks) chunks.push(message.bytes);
    else bodies.set(id, [message.bytes]);
    return;
  }
  const chunks = bodies.get(id) ?? [];
  bodies.delete(id);
  if (type !== 'end') return;
  const { answer, transfer } = parse(chunks, message.maxValues);
  parentPort.postMessage({ id, ...answer }, transfer ?? []);
});
`;

interface Span {
  path: (string | number)[];
  encoding: 'latin1' | 'utf16le';
  start: number;
  end: number;
}

type Answer = { id: number } & (
  | { ok: true; skeleton: string; spans: Span[]; strings: Uint8Array; raw: Uint8Array }
  | { ok: false; reason: JsonBodyError['reason'] }
);

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** The body's bytes, handed back by the worker with its answer. */
  received(bytes: Buffer): void;
}

interface Lane {
  worker: Worker;
  /** Bodies posted to this worker and not answered yet, by id. */
  open: Map<number, Pending>;
}

/** A body on its way to a worker. */
export interface JsonBodyStream {
  /** Sends one received chunk (handed over: the caller must not use it afterwards). */
  write(chunk: Uint8Array): void;
  /** No more chunks: the parsed value, or a `JsonBodyError`. */
  end(): Promise<unknown>;
  /** The whole body's bytes, once `end()` resolved. */
  bytes(): Buffer | undefined;
  /** Drops the body (the client left, or it grew over the limit). */
  abort(): void;
}

/**
 * Bytes of lifted strings turned back into strings per event-loop turn. Every fresh megabyte a
 * string is copied into costs a few milliseconds here (the memory is new to the process); so a
 * string of megabytes is built as a rope of pieces, one turn each, never copied whole on this thread.
 */
const REBUILD_BYTES_PER_TURN = 1 << 20;
/**
 * A piece's size: above the length from which Node keeps a string's characters outside the
 * JavaScript heap (about a million), so the pieces of a long string never pass through (and are
 * never copied by) the collector's young generation. UTF-16 pieces take two bytes a character.
 */
const PIECE_BYTES = { latin1: 1 << 20, utf16le: 2 << 20 } as const;

/**
 * Puts the lifted strings back where they were (the skeleton holds null at each path), a bounded
 * amount per call: `step()` returns true once the value is whole (then in `value`).
 */
class Rebuild {
  private readonly box: Record<string, unknown>;
  private readonly bytes: Buffer;
  private span = 0;
  /** The string of the current span built so far, and where its next piece starts. */
  private built = '';
  private pieces: string[] = [];
  private at: number | undefined;

  constructor(private readonly answer: Extract<Answer, { ok: true }>) {
    this.box = { v: JSON.parse(answer.skeleton) };
    const strings = answer.strings;
    this.bytes = Buffer.from(strings.buffer, strings.byteOffset, strings.byteLength);
  }

  get value(): unknown {
    return this.box.v;
  }

  step(budget: number): boolean {
    const { spans } = this.answer;
    let used = 0;
    while (this.span < spans.length && used < budget) {
      const span = spans[this.span]!;
      const from = this.at ?? span.start;
      let end = Math.min(span.end, from + PIECE_BYTES[span.encoding]);
      // A piece never ends between the halves of a surrogate pair, so each can be read on its own.
      if (
        end < span.end &&
        span.encoding === 'utf16le' &&
        isHighSurrogate(this.bytes.readUInt16LE(end - 2))
      ) {
        end -= 2;
      }
      const piece = this.bytes.toString(span.encoding, from, end);
      this.built += piece;
      this.pieces.push(piece);
      used += end - from;
      if (end < span.end) {
        this.at = end;
        continue;
      }
      // Readers of the long text (token sample, stored head, upstream body) read these pieces, so
      // the rope is never copied whole on this thread. An equal text of a body still alive is used
      // instead of this one (same characters), so the two are one string to look up.
      this.place(span.path, (holder) => registerPieces(this.built, this.pieces, holder));
      this.built = '';
      this.pieces = [];
      this.at = undefined;
      this.span += 1;
    }
    return this.span === spans.length;
  }

  /** Puts at `path` the string `text(holder)` gives for the object that will hold it. */
  private place(path: Span['path'], text: (holder: object) => string): void {
    let holder = this.box as Record<string | number, unknown>;
    let key: string | number = 'v';
    for (const step of path) {
      holder = holder[key] as Record<string | number, unknown>;
      key = step;
    }
    holder[key] = text(holder);
  }
}

/** A chunk that owns its whole buffer, so it can be transferred (a view is copied first). */
function ownBytes(chunk: Uint8Array): Uint8Array {
  return chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength
    ? chunk
    : Uint8Array.prototype.slice.call(chunk);
}

export class JsonParsePool {
  private readonly lanes: (Lane | undefined)[];
  private closed = false;
  private nextId = 0;
  /** Answers waiting to be rebuilt on this thread, a bounded amount per event-loop turn. */
  private readonly rebuilds: {
    rebuild: Rebuild | undefined;
    answer: Extract<Answer, { ok: true }>;
    job: Pending;
  }[] = [];
  private rebuilding = false;

  constructor(
    /** Most values (strings, numbers, objects, ...) a body may have. */
    private readonly maxValues: number,
    size = Math.max(1, Math.min(2, availableParallelism() - 1)),
  ) {
    this.lanes = new Array(size).fill(undefined);
  }

  /** Parses bytes already received whole (a copy of them: the caller keeps its bytes). */
  parse(bytes: Uint8Array): Promise<unknown> {
    const stream = this.open();
    stream.write(Uint8Array.prototype.slice.call(bytes));
    return stream.end();
  }

  open(): JsonBodyStream {
    if (this.closed) throw new Error('JSON parse pool is closed');
    const lane = this.leastBusy();
    const id = this.nextId++;
    let ended = false;
    let raw: Buffer | undefined;
    const answer = new Promise<unknown>((resolve, reject) =>
      lane.open.set(id, {
        resolve,
        reject,
        received: (bytes) => {
          raw = bytes;
        },
      }),
    );
    // Until `end()` is awaited, a failure (the worker died) must not be an unhandled rejection.
    answer.catch(() => {});
    const post = (message: Record<string, unknown>, transfer: ArrayBuffer[] = []) => {
      if (this.lanes.includes(lane)) lane.worker.postMessage({ id, ...message }, transfer);
    };
    return {
      write: (chunk) => {
        if (ended) return;
        const own = ownBytes(chunk);
        post({ type: 'chunk', bytes: own }, [own.buffer as ArrayBuffer]);
      },
      bytes: () => raw,
      end: () => {
        if (!ended) post({ type: 'end', maxValues: this.maxValues });
        ended = true;
        return answer;
      },
      abort: () => {
        if (ended) return;
        ended = true;
        post({ type: 'abort' });
        lane.open.get(id)?.reject(new Error('JSON body aborted'));
        lane.open.delete(id);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const lanes = this.lanes.filter((lane): lane is Lane => lane !== undefined);
    this.lanes.fill(undefined);
    for (const lane of lanes) this.fail(lane, new Error('JSON parse pool closed'));
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }

  private leastBusy(): Lane {
    let best: Lane | undefined;
    for (let i = 0; i < this.lanes.length; i++) {
      const lane = this.lanes[i] ?? this.start(i);
      if (!best || lane.open.size < best.open.size) best = lane;
    }
    return best!;
  }

  private start(index: number): Lane {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    const lane: Lane = { worker, open: new Map() };
    worker.on('message', (answer: Answer) => {
      const job = lane.open.get(answer.id);
      if (!job) return;
      lane.open.delete(answer.id);
      if (!answer.ok) return job.reject(new JsonBodyError(answer.reason));
      job.received(Buffer.from(answer.raw.buffer, answer.raw.byteOffset, answer.raw.byteLength));
      this.rebuilds.push({ rebuild: undefined, answer, job });
      this.drainRebuilds();
    });
    const replace = (error: Error) => {
      if (this.lanes[index] === lane) this.lanes[index] = undefined;
      this.fail(lane, error);
    };
    worker.on('error', replace);
    worker.on('exit', () => replace(new Error('JSON parse worker exited')));
    this.lanes[index] = lane;
    return lane;
  }

  /**
   * Rebuilds answers in arrival order, at most `REBUILD_BYTES_PER_TURN` of lifted strings (and one
   * skeleton) per event-loop turn, yielding to the loop in between.
   */
  private drainRebuilds(): void {
    if (this.rebuilding) return;
    this.rebuilding = true;
    setImmediate(() => {
      this.rebuilding = false;
      const next = this.rebuilds[0];
      if (!next) return;
      try {
        if (next.rebuild) {
          if (next.rebuild.step(REBUILD_BYTES_PER_TURN)) {
            this.rebuilds.shift();
            next.job.resolve(next.rebuild.value);
          }
        } else {
          // The skeleton's parse is this turn's work; the strings start next turn.
          next.rebuild = new Rebuild(next.answer);
        }
      } catch (error) {
        this.rebuilds.shift();
        next.job.reject(error as Error);
      }
      if (this.rebuilds.length > 0) this.drainRebuilds();
    });
  }

  private fail(lane: Lane, error: Error): void {
    for (const job of lane.open.values()) job.reject(error);
    lane.open.clear();
  }
}
