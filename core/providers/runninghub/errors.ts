import type { CoreErrorCode } from '../../errors.js';
import { ProviderError } from '../shared/errors.js';

/**
 * RunningHub answers HTTP 200 with a business `code`. What each code means for us: whether the
 * same request may succeed later (queue and capacity limits) or needs a person to change something
 * (an empty wallet, a bad key, a workflow that does not exist or fails validation).
 */
interface CodeRule {
  name: string;
  code: CoreErrorCode;
  retryable: boolean;
}

const RULES: Record<number, CodeRule> = {
  301: { name: 'PARAMS_INVALID', code: 'invalid_request', retryable: false },
  380: { name: 'WORKFLOW_NOT_EXISTS', code: 'upstream_error', retryable: false },
  412: { name: 'TOKEN_INVALID', code: 'upstream_error', retryable: false },
  415: { name: 'TASK_INSTANCE_MAXED', code: 'upstream_unavailable', retryable: true },
  416: { name: 'TASK_CREATE_FAILED_BY_NOT_ENOUGH_WALLET', code: 'upstream_error', retryable: false },
  421: { name: 'TASK_QUEUE_MAXED', code: 'upstream_unavailable', retryable: true },
  423: { name: 'TASK_NOT_FOUNED', code: 'not_found', retryable: false },
  433: { name: 'VALIDATE_PROMPT_FAILED', code: 'upstream_error', retryable: false },
  435: { name: 'TASK_USER_EXCLAPI_INSTANCE_NOT_FOUND', code: 'upstream_error', retryable: false },
  436: { name: 'TASK_USER_EXCLAPI_REQUIRED', code: 'upstream_error', retryable: false },
  500: { name: 'UNKNOWN_ERROR', code: 'upstream_unavailable', retryable: true },
  801: { name: 'APIKEY_UNSUPPORTED_FREE_USER', code: 'upstream_error', retryable: false },
  802: { name: 'APIKEY_UNAUTHORIZED', code: 'upstream_error', retryable: false },
  803: { name: 'APIKEY_INVALID_NODE_INFO', code: 'upstream_error', retryable: false },
  805: { name: 'APIKEY_TASK_STATUS_ERROR', code: 'upstream_error', retryable: false },
  806: { name: 'APIKEY_USER_NOT_FOUND', code: 'upstream_error', retryable: false },
  807: { name: 'APIKEY_TASK_NOT_FOUND', code: 'not_found', retryable: false },
  808: { name: 'APIKEY_UPLOAD_FAILED', code: 'upstream_unavailable', retryable: true },
  809: { name: 'APIKEY_FILE_SIZE_EXCEEDED', code: 'payload_too_large', retryable: false },
  810: { name: 'WORKFLOW_NOT_SAVED_OR_NOT_RUNNING', code: 'upstream_error', retryable: false },
  811: { name: 'CORPAPIKEY_INVALID', code: 'upstream_error', retryable: false },
  812: { name: 'CORPAPIKEY_INSUFFICIENT_FUNDS', code: 'upstream_error', retryable: false },
  814: { name: 'PERSONAL_QUEUE_COUNT_LIMIT', code: 'upstream_unavailable', retryable: true },
  901: { name: 'WEBAPP_NOT_EXISTS', code: 'upstream_error', retryable: false },
};

/** Codes that mean "not finished yet" on `/outputs`, not an error. */
export const TASK_RUNNING_CODE = 804;
export const TASK_QUEUED_CODE = 813;
export const TASK_FAILED_CODE = 805;

export function runningHubError(code: number, msg: string | undefined): ProviderError {
  const rule = RULES[code];
  const name = rule?.name ?? `code ${code}`;
  const text = msg !== undefined && msg !== '' && msg !== name ? `${name}: ${msg}` : name;
  return new ProviderError(rule?.code ?? 'upstream_error', `runninghub returned ${text}`, {
    provider: 'runninghub',
    // An unknown code is not assumed transient: retrying could start a second paid task.
    retryable: rule?.retryable ?? false,
    upstreamType: rule?.name ?? String(code),
    upstreamCode: rule?.name ?? String(code),
  });
}
