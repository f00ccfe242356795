import { createHash, randomBytes } from 'node:crypto';
import type { AccountRow, ApiKeyRow, Database } from '../../db/index.js';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { createKeyCache } from './key-cache.js';
import { periodStart } from './key-periods.js';
import {
  type KeyLimitsView,
  type KeySettingsInput,
  keyLimitsOf,
  keyRemainingMrp,
  validateKeySettings,
} from './key-settings.js';

export const API_KEY_SCOPES = ['chat', 'images', 'videos', 'account'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const KEY_PREFIX = 'aip_';
const DISPLAY_PREFIX_LENGTH = 12;
/** `last_used_at` is written at most this often per key, so authentication stays one read on hot paths. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyInfo {
  id: string;
  accountId: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  /** Spend limits with what was spent, allow-lists and rate limits (see key-settings). */
  limits: KeyLimitsView;
}

export interface AuthenticatedKey {
  keyId: string;
  accountId: string;
  scopes: ApiKeyScope[];
  accountStatus: 'active' | 'suspended' | 'closed';
  /** What the key can still spend under its tightest limit when it was authenticated; null: no limit. */
  remainingMrp: bigint | null;
  /** The key's allow-lists of catalog model ids and kinds; null: all. */
  models: string[] | null;
  kinds: string[] | null;
}

/**
 * Whether a key's allow-lists let it use a catalog model (listing uses this; requests are checked
 * again in the hold's own transaction, against the key as it is then).
 */
export function keyAllowsModel(
  key: Pick<AuthenticatedKey, 'models' | 'kinds'>,
  model: { id: string; kind: string },
): boolean {
  return (!key.models || key.models.includes(model.id)) && (!key.kinds || key.kinds.includes(model.kind));
}

