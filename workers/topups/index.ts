import type { Notifier } from '../../core/ports/notifier.js';
import type { TaskRegistry } from '../../core/ports/queue.js';
import { type MootaRestClient, NOTIFY_TASK, parseNotifyTask, type Topups } from '../../core/topups/index.js';

export const TOPUP_TASKS = {
  notify: NOTIFY_TASK,
  poll: 'moota.poll',
  flagStale: 'topups.flag-stale',
  expire: 'topups.expire',
  decideStuck: 'topups.decide-stuck',
} as const;

export interface TopupRegistryOptions {
  topups: Topups;
  /** Sends confirmations (chat through the bots, email through the Mailer: see routeNotifier). */
  notifier: Notifier;
  /** Moota's REST client; when given (MOOTA_API_TOKEN set), recent mutations are polled. */
  moota?: MootaRestClient | undefined;
  /** How often to poll Moota (default 5 minutes). */
  pollEveryMs?: number;
  /** Told what a poll or sweep found, for the logs. */
  onReport?: (task: string, report: Record<string, unknown>) => void;
}

const HOUR_MS = 3_600_000;

/**
 * The top-up processors for the worker runtime. Each is idempotent: a notify task carries everything
 * it sends (and its job id is per credited mutation), polling feeds the same once-per-mutation
 * intake as the webhook, and the sweeps are conditional updates.
 */
export function topupTaskRegistry(options: TopupRegistryOptions): TaskRegistry {
  const { topups, notifier, moota } = options;
  const report = options.onReport ?? (() => {});
  return {
    processors: {
      delivery: {
        [TOPUP_TASKS.notify]: async (data) => {
          const { target, message } = parseNotifyTask(data);
          await notifier.notify(target, message);
        },
      },
      maintenance: {
        ...(moota
          ? {
              [TOPUP_TASKS.poll]: async () => {
                const result = await topups.pollMoota(moota);
                const matched = result.outcomes.filter((o) => o.outcome === 'matched').length;
                if (result.stored > 0 || result.rejected.length > 0 || result.truncated) {
                  report(TOPUP_TASKS.poll, {
                    received: result.received,
                    stored: result.stored,
                    matched,
                    rejected: result.rejected.length,
                    truncated: result.truncated,
                  });
                }
              },
            }
          : {}),
        [TOPUP_TASKS.flagStale]: async () => {
          const flagged = await topups.flagStaleUnmatched();
          if (flagged.length > 0) report(TOPUP_TASKS.flagStale, { flagged: flagged.length });
        },
        [TOPUP_TASKS.expire]: async () => {
          await topups.expireStaleRequests();
        },
        [TOPUP_TASKS.decideStuck]: async () => {
          const decided = await topups.decideStuckMutations();
          if (decided > 0) report(TOPUP_TASKS.decideStuck, { decided });
        },
      },
    },
    repeatable: [
      ...(moota
        ? [
            {
              queue: 'maintenance' as const,
              task: TOPUP_TASKS.poll,
              everyMs: options.pollEveryMs ?? 5 * 60_000,
            },
          ]
        : []),
      { queue: 'maintenance', task: TOPUP_TASKS.flagStale, everyMs: 6 * HOUR_MS },
      { queue: 'maintenance', task: TOPUP_TASKS.expire, everyMs: HOUR_MS },
      { queue: 'maintenance', task: TOPUP_TASKS.decideStuck, everyMs: 5 * 60_000 },
    ],
  };
}
