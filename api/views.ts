import type { Account, ApiKeyInfo } from '../core/accounts/index.js';
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
  };
}
