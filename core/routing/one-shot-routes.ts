import type { CatalogRoute } from '../catalog/index.js';
import { CoreError, isCoreError } from '../errors.js';
import type { Jobs, ProviderAttempt } from '../jobs/index.js';
import type { MeteredJobs } from '../metering/index.js';
import { isProviderError } from '../providers/index.js';
import { attemptRecord } from './chat-attempt.js';
import { classifyFailure, failsOver } from './failover.js';
import type { RouteHealth } from './health.js';

/**
 * The failover loop of one-shot upstream calls (embeddings, transcription), by the chat policy
 * (failover.ts): routes in health order, each tried once when its breaker lets it; a `route` or
 * `transient` failure counts against the route and moves on; any other failure (the upstream's 4xx
 * for this input, a safety refusal) ends the run with that error, neutral for the breaker. When no
 * route answers: `upstream_unavailable` (retryable) naming the model. Every attempt is appended to
 * `attempts` as it ends, so the caller can record them whatever happens.
 */
export async function tryRoutes<T>(input: {
  modelId: string;
  routes: CatalogRoute[];
  health: RouteHealth;
  attempts: ProviderAttempt[];
  call: (route: CatalogRoute) => Promise<T>;
}): Promise<{ result: T; route: CatalogRoute }> {
  const { health, attempts } = input;
  let lastError: unknown;
  for (const route of health.order(input.routes)) {
    if (!health.tryAcquire(route)) continue;
    const began = performance.now();
    try {
      const result = await input.call(route);
      const latencyMs = Math.round(performance.now() - began);
      health.success(route, latencyMs);
      attempts.push(attemptRecord(route, 'ok', latencyMs));
      return { result, route };
    } catch (error) {
      const latencyMs = Math.round(performance.now() - began);
      const status = isProviderError(error) ? error.status : undefined;
      attempts.push(attemptRecord(route, 'error', latencyMs, errorText(error), status));
      lastError = error;
      if (!failsOver(classifyFailure(error))) {
        health.neutral(route);
        throw error;
      }
      health.failure(route, errorText(error));
    }
  }
  throw new CoreError(
    'upstream_unavailable',
    lastError === undefined
      ? `The model "${input.modelId}" is temporarily unavailable: every provider is failing. Try again shortly.`
      : `The model "${input.modelId}" is unavailable right now (${errorText(lastError)}). Try again shortly.`,
    { retryable: true },
  );
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Ends a one-shot job that produced nothing: its hold released (nothing billed) and its row failed
 * with every attempt and the error; then rethrows the error for the caller's caller.
 */
export async function failOneShotJob(
  deps: { metered: Pick<MeteredJobs, 'release'>; jobs: Pick<Jobs, 'finish'> },
  job: { jobId: string; holdId: string },
  record: { attempts: ProviderAttempt[]; began: number },
  error: unknown,
): Promise<never> {
  await Promise.all([
    deps.metered.release(job),
    deps.jobs.finish(job.jobId, {
      status: 'failed',
      costMrp: 0n,
      attempts: record.attempts,
      provider: record.attempts.at(-1)?.provider,
      latencyMs: Math.round(performance.now() - record.began),
      errorCode: isCoreError(error) ? error.code : 'internal',
      errorMessage: errorText(error),
    }),
  ]);
  throw error;
}
