import { isCoreError } from '../errors.js';
import { isProviderError, type ProviderError } from '../providers/index.js';

/**
 * The one failover policy of chat and media: what an upstream failure says about the route.
 *
 * - `refused`: the content was refused for safety. Not billed, not tried elsewhere, not the route's
 *   fault.
 * - `route`: this route is broken for every request (our key, our upstream account or its money,
 *   the model gone, a spend or organization limit). Try the next route; counts against the route's
 *   breaker so it stops being tried.
 * - `transient`: the upstream is busy or failing right now (429, 408/409, 5xx, timeouts, network,
 *   a broken answer). Try the next route; counts against the breaker.
 * - `request`: the caller's request is at fault (400, 413, 422, ...). Never tried elsewhere (it
 *   would fail the same way and waste a paid call); neutral for the breaker.
 *
 * By HTTP status: 401, 402, 403, 404 are `route`; 408, 409, 429 and every 5xx (529 included) are
 * `transient`; other 4xx are `request`; no status (network failure, timeout, a stream cut or
 * unreadable) is `transient`. The table below overrides the status where a provider documents a
 * route-level fault under a status that would otherwise read as the caller's or a passing one, in
 * the provider's own wording.
 */

export type FailureKind = 'refused' | 'route' | 'transient' | 'request';

interface RouteFault {
  provider: 'openai' | 'anthropic' | 'gemini' | 'deepseek' | 'runninghub' | '*';
  /** The status it arrives with, when the provider documents one (informative; matching is by wording). */
  status?: number;
  /** The provider's machine-readable reason (see ProviderError.upstreamCode / upstream type). */
  code?: string;
  /** A code prefix, for families of reasons. */
  codePrefix?: string;
  /** The start of the provider's message, for faults documented only by their text. */
  message?: string;
  meaning: string;
}

/** Route-level faults in each provider's own words, for chat and media alike. */
export const ROUTE_FAULTS: readonly RouteFault[] = [
  // OpenAI (and the OpenAI-compatible vendors that reuse its codes): `error.code` / `error.type`.
  { provider: '*', status: 401, code: 'invalid_api_key', meaning: 'our key is wrong or revoked' },
  { provider: '*', status: 429, code: 'insufficient_quota', meaning: 'our account has no quota left' },
  { provider: 'openai', status: 429, code: 'credit_balance_exhausted', meaning: 'no prepaid credits left' },
  {
    provider: 'openai',
    status: 429,
    code: 'organization_usage_limit_exceeded',
    meaning: 'the usage limit OpenAI assigned to our organization',
  },
  {
    provider: 'openai',
    status: 429,
    code: 'organization_spend_limit_exceeded',
    meaning: 'our organization hard spend limit',
  },
  {
    provider: 'openai',
    status: 429,
    code: 'project_spend_limit_exceeded',
    meaning: 'our project spend limit',
  },
  {
    provider: 'openai',
    status: 403,
    code: 'unsupported_country_region_territory',
    meaning: 'the route is not served from our region',
  },
  // DeepSeek: 402 "Insufficient Balance" (`insufficient_balance` on some gateways), 401 "Authentication Fails".
  {
    provider: 'deepseek',
    status: 402,
    code: 'insufficient_balance',
    meaning: 'our DeepSeek balance is empty',
  },
  // Anthropic: `error.details.error_code`, or only the message for spend limits set in the Console.
  {
    provider: 'anthropic',
    status: 429,
    code: 'enforced_spend_limit_reached',
    meaning: "the usage tier's monthly spend cap (no retry-after; resumes next month)",
  },
  {
    provider: 'anthropic',
    status: 429,
    code: 'contract_spend_limit_reached',
    meaning: 'the organization reached the spend limit of its contract',
  },
  {
    provider: 'anthropic',
    status: 429,
    code: 'ramp_limit_exceeded',
    meaning: 'the ramp-up limit of a new organization',
  },
  {
    provider: 'anthropic',
    status: 402,
    codePrefix: 'linked_organization_',
    meaning: 'the linked organization reached its spend limit or lacks credit',
  },
  {
    provider: 'anthropic',
    status: 400,
    message: 'You have reached your specified API usage limits',
    meaning: 'an organization spend limit set in the Console',
  },
  {
    provider: 'anthropic',
    status: 400,
    message: 'You have reached your specified workspace API usage limits',
    meaning: 'a workspace spend limit set in the Console',
  },
  {
    provider: 'anthropic',
    status: 400,
    message: 'Your credit balance is too low',
    meaning: 'our prepaid credit is used up',
  },
  // Gemini: `google.rpc.ErrorInfo.reason` (an expired or invalid key is HTTP 400).
  { provider: 'gemini', status: 400, code: 'API_KEY_INVALID', meaning: 'our key is invalid or expired' },
  {
    provider: 'gemini',
    status: 403,
    code: 'API_KEY_SERVICE_BLOCKED',
    meaning: 'our key may not call this API',
  },
  {
    provider: 'gemini',
    status: 403,
    code: 'SERVICE_DISABLED',
    meaning: 'the API is disabled in our project',
  },
  { provider: 'gemini', status: 403, code: 'BILLING_DISABLED', meaning: 'billing is off in our project' },
  { provider: 'gemini', status: 403, code: 'CONSUMER_INVALID', meaning: 'our project is gone or invalid' },
  {
    provider: 'gemini',
    status: 400,
    message: 'User location is not supported',
    meaning: 'the route is not served from our region',
  },
  // RunningHub: HTTP 200 with a business code (its name here).
  { provider: 'runninghub', code: 'TOKEN_INVALID', meaning: 'our key is invalid' },
  { provider: 'runninghub', code: 'APIKEY_UNAUTHORIZED', meaning: 'our key is not authorized' },
  { provider: 'runninghub', code: 'APIKEY_UNSUPPORTED_FREE_USER', meaning: 'our account is a free one' },
  { provider: 'runninghub', code: 'APIKEY_USER_NOT_FOUND', meaning: 'our account is gone' },
  { provider: 'runninghub', code: 'CORPAPIKEY_INVALID', meaning: 'our enterprise key is invalid' },
  {
    provider: 'runninghub',
    code: 'TASK_CREATE_FAILED_BY_NOT_ENOUGH_WALLET',
    meaning: 'our wallet is empty',
  },
  {
    provider: 'runninghub',
    code: 'CORPAPIKEY_INSUFFICIENT_FUNDS',
    meaning: 'our enterprise wallet is empty',
  },
  { provider: 'runninghub', code: 'WORKFLOW_NOT_EXISTS', meaning: "the route's workflow is gone" },
  { provider: 'runninghub', code: 'WEBAPP_NOT_EXISTS', meaning: "the route's app is gone" },
];

