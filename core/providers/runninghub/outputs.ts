import type { TaskOutput, TaskStatus } from '../media-contract.js';
import { providerProtocolError } from '../shared/errors.js';
import { isObject, str } from '../shared/wire.js';
import type { Envelope } from './client.js';
import { runningHubError, TASK_FAILED_CODE, TASK_QUEUED_CODE, TASK_RUNNING_CODE } from './errors.js';

/**
 * Reads an `/outputs` envelope (also the `eventData` of a webhook): 0 with files = succeeded,
 * 813 = queued, 804 = running, 805 = failed. Some sources show `code 0, data null` while a task is
 * unfinished, so that reads as running.
 */
export function taskStatusFromOutputs(envelope: Envelope): TaskStatus {
  switch (envelope.code) {
    case TASK_QUEUED_CODE:
      return { status: 'queued' };
    case TASK_RUNNING_CODE:
      return { status: 'running' };
    case TASK_FAILED_CODE:
      return {
        status: 'failed',
        error: runningHubError(envelope.code, failureReason(envelope.data) ?? envelope.msg),
      };
    case 0:
      break;
    default:
      throw runningHubError(envelope.code, envelope.msg);
  }
  if (envelope.data === null || envelope.data === undefined) return { status: 'running' };
  if (!Array.isArray(envelope.data)) throw providerProtocolError('runninghub', 'outputs data is not a list');
  const outputs: TaskOutput[] = [];
  let seconds: number | undefined;
  let coins = 0n;
  let money: string | undefined;
  for (const item of envelope.data) {
    if (!isObject(item)) continue;
    const url = str(item.fileUrl);
    if (url === undefined) continue;
    outputs.push({ url, fileType: str(item.fileType) ?? 'unknown' });
    const cost = Number(item.taskCostTime);
    if (Number.isFinite(cost)) seconds = Math.max(seconds ?? 0, cost);
    const itemCoins = String(item.consumeCoins ?? '');
    if (/^\d+$/.test(itemCoins)) coins += BigInt(itemCoins);
    money ??=
      typeof item.consumeMoney === 'string' || typeof item.consumeMoney === 'number'
        ? String(item.consumeMoney)
        : undefined;
  }
  if (outputs.length === 0) throw providerProtocolError('runninghub', 'task succeeded without output files');
  const upstreamCost = {
    ...(seconds === undefined ? {} : { seconds }),
    ...(coins === 0n ? {} : { coins: coins.toString() }),
    ...(money === undefined ? {} : { money }),
  };
  return {
    status: 'succeeded',
    outputs,
    ...(Object.keys(upstreamCost).length === 0 ? {} : { upstreamCost }),
  };
}

/** A short reason from a failed task's data, when it has one (shape not documented; read defensively). */
function failureReason(data: unknown): string | undefined {
  if (!isObject(data)) return undefined;
  const reason = isObject(data.failedReason) ? data.failedReason : undefined;
  const message = str(reason?.exception_message) ?? str(data.failedReason) ?? str(data.message);
  return message?.slice(0, 300);
}
