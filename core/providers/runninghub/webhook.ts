import { CoreError } from '../../errors.js';
import type { TaskStatus } from '../media-contract.js';
import { isObject, str } from '../shared/wire.js';
import { parseEnvelope, parseJsonKeepingIds } from './client.js';
import { taskStatusFromOutputs } from './outputs.js';

export interface RunningHubWebhookEvent {
  taskId: string;
  /** What the event claims. It is unsigned: confirm by polling the task before acting on it. */
  claimed: TaskStatus | undefined;
}

/**
 * Parses RunningHub's `TASK_END` callback: `{"event":"TASK_END","taskId":"...","eventData":"<JSON
 * string of an /outputs answer>"}`. Throws CoreError('invalid_request') for anything else. Since no
 * signature is documented, the caller must treat the event only as a hint to poll `taskId` now.
 */
export function parseRunningHubWebhook(rawBody: string | Uint8Array): RunningHubWebhookEvent {
  let body: unknown;
  try {
    body = parseJsonKeepingIds(typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8'));
  } catch {
    throw new CoreError('invalid_request', 'Webhook body is not JSON.');
  }
  if (!isObject(body) || body.event !== 'TASK_END') {
    throw new CoreError('invalid_request', 'Not a RunningHub TASK_END event.');
  }
  const taskId = str(body.taskId);
  if (taskId === undefined || !/^[0-9A-Za-z_-]{1,64}$/.test(taskId)) {
    throw new CoreError('invalid_request', 'Webhook event has no valid taskId.');
  }
  let claimed: TaskStatus | undefined;
  try {
    const eventData =
      typeof body.eventData === 'string' ? parseJsonKeepingIds(body.eventData) : body.eventData;
    claimed = taskStatusFromOutputs(parseEnvelope(eventData));
  } catch {
    claimed = undefined;
  }
  return { taskId, claimed };
}
