import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { parseRunningHubWebhook } from '../../core/providers/media.js';
import { runningHubWebhookResponse } from '../schemas/responses-public.js';

/**
 * `POST /webhooks/runninghub`: RunningHub's `TASK_END` callback. It is unsigned, so it is only a
 * hint: the task is looked up at RunningHub before the job is advanced through the queue. Answered
 * quickly and with 200 even when the check fails (the job's own polling still finishes it), so
 * RunningHub does not retry a callback forever.
 */
export default async function runningHubWebhookRoutes(
  app: FastifyInstance,
  opts: { core: Core },
): Promise<void> {
  const media = opts.core.media;
  if (media === undefined) return;

  app.post(
    '/webhooks/runninghub',
    { schema: { response: { 200: runningHubWebhookResponse }, summary: 'RunningHub task callback' } },
    async (request) => {
      const event = parseRunningHubWebhook(request.rawBody ?? Buffer.alloc(0));
      const advanced = await media.confirmRunningHubTask(event.taskId).catch((error: unknown) => {
        request.log.warn({ err: (error as Error).message }, 'runninghub callback not confirmed');
        return false;
      });
      return { received: true, advanced };
    },
  );
}
