import type { Database } from '../../db/index.js';
import type { Catalog, CatalogRoute } from '../catalog/index.js';
import type { Jobs } from '../jobs/index.js';
import type { MeteredJobs } from '../metering/index.js';
import type { Clock } from '../ports/clock.js';
import type { ImageProcessor } from '../ports/images.js';
import type { TaskQueue } from '../ports/queue.js';
import type { Storage } from '../ports/storage.js';
import {
  type ImageProvider,
  type MediaProviders,
  TASK_INPUT_NAMES,
  type TaskProvider,
  type WorkflowRoute,
} from '../providers/media.js';
import type { RateLimits } from '../ratelimit/index.js';
import type { RouteHealth } from '../routing/index.js';

/** The ports a media service needs; the shell (bin) builds storage, the image processor and the queue. */
export interface MediaPorts {
  storage: Storage;
  images: ImageProcessor;
  providers: MediaProviders;
  queue: TaskQueue;
}

export interface MediaDeps extends MediaPorts {
  db: Database;
  clock: Clock;
  catalog: Catalog;
  /** Holds, settles and releases (the metered-job core shared with chat). */
  metered: MeteredJobs;
  jobs: Jobs;
  /** Request limits per account and key, as for chat (none when absent). */
  rateLimits?: RateLimits;
  /** Route health (breaker, ordering); one of its own per process when absent. */
  health?: RouteHealth;
}

export interface MediaOptions {
  /** Base of our file links (`{publicUrl}/files/...`) and of the RunningHub webhook. */
  publicUrl: string;
  /** Deployment secret the file links are signed with (a purpose-bound key is derived from it). */
  fileSecret: string;
  /** Ask RunningHub to call `{publicUrl}/webhooks/runninghub` when a task ends. Default true. */
  webhooks?: boolean;
  /** Gap between two status polls of an upstream task. Default 5 s. */
  pollIntervalMs?: number;
  /** Give up on an upstream task after this long (it is cancelled, the hold released). */
  maxTaskMs?: { image?: number; video?: number };
  /** How long a synchronous API call waits for its job. Default 5 minutes. */
  waitTimeoutMs?: number;
}

export const QUEUE_TASKS = {
  generate: 'media.generate',
  poll: 'media.poll',
  deliver: 'media.deliver',
  /** A video still being made, told to its chat: `{ jobId, state: 'running', percent? }`. */
  progress: 'media.progress',
} as const;

/** How one catalog route is served on this deployment. */
export type RouteRunner =
  | { kind: 'image'; provider: ImageProvider; route: CatalogRoute }
  | { kind: 'task'; provider: TaskProvider; route: CatalogRoute };

/** The provider for a route, or undefined when this deployment cannot serve it for that kind of work. */
export function runnerFor(
  providers: MediaProviders,
  route: CatalogRoute,
  kind: 'image' | 'video',
): RouteRunner | undefined {
  if (route.provider === 'runninghub') {
    const provider = providers.tasks.runninghub;
    return provider ? { kind: 'task', provider, route } : undefined;
  }
  if (kind === 'video') {
    const provider = route.provider === 'openai' ? providers.tasks.openai : undefined;
    return provider ? { kind: 'task', provider, route } : undefined;
  }
  const provider =
    route.provider === 'openai'
      ? providers.images.openai
      : route.provider === 'gemini'
        ? providers.images.gemini
        : undefined;
  return provider ? { kind: 'image', provider, route } : undefined;
}

/** The catalog route's node mapping in the task contract's terms (unknown input names are dropped). */
export function workflowRoute(route: CatalogRoute): WorkflowRoute | undefined {
  if (route.workflowId === undefined) return undefined;
  const inputs: WorkflowRoute['inputs'] = {};
  for (const name of TASK_INPUT_NAMES) {
    const input = route.inputs?.[name];
    if (input !== undefined) inputs[name] = input;
  }
  return { workflowId: route.workflowId, inputs };
}
