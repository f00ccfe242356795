import { Counter, Gauge, type Registry } from 'prom-client';
import { isCoreError } from '../../core/errors.js';
import type { TaskRegistry } from '../../core/ports/queue.js';
import type { Retention, RetentionReport } from '../../core/retention/index.js';

export const RETENTION_TASK = 'retention.run';
/** Deletes the uploads of zero-retention accounts' finished jobs. */
export const ZERO_RETENTION_UPLOADS_TASK = 'retention.zero-retention-uploads';
const ZERO_RETENTION_SWEEP_MS = 5 * 60_000;
/** Daily at 03:17 UTC (10:17 WIB): off-peak, and off the top of the hour when other jobs start. */
export const RETENTION_PATTERN = '17 3 * * *';

export interface RetentionLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

export interface RetentionRegistryOptions {
  retention: Retention;
  logger?: RetentionLogger;
  /** When given, purge counts and run timings are exported as Prometheus metrics. */
  metrics?: Registry;
}

const PURGED_KINDS = [
  ['jobContents', 'job_content'],
  ['mediaFiles', 'media_file'],
  ['conversationMessages', 'conversation_message'],
  ['storedResponses', 'stored_response'],
  ['revokedKeys', 'revoked_key'],
  ['auditRows', 'audit_row'],
  ['anonymizedAccounts', 'closed_account'],
] as const satisfies ReadonlyArray<readonly [keyof RetentionReport, string]>;

type RetentionMetrics = ReturnType<typeof createRetentionMetrics>;
const metricsByRegistry = new WeakMap<Registry, RetentionMetrics>();

function retentionMetrics(registry: Registry): RetentionMetrics {
  let metrics = metricsByRegistry.get(registry);
  if (!metrics) {
    metrics = createRetentionMetrics(registry);
    metricsByRegistry.set(registry, metrics);
  }
  return metrics;
}

function createRetentionMetrics(registry: Registry) {
  return {
    purged: new Counter({
      name: 'aiport_retention_purged_total',
      help: 'Rows and files purged by retention, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    fileErrors: new Counter({
      name: 'aiport_retention_file_errors_total',
      help: 'Files storage refused to delete (retried on the next run)',
      registers: [registry],
    }),
    duration: new Gauge({
      name: 'aiport_retention_last_run_seconds',
      help: 'Duration of the last retention run',
      registers: [registry],
    }),
    longest: new Gauge({
      name: 'aiport_retention_longest_statement_seconds',
      help: 'Longest single statement of the last retention run',
      registers: [registry],
    }),
    lastSuccess: new Gauge({
      name: 'aiport_retention_last_success_timestamp_seconds',
      help: 'When the last retention run finished',
      registers: [registry],
    }),
  };
}

/** Writes a report to the logs and, when a registry is given, to the metrics. */
export function reportRetention(
  report: RetentionReport,
  options: Omit<RetentionRegistryOptions, 'retention'>,
): void {
  options.logger?.info({ ...report }, 'retention run finished');
  if (!options.metrics) return;
  const m = retentionMetrics(options.metrics);
  for (const [field, kind] of PURGED_KINDS) m.purged.inc({ kind }, report[field] as number);
  m.fileErrors.inc(report.mediaFileErrors);
  m.duration.set(report.durationMs / 1000);
  m.longest.set(report.longestStatementMs / 1000);
  m.lastSuccess.set(Date.now() / 1000);
}

/**
 * The daily retention run for the worker runtime. Every step is idempotent, so a retried or
 * duplicated task only finds less to do; a run that finds another one in progress ends quietly.
 */
export function retentionTaskRegistry(options: RetentionRegistryOptions): TaskRegistry {
  const reportTo = {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
  return {
    processors: {
      maintenance: {
        [RETENTION_TASK]: async () => {
          try {
            reportRetention(await options.retention.run(), reportTo);
          } catch (error) {
            if (isCoreError(error) && error.code === 'conflict') {
              options.logger?.info({}, 'retention already running elsewhere; skipped');
              return;
            }
            throw error;
          }
        },
        [ZERO_RETENTION_UPLOADS_TASK]: async () => {
          const deleted = await options.retention.purgeZeroRetentionUploads();
          if (deleted > 0) options.logger?.info({ deleted }, 'zero-retention uploads deleted');
        },
      },
    },
    repeatable: [
      { queue: 'maintenance', task: RETENTION_TASK, pattern: RETENTION_PATTERN },
      { queue: 'maintenance', task: ZERO_RETENTION_UPLOADS_TASK, everyMs: ZERO_RETENTION_SWEEP_MS },
    ],
  };
}