const ROUTE_STATUSES: ReadonlySet<number> = new Set([401, 402, 403, 404]);

function matches(fault: RouteFault, error: ProviderError): boolean {
  if (fault.provider !== '*' && fault.provider !== error.provider) return false;
  const code = error.upstreamCode;
  const type = typeof error.details.upstream_type === 'string' ? error.details.upstream_type : undefined;
  if (fault.code !== undefined) return code === fault.code || type === fault.code;
  if (fault.codePrefix !== undefined) {
    return (code ?? type ?? '').startsWith(fault.codePrefix);
  }
  if (fault.message !== undefined) {
    // ProviderError messages read "<provider> returned HTTP <status>: <upstream message>".
    const upstream = error.message.replace(/^\S+ returned HTTP \d+: /, '');
    return upstream.startsWith(fault.message);
  }
  return false;
}

/** The route-level fault an error is, if the table names it. */
export function routeFaultOf(error: unknown): RouteFault | undefined {
  if (!isProviderError(error)) return undefined;
  return ROUTE_FAULTS.find((fault) => matches(fault, error));
}

export function classifyFailure(error: unknown): FailureKind {
  if (isCoreError(error) && error.code === 'content_refused') return 'refused';
  if (!isCoreError(error)) return 'transient';
  if (routeFaultOf(error) !== undefined) return 'route';
  if (isProviderError(error)) {
    const status = error.status;
    if (status === undefined) return error.retryable ? 'transient' : 'request';
    if (ROUTE_STATUSES.has(status)) return 'route';
    if (status === 408 || status === 409 || status === 429 || status >= 500) return 'transient';
    return 'request';
  }
  return error.retryable ? 'transient' : 'request';
}

/** Whether the next route may be tried after this failure. */
export function failsOver(kind: FailureKind): boolean {
  return kind === 'route' || kind === 'transient';
}
