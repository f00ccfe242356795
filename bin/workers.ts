import type { TaskRegistry } from '../core/ports/queue.js';
import { createMootaRestClient, routeNotifier } from '../core/topups/index.js';
import { mediaTaskRegistry } from '../workers/generation/index.js';
import { retentionTaskRegistry } from '../workers/retention/index.js';
import { type RunningWorkers, startWorkers } from '../workers/runtime/index.js';
import { topupTaskRegistry } from '../workers/topups/index.js';
import type { Container } from './container.js';

/** Every domain's processors and repeatable tasks. Each domain adds its registry here. */
export function taskRegistries(container: Container): TaskRegistry[] {
  const registries: TaskRegistry[] = [
    {
      processors: {
        maintenance: {
          'holds.sweep': async () => {
            const resolved = await container.core.metered.sweep();
            if (resolved > 0) container.logger.info({ resolved }, 'holds of ended or dead jobs resolved');
          },
        },
      },
      repeatable: [{ queue: 'maintenance', task: 'holds.sweep', everyMs: 60_000 }],
    },
  ];
  if (container.core.media) {
    registries.push(
      mediaTaskRegistry({
        media: container.core.media,
        deliver: container.bots.deliverMedia,
        progress: container.bots.reportMediaProgress,
      }),
    );
  }
  const { config, logger } = container;
  registries.push(
    topupTaskRegistry({
      topups: container.core.topups,
      notifier: routeNotifier({ chat: container.bots.notifier, mailer: container.mailer }),
      moota: config.MOOTA_API_TOKEN
        ? createMootaRestClient({ baseUrl: config.MOOTA_BASE_URL, token: config.MOOTA_API_TOKEN })
        : undefined,
      onReport: (task, report) => logger.info({ task, ...report }, 'top-up task'),
    }),
  );
  registries.push(
    retentionTaskRegistry({ retention: container.core.retention, logger, metrics: container.metrics }),
  );
  return registries;
}

export function startWorkerRole(container: Container): Promise<RunningWorkers> {
  return startWorkers(taskRegistries(container), {
    connection: container.redis,
    prefix: container.config.REDIS_PREFIX,
    logger: container.logger,
    queues: container.queues.queues,
    lockDurationMs: container.config.WORKER_LOCK_MS,
    stalledIntervalMs: container.config.WORKER_LOCK_MS,
  });
}