function inactiveAccount(): CoreError {
  return new CoreError(
    'account_suspended',
    'This account is suspended or closed: it cannot create API keys.',
  );
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** `aip_` + 192 random bits, base64url. */
export function generateApiKeySecret(): string {
  return KEY_PREFIX + randomBytes(24).toString('base64url');
}

export interface ApiKeysOptions {
  /** Whether a model id is in the catalog (allow-lists name only catalog models). */
  knownModel?: (id: string) => boolean;
}

/** Unknown, revoked and expired keys are refused alike; a missing scope is `forbidden`. */
function checked(
  key: AuthenticatedKey,
  expiresAt: Date | null,
  now: Date,
  requiredScope: ApiKeyScope | undefined,
): AuthenticatedKey {
  if (expiresAt && expiresAt.getTime() <= now.getTime()) {
    throw new CoreError('unauthorized', 'This API key has expired');
  }
  if (requiredScope && !key.scopes.includes(requiredScope)) {
    throw new CoreError('forbidden', `This API key lacks the "${requiredScope}" scope`);
  }
  return key;
}

/** How long a key authenticated for metered work is taken as valid in this process (see key-cache.ts). */
const KEY_CACHE_TTL_MS = 10_000;
const KEY_CACHE_ENTRIES = 10_000;

export function createApiKeys(db: Database, clock: Clock, options: ApiKeysOptions = {}) {
  const { sql } = db;
  const cache = createKeyCache<{ key: AuthenticatedKey; expiresAt: Date | null }>({
    ttlMs: KEY_CACHE_TTL_MS,
    maxEntries: KEY_CACHE_ENTRIES,
  });
  const knownModel = options.knownModel ?? (() => true);

  /** Scopes are written only from API_KEY_SCOPES (create validates them). */
  const scopesOf = (row: ApiKeyRow) => row.scopes as ApiKeyScope[];

  function toInfo(row: ApiKeyRow): ApiKeyInfo {
    return {
      id: row.id,
      accountId: row.account_id,
      name: row.name,
      prefix: row.prefix,
      scopes: scopesOf(row),
      expiresAt: row.expires_at,
      lastUsedAt: row.last_used_at,
      revokedAt: row.revoked_at,
      createdAt: row.created_at,
      limits: keyLimitsOf(row, clock.now()),
    };
  }

  return {
    /**
     * Creates a key for an active account; the returned secret is never retrievable again. When
     * another key creates it (`creator`), the new key gets at most the creator's scopes (by default
     * exactly those): a key never mints a stronger key. A session may grant any scope.
     */
    async create(
      accountId: string,
      input: { name: string; scopes?: ApiKeyScope[]; expiresAt?: Date | null } & KeySettingsInput,
      creator?: { scopes: readonly ApiKeyScope[] },
    ): Promise<{ key: ApiKeyInfo; secret: string }> {
      const name = input.name.trim();
      if (!name || name.length > 100)
        throw new CoreError('invalid_request', 'Key name must be 1 to 100 characters');
      const scopes = [...new Set(input.scopes ?? creator?.scopes ?? API_KEY_SCOPES)];
      if (scopes.length === 0 || scopes.some((s) => !API_KEY_SCOPES.includes(s))) {
        throw new CoreError('invalid_request', `Scopes must be some of: ${API_KEY_SCOPES.join(', ')}`);
      }
      const beyond = creator ? scopes.filter((s) => !creator.scopes.includes(s)) : [];
      if (beyond.length > 0) {
        throw new CoreError(
          'forbidden',
          `This API key cannot grant scopes it does not have (${beyond.join(', ')}); sign in to create such a key`,
          { details: { param: 'scopes' } },
        );
      }
      if (input.expiresAt && input.expiresAt.getTime() <= clock.now().getTime()) {
        throw new CoreError('invalid_request', 'Expiry must be in the future');
      }
      const settings = validateKeySettings(input, knownModel);
      const period = settings.periodLimit ?? null;
      const secret = generateApiKeySecret();
      // Checked in the same statement: a suspension that lands meanwhile still refuses the key.
      const [row] = await sql<ApiKeyRow[]>`
        INSERT INTO api_keys (account_id, name, hash, prefix, scopes, expires_at, total_limit_mrp,
          limit_period, period_limit_mrp, period_start, models, kinds, requests_per_minute, tokens_per_minute)
        SELECT ${accountId}, ${name}, ${hashApiKey(secret)}, ${secret.slice(0, DISPLAY_PREFIX_LENGTH)},
               ${sql.array(scopes)}, ${input.expiresAt ?? null}, ${settings.totalLimitMrp ?? null},
               ${period?.period ?? null}, ${period?.limitMrp ?? null},
               ${period ? periodStart(period.period, clock.now()) : null},
               ${settings.models ? sql.array(settings.models) : null},
               ${settings.kinds ? sql.array(settings.kinds) : null},
               ${settings.requestsPerMinute ?? null}, ${settings.tokensPerMinute ?? null}
        FROM accounts WHERE id = ${accountId} AND status = 'active'
        RETURNING *`;
      if (!row) throw inactiveAccount();
      return { key: toInfo(row), secret };
    },

    async list(accountId: string): Promise<ApiKeyInfo[]> {
      const rows = await sql<
        ApiKeyRow[]
      >`SELECT * FROM api_keys WHERE account_id = ${accountId} ORDER BY created_at DESC`;
      return rows.map(toInfo);
    },

    /**
     * Changes a live key's name and settings (absent fields stay, `null` removes a limit), in one
     * statement on the locked row: a hold or settle racing with it sees the key entirely before or
     * entirely after. A new limit below what was already spent stops further spending; nothing
     * already charged is undone. Choosing another period counts what the key was charged since
     * that period began, from its settled holds. Returns the key before and after.
     */
    async update(
      accountId: string,
      keyId: string,
      input: { name?: string } & KeySettingsInput,
    ): Promise<{ before: ApiKeyInfo; after: ApiKeyInfo }> {
      const settings = validateKeySettings(input, knownModel);
      const name = input.name?.trim();
      if (input.name !== undefined && (!name || name.length > 100))
        throw new CoreError('invalid_request', 'Key name must be 1 to 100 characters');
      return sql.begin(async (tx) => {
        const [before] = await tx<ApiKeyRow[]>`
          SELECT * FROM api_keys WHERE id = ${keyId} AND account_id = ${accountId} FOR NO KEY UPDATE`;
        if (!before) throw new CoreError('not_found', 'No such API key');
        if (before.revoked_at) throw new CoreError('conflict', 'This API key is revoked');
        const now = clock.now();
        const set = (field: string, value: unknown) =>
          value === undefined ? tx`${tx(field)}` : tx`${value as never}`;
        const list = (value: string[] | null | undefined) =>
          value === undefined ? undefined : value === null ? null : tx.array(value);
        const period = settings.periodLimit;
        const periodChanged = period !== undefined && (period?.period ?? null) !== before.limit_period;
        const newStart = period ? periodStart(period.period, now) : null;
        const [after] = await tx<ApiKeyRow[]>`
          UPDATE api_keys SET
            name = ${set('name', name)},
            total_limit_mrp = ${set('total_limit_mrp', settings.totalLimitMrp)},
            limit_period = ${set('limit_period', period === undefined ? undefined : (period?.period ?? null))},
            period_limit_mrp = ${set('period_limit_mrp', period === undefined ? undefined : (period?.limitMrp ?? null))},
            period_start = ${periodChanged ? tx`${newStart}` : tx`period_start`},
            period_spent_mrp = ${
              periodChanged && newStart
                ? tx`(SELECT COALESCE(sum(settled_mrp), 0) FROM holds
                      WHERE api_key_id = ${keyId} AND status = 'settled' AND resolved_at >= ${newStart})`
                : periodChanged
                  ? tx`0`
                  : tx`period_spent_mrp`
            },
            models = ${set('models', list(settings.models))},
            kinds = ${set('kinds', list(settings.kinds))},
            requests_per_minute = ${set('requests_per_minute', settings.requestsPerMinute)},
            tokens_per_minute = ${set('tokens_per_minute', settings.tokensPerMinute)}
          WHERE id = ${keyId}
          RETURNING *`;
        return { before: toInfo(before), after: toInfo(after!) };
      });
    },

    /** Revokes one of the account's keys. Returns the key as it was before, or throws not_found. */
    async revoke(accountId: string, keyId: string): Promise<ApiKeyInfo> {
      const [before] = await sql<
        ApiKeyRow[]
      >`SELECT * FROM api_keys WHERE id = ${keyId} AND account_id = ${accountId}`;
      if (!before) throw new CoreError('not_found', 'No such API key');
      await sql`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ${clock.now()}) WHERE id = ${keyId}`;
      return toInfo(before);
    },

    /**
     * Authenticates a secret with one indexed lookup by its hash. Unknown, revoked and expired keys are
     * refused alike; a missing scope is `forbidden`. `forMeteredWork`: the caller holds money before
     * doing anything, and that hold re-checks the key, so a key read a few seconds ago may be
     * reused (key-cache.ts).
     */
    async authenticate(
      secret: string,
      requiredScope?: ApiKeyScope,
      options: { forMeteredWork?: boolean } = {},
    ): Promise<AuthenticatedKey> {
      if (!secret.startsWith(KEY_PREFIX) || secret.length > 200)
        throw new CoreError('unauthorized', 'Invalid API key');
      const now = clock.now();
      const hash = hashApiKey(secret);
      const kept = options.forMeteredWork ? cache.get(hash, now.getTime()) : undefined;
      if (kept) return checked(kept.key, kept.expiresAt, now, requiredScope);
      const [row] = await sql<(ApiKeyRow & Pick<AccountRow, 'status'>)[]>`
        SELECT k.*, a.status
        FROM api_keys k JOIN accounts a ON a.id = k.account_id
        WHERE k.hash = ${hash}`;
      if (!row || row.revoked_at) throw new CoreError('unauthorized', 'Invalid or revoked API key');
      if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
        // Best effort and off the request's path: a lost update only makes last_used_at a minute staler.
        sql`UPDATE api_keys SET last_used_at = ${now} WHERE id = ${row.id}`.catch(() => {});
      }
      const key: AuthenticatedKey = {
        keyId: row.id,
        accountId: row.account_id,
        scopes: scopesOf(row),
        accountStatus: row.status,
        remainingMrp: keyRemainingMrp(keyLimitsOf(row, now)),
        models: row.models,
        kinds: row.kinds,
      };
      if (options.forMeteredWork && key.remainingMrp === null && key.accountStatus === 'active') {
        cache.set(hash, { key, expiresAt: row.expires_at }, now.getTime());
      }
      return checked(key, row.expires_at, now, requiredScope);
    },
  };
}

export type ApiKeys = ReturnType<typeof createApiKeys>;
