/**
 * Group commit: the writes of many concurrent requests in one transaction, so a hot account's row
 * is locked and a commit is flushed once per batch instead of once per request.
 *
 * `submit(item)` queues an item; a batch starts on the next turn of the event loop (so every
 * request that arrived in this turn joins it) unless `maxInFlight` batches are already running,
 * in which case it starts when one of them ends. Nothing waits on a timer: a lone request is
 * written at once, and batches grow only while the database is busy. `run` gets the items in
 * arrival order and returns one result per item; each caller is answered only after the batch's
 * transaction has committed (or failed), so what a caller is told is durable.
 */
export interface GroupCommitOptions {
  /** The most items in one batch (one transaction). */
  maxBatch?: number;
  /** How many batches may run at once. */
  maxInFlight?: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommit<I, O> {
  submit(item: I): Promise<O>;
}

export function createGroupCommit<I, O>(
  run: (items: I[]) => Promise<O[]>,
  options: GroupCommitOptions = {},
): GroupCommit<I, O> {
  const maxBatch = options.maxBatch ?? 64;
  const maxInFlight = options.maxInFlight ?? 2;
  let queue: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;

  function schedule(): void {
    if (scheduled || queue.length === 0 || inFlight >= maxInFlight) return;
    scheduled = true;
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    if (queue.length === 0 || inFlight >= maxInFlight) return;
    const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
    queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
    inFlight += 1;
    run(batch.map((w) => w.item))
      .then(
        (outs) => {
          for (let i = 0; i < batch.length; i++) batch[i]!.resolve(outs[i]!);
        },
        (error: unknown) => {
          for (const w of batch) w.reject(error);
        },
      )
      .finally(() => {
        inFlight -= 1;
        schedule();
      });
    schedule();
  }

  return {
    submit(item: I): Promise<O> {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
  };
}
