/**
 * Time for code that throttles and waits (streaming replies, flood-control back-off).
 * Tests pass `virtualScheduler()`, whose sleeps advance a virtual clock instantly, so no test
 * waits on the wall clock and results do not depend on machine speed.
 */
export interface Scheduler {
  /** Milliseconds on a monotonic-enough clock. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

export interface VirtualScheduler extends Scheduler {
  /** Moves the clock forward (e.g. between stream deltas, to simulate the model's pace). */
  advance(ms: number): void;
  /** Every sleep requested, in order. */
  readonly sleeps: number[];
}

export function virtualScheduler(start = 0): VirtualScheduler {
  let current = start;
  const sleeps: number[] = [];
  return {
    now: () => current,
    sleep: async (ms) => {
      sleeps.push(ms);
      current += Math.max(0, ms);
    },
    advance: (ms) => {
      current += ms;
    },
    sleeps,
  };
}
