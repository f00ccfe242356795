import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * `JSON.parse` of large request bodies on worker threads, so a multi-megabyte body never blocks the
 * event loop that serves everyone else.
 *
 * Rebuilding the value on this thread must cost far less than parsing it, and neither structured
 * clone nor a plain re-parse does (cloning is as slow as parsing). So the worker sends two things:
 * the value's skeleton as JSON, with every long string lifted out (cheap to parse: few values), and
 * the lifted strings as raw Latin-1 or UTF-16 bytes in one transferred buffer, which become strings
 * again by a copy, not a parse. A body with more than `maxValues` values is refused instead: its
 * skeleton alone would be as slow to rebuild as the body.
 *
 * Contract: `parse(bytes)` resolves to exactly what `JSON.parse(bytes.toString('utf8'))` returns
 * (lone surrogates included), or rejects with `JsonBodyError`: `invalid` (not JSON), `too_many_values`,
 * `too_deep` (nesting the skeleton cannot be written for). The bytes are copied, never transferred,
 * so the caller keeps them (webhooks verify signatures on the raw body). Workers start on first
 * use, are unref'd (they never keep the process alive) and are replaced when one dies; `close()`
 * ends them.
 */
export class JsonBodyError extends Error {
  constructor(readonly reason: 'invalid' | 'too_many_values' | 'too_deep') {
    super(reason);
  }
}

/** Strings this long travel as bytes; shorter ones stay in the skeleton. */
const LIFT_CHARS = 4096;

/**
 * The worker, in plain JavaScript so the same code runs under any loader and in the compiled build.
 * Its walk is iterative (no recursion limit) and builds a path only for lifted strings.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const LIFT = ${LIFT_CHARS};
function pathOf(entry) {
  const path = [];
  for (let e = entry; e.parent; e = e.parent) path.push(e.key);
  return path.reverse();
}
parentPort.on('message', ({ bytes, maxValues }) => {
  let root;
  try {
    root = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    parentPort.postMessage({ ok: false, reason: 'invalid' });
    return;
  }
  const box = { v: root };
  const lifted = [];
  const stack = [{ holder: box, key: 'v', parent: undefined }];
  let values = 0;
  while (stack.length > 0) {
    const entry = stack.pop();
    const value = entry.holder[entry.key];
    if (++values > maxValues) {
      parentPort.postMessage({ ok: false, reason: 'too_many_values' });
      return;
    }
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
    parentPort.postMessage({ ok: false, reason: 'too_deep' });
    return;
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
  parentPort.postMessage({ ok: true, skeleton, spans, strings }, [strings.buffer]);
});
`;

interface Span {
  path: (string | number)[];
  encoding: 'latin1' | 'utf16le';
  start: number;
  end: number;
}

type Answer =
  | { ok: true; skeleton: string; spans: Span[]; strings: Uint8Array }
  | { ok: false; reason: JsonBodyError['reason'] };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Lane {
  worker: Worker;
  /** Jobs in the order they were posted; a worker answers them in that order. */
  queue: Pending[];
}

/** Puts the lifted strings back where they were: the skeleton holds null at each path. */
function rebuild(answer: Extract<Answer, { ok: true }>): unknown {
  const box: Record<string, unknown> = { v: JSON.parse(answer.skeleton) };
  const bytes = Buffer.from(answer.strings.buffer, answer.strings.byteOffset, answer.strings.byteLength);
  for (const span of answer.spans) {
    let holder = box as Record<string | number, unknown>;
    let key: string | number = 'v';
    for (const step of span.path) {
      holder = holder[key] as Record<string | number, unknown>;
      key = step;
    }
    holder[key] = bytes.toString(span.encoding, span.start, span.end);
  }
  return box.v;
}

export class JsonParsePool {
  private readonly lanes: (Lane | undefined)[];
  private closed = false;

  constructor(
    /** Most values (strings, numbers, objects, ...) a body may have. */
    private readonly maxValues: number,
    size = Math.max(1, Math.min(2, availableParallelism() - 1)),
  ) {
    this.lanes = new Array(size).fill(undefined);
  }

  parse(bytes: Uint8Array): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('JSON parse pool is closed'));
    const lane = this.leastBusy();
    return new Promise((resolve, reject) => {
      lane.queue.push({ resolve, reject });
      lane.worker.postMessage({ bytes, maxValues: this.maxValues });
    });
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
      if (!best || lane.queue.length < best.queue.length) best = lane;
    }
    return best!;
  }

  private start(index: number): Lane {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    const lane: Lane = { worker, queue: [] };
    worker.on('message', (answer: Answer) => {
      const job = lane.queue.shift();
      if (!job) return;
      if (!answer.ok) return job.reject(new JsonBodyError(answer.reason));
      try {
        job.resolve(rebuild(answer));
      } catch (error) {
        job.reject(error as Error);
      }
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

  private fail(lane: Lane, error: Error): void {
    for (const job of lane.queue.splice(0)) job.reject(error);
  }
}
