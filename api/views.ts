import { type Account, type ApiKeyInfo, keyRemainingMrp } from '../core/accounts/index.js';
import { mrpToIdrNumber } from '../core/ledger/index.js';

/** How resources look on the REST API: snake_case, money as `*_idr` rupiah numbers, ISO times. */
export function accountView(account: Account) {
  return {
    id: account.id,
    email: account.email,
    email_verified: account.emailVerified,
    name: account.name,
    status: account.status,
    locale: account.locale,
    balance_idr: mrpToIdrNumber(account.balanceMrp),
    held_idr: mrpToIdrNumber(account.heldMrp),
    available_idr: mrpToIdrNumber(account.balanceMrp - account.heldMrp),
    zero_retention: account.zeroRetention,
    created_at: account.createdAt.toISOString(),
  };
}

export function apiKeyView(key: ApiKeyInfo) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    expires_at: key.expiresAt?.toISOString() ?? null,
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
    created_at: key.createdAt.toISOString(),
    ...apiKeyLimitsView(key),
  };
}

/**
 * A key's limits and what they have left. `remaining_idr` counts work still running (`held_idr`)
 * as spent; `budget_remaining_idr` is the tightest of the limits (null: the key has no spend limit),
 * the same figure responses carry in `x-aiport-key-remaining-idr`.
 */
export function apiKeyLimitsView(key: ApiKeyInfo) {
  const l = key.limits;
  const left = (limit: bigint, spent: bigint) => {
    const rest = limit - spent - l.heldMrp;
    return mrpToIdrNumber(rest > 0n ? rest : 0n);
  };
  const remaining = keyRemainingMrp(l);
  return {
    spent_idr: mrpToIdrNumber(l.spentMrp),
    held_idr: mrpToIdrNumber(l.heldMrp),
    budget_remaining_idr: remaining === null ? null : mrpToIdrNumber(remaining),
    total_limit:
      l.totalLimitMrp === null
        ? null
        : {
            limit_idr: mrpToIdrNumber(l.totalLimitMrp),
            spent_idr: mrpToIdrNumber(l.spentMrp),
            remaining_idr: left(l.totalLimitMrp, l.spentMrp),
          },
    period_limit:
      l.period === null || l.periodLimitMrp === null
        ? null
        : {
            period: l.period,
            limit_idr: mrpToIdrNumber(l.periodLimitMrp),
            spent_idr: mrpToIdrNumber(l.periodSpentMrp),
            remaining_idr: left(l.periodLimitMrp, l.periodSpentMrp),
            resets_at: l.periodResetsAt?.toISOString() ?? null,
          },
    models: l.models,
    kinds: l.kinds,
    requests_per_minute: l.requestsPerMinute,
    tokens_per_minute: l.tokensPerMinute,
  };
}
