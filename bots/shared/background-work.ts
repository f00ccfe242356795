import { type BotLogger, errorFields } from './bot-logger.js';

/**
 * Work a platform adapter continues after it has answered the platform's HTTP request (Telegram
 * webhook updates, Slack events, deferred Discord interactions). A failure is logged, never thrown
 * at the caller; `drain()` waits until nothing is in flight, for shutdown and tests.
 */
export interface BackgroundWork {
  /** Tracks `work`; the returned promise settles with it and never rejects. */
  run(work: Promise<unknown>, failure: string): Promise<void>;
  drain(): Promise<void>;
}

export function createBackgroundWork(logger: BotLogger): BackgroundWork {
  const pending = new Set<Promise<void>>();
  return {
    run(work, failure) {
      const tracked: Promise<void> = work
        .then(() => undefined)
        .catch((error: unknown) => logger.error(errorFields(error), failure))
        .finally(() => pending.delete(tracked));
      pending.add(tracked);
      return tracked;
    },
    async drain() {
      // Work may start more work while it runs: wait until the set stays empty.
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
