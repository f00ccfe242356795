import type { ApiKeyRow } from '../../db/index.js';
import { CoreError } from '../errors.js';
import { KEY_MODEL_KINDS, type KeyModelKind } from '../ledger/key-spend.js';
import { formatIdr } from '../ledger/money.js';
import { KEY_LIMIT_PERIODS, type KeyLimitPeriod, periodEnd, periodStart } from './key-periods.js';

/**
 * What an API key may spend and use, beyond its scopes: spend limits (a total and one calendar
 * period), allow-lists of catalog models and kinds, and its own rate limits. In an update an absent
 * field keeps its value and `null` removes the limit.
 */
export interface KeySettingsInput {
  totalLimitMrp?: bigint | null;
  periodLimit?: { period: KeyLimitPeriod; limitMrp: bigint } | null;
  models?: string[] | null;
  kinds?: KeyModelKind[] | null;
  requestsPerMinute?: number | null;
  tokensPerMinute?: number | null;
}

/** Rp 1,000,000,000,000: far above any real budget, far below bigint trouble. */
export const MAX_KEY_LIMIT_MRP = 1_000_000_000_000_000n;
export const MAX_KEY_RATE = 1_000_000_000;
export const MAX_KEY_MODELS = 200;

/** What the key row says, with the spend of the current period worked out at `now`. */
export interface KeyLimitsView {
  totalLimitMrp: bigint | null;
  period: KeyLimitPeriod | null;
  periodLimitMrp: bigint | null;
  spentMrp: bigint;
  periodSpentMrp: bigint;
  heldMrp: bigint;
  periodResetsAt: Date | null;
  models: string[] | null;
  kinds: KeyModelKind[] | null;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
}

function bad(param: string, message: string): CoreError {
  return new CoreError('invalid_request', message, { details: { param } });
}

function checkLimit(param: string, value: bigint | null | undefined): void {
  if (value === null || value === undefined) return;
  if (value < 0n) throw bad(param, `${param} cannot be negative`);
  if (value > MAX_KEY_LIMIT_MRP) throw bad(param, `${param} can be at most ${formatIdr(MAX_KEY_LIMIT_MRP)}`);
}

function checkRate(param: string, value: number | null | undefined): void {
  if (value === null || value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_KEY_RATE) {
    throw bad(param, `${param} must be a whole number from 1 to ${MAX_KEY_RATE}`);
  }
}

/**
 * Validates settings (clear 400s naming the field) and returns them with duplicates removed. Models
 * must be in the catalog (`knownModel`), so a typo never silently blocks every request.
 */
export function validateKeySettings(
  input: KeySettingsInput,
  knownModel: (id: string) => boolean,
): KeySettingsInput {
  checkLimit('total_limit_idr', input.totalLimitMrp);
  if (input.periodLimit) {
    if (!KEY_LIMIT_PERIODS.includes(input.periodLimit.period)) {
      throw bad('period_limit.period', `period must be one of: ${KEY_LIMIT_PERIODS.join(', ')}`);
    }
    checkLimit('period_limit.limit_idr', input.periodLimit.limitMrp);
  }
  checkRate('requests_per_minute', input.requestsPerMinute);
  checkRate('tokens_per_minute', input.tokensPerMinute);
  const out: KeySettingsInput = { ...input };
  if (input.models) {
    const models = [...new Set(input.models)];
    if (models.length === 0 || models.length > MAX_KEY_MODELS) {
      throw bad('models', `models must list 1 to ${MAX_KEY_MODELS} models, or be null to allow all`);
    }
    const unknown = models.filter((m) => !knownModel(m));
    if (unknown.length > 0) {
      throw bad('models', `Unknown models: ${unknown.join(', ')}. See GET /v1/models for the catalog.`);
    }
    out.models = models;
  }
  if (input.kinds) {
    const kinds = [...new Set(input.kinds)];
    if (kinds.length === 0 || kinds.some((k) => !KEY_MODEL_KINDS.includes(k))) {
      throw bad('kinds', `kinds must be some of: ${KEY_MODEL_KINDS.join(', ')}, or null to allow all`);
    }
    out.kinds = kinds;
  }
  return out;
}

/** Reads the limit columns of an `api_keys` row. */
export function keyLimitsOf(row: ApiKeyRow, now: Date): KeyLimitsView {
  const period = row.limit_period;
  const start = period ? periodStart(period, now) : null;
  const periodSpent = start && row.period_start?.getTime() === start.getTime() ? row.period_spent_mrp : 0n;
  return {
    totalLimitMrp: row.total_limit_mrp,
    period,
    periodLimitMrp: row.period_limit_mrp,
    spentMrp: row.spent_mrp,
    periodSpentMrp: periodSpent,
    heldMrp: row.held_mrp,
    periodResetsAt: period ? periodEnd(period, now) : null,
    models: row.models,
    // Written only from KEY_MODEL_KINDS (validateKeySettings checks them).
    kinds: row.kinds as KeyModelKind[] | null,
    requestsPerMinute: row.requests_per_minute,
    tokensPerMinute: row.tokens_per_minute,
  };
}

/** What the key can still spend under its tightest limit (held work counted), or null without limits. */
export function keyRemainingMrp(limits: KeyLimitsView): bigint | null {
  const left: bigint[] = [];
  if (limits.totalLimitMrp !== null) left.push(limits.totalLimitMrp - limits.spentMrp - limits.heldMrp);
  if (limits.periodLimitMrp !== null)
    left.push(limits.periodLimitMrp - limits.periodSpentMrp - limits.heldMrp);
  if (left.length === 0) return null;
  const min = left.reduce((a, b) => (b < a ? b : a));
  return min > 0n ? min : 0n;
}
