import type { Database, Executor } from '../../db/index.js';
import type { Accounts } from '../accounts/index.js';
import { recordAudit } from '../audit/index.js';
import { CoreError } from '../errors.js';
import type { Ledger } from '../ledger/index.js';
import type { Clock } from '../ports/clock.js';

/** Who acts, for the audit log. */
export interface AdminActor {
  adminId: string;
  ip?: string | null;
}

const MIN_REASON = 3;
const MAX_REASON = 500;

/** Every admin action states why; an action without a reason changes nothing. */
export function requireReason(reason: string | undefined | null): string {
  const text = reason?.trim() ?? '';
  if (text.length < MIN_REASON) {
    throw new CoreError('invalid_request', 'A reason is required for every admin action', {
      details: { param: 'reason' },
    });
  }
  if (text.length > MAX_REASON) {
    throw new CoreError('invalid_request', `The reason must be at most ${MAX_REASON} characters`, {
      details: { param: 'reason' },
    });
  }
  return text;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What operators can see and do. Reads show billing metadata, never prompt or output content.
 * Every change writes one audit row (who, what, before, after, reason, IP) in the same transaction
 * as the change, or right after the ledger's own transaction for balance adjustments.
 */
export function createAdminConsole(db: Database, deps: { ledger: Ledger; accounts: Accounts; clock: Clock }) {
  const { sql } = db;

  async function accountState(q: Executor, accountId: string, lock = false) {
    const rows = lock
      ? await q`SELECT id, status, legal_hold, suspended_at FROM accounts WHERE id = ${accountId} FOR UPDATE`
      : await q`SELECT id, status, legal_hold, suspended_at FROM accounts WHERE id = ${accountId}`;
    if (!rows[0]) throw new CoreError('not_found', `No account ${accountId}`);
    return rows[0] as { id: string; status: string; legal_hold: boolean; suspended_at: Date | null };
  }

  function assertUuid(id: string, what: string): void {
    if (!UUID.test(id)) throw new CoreError('not_found', `No ${what} ${id}`);
  }

  return {
    /** By id, email, name or chat identity; at most `limit` accounts, newest first. */
    async searchAccounts(query: string, limit = 20) {
      const q = query.trim();
      if (q.length < 2) throw new CoreError('invalid_request', 'Search needs at least 2 characters');
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const exactId = UUID.test(q) ? q : null;
      return sql<
        {
          id: string;
          email: string | null;
          name: string | null;
          status: string;
          balance_mrp: bigint;
          created_at: Date;
        }[]
      >`
        SELECT a.id, a.email, a.name, a.status, a.balance_mrp, a.created_at FROM accounts a
        WHERE a.id = ${exactId}::uuid OR a.email ILIKE ${like} OR a.name ILIKE ${like}
           OR EXISTS (SELECT 1 FROM identities i WHERE i.account_id = a.id
                      AND (i.external_id = ${q} OR i.display_name ILIKE ${like}))
        ORDER BY a.created_at DESC LIMIT ${Math.min(Math.max(limit, 1), 100)}`;
    },

    /** Profile, balance, recent ledger entries and recent jobs (metadata only); the viewing is audited. */
    async accountDetail(accountId: string, actor: AdminActor) {
      assertUuid(accountId, 'account');
      const account = await deps.accounts.get(accountId);
      await recordAudit(sql, {
        actorType: 'admin',
        actorId: actor.adminId,
        action: 'account.view',
        targetType: 'account',
        targetId: accountId,
        ip: actor.ip ?? null,
      });
      const [flags] = await sql<{ legal_hold: boolean; suspended_at: Date | null; closed_at: Date | null }[]>`
        SELECT legal_hold, suspended_at, closed_at FROM accounts WHERE id = ${accountId}`;
      const [ledger, jobs, identities, keys] = await Promise.all([
        deps.ledger.entries(accountId, { limit: 50 }),
        sql`SELECT id, channel, kind, model, status, provider, input_tokens, output_tokens, units, cost_mrp,
                   uncollected_mrp, error_code, legal_hold, content_purged_at, created_at
            FROM jobs WHERE account_id = ${accountId} ORDER BY created_at DESC LIMIT 50`,
        sql`SELECT platform, external_id, display_name, created_at FROM identities WHERE account_id = ${accountId}`,
        sql`SELECT id, name, prefix, scopes, revoked_at, last_used_at, created_at FROM api_keys
            WHERE account_id = ${accountId} ORDER BY created_at DESC`,
      ]);
      return { account, flags: flags!, ledger, jobs, identities, keys };
    },

    /** Credits (positive) or debits (negative) with a reason, once per idempotency key. */
    async adjustBalance(
      input: { accountId: string; amountMrp: bigint; reason: string; idempotencyKey: string },
      actor: AdminActor,
    ) {
      const reason = requireReason(input.reason);
      assertUuid(input.accountId, 'account');
      if (input.amountMrp === 0n) throw new CoreError('invalid_request', 'The amount must not be zero');
      const key = input.idempotencyKey.trim();
      if (!/^[\w.:-]{8,100}$/.test(key)) {
        throw new CoreError(
          'invalid_request',
          'The idempotency key must be 8-100 letters, digits or . _ : -',
          {
            details: { param: 'idempotency_key' },
          },
        );
      }
      const before = await deps.ledger.balance(input.accountId);
      const movement = {
        accountId: input.accountId,
        amountMrp: input.amountMrp < 0n ? -input.amountMrp : input.amountMrp,
        idempotencyKey: `admin-adjust:${key}`,
        reference: `admin:${actor.adminId}`,
        reason,
      };
      const result =
        input.amountMrp > 0n
          ? await deps.ledger.credit('adjustment', movement)
          : await deps.ledger.debit('adjustment', movement);
      if (result.created) {
        await recordAudit(sql, {
          actorType: 'admin',
          actorId: actor.adminId,
          action: 'account.balance_adjust',
          targetType: 'account',
          targetId: input.accountId,
          before: { balance_mrp: before.balanceMrp },
          after: { balance_mrp: result.balanceMrp, amount_mrp: input.amountMrp, entry_id: result.entryId },
          reason,
          ip: actor.ip ?? null,
        });
      }
      return result;
    },

    /** Suspends or reinstates; suspended accounts' keys and bots refuse politely. Closed accounts stay closed. */
    async setSuspended(accountId: string, suspended: boolean, reasonText: string, actor: AdminActor) {
      const reason = requireReason(reasonText);
      assertUuid(accountId, 'account');
      return sql.begin(async (q) => {
        const before = await accountState(q, accountId, true);
        if (before.status === 'closed') throw new CoreError('conflict', 'This account is closed');
        const status = suspended ? 'suspended' : 'active';
        await q`UPDATE accounts SET status = ${status}, suspended_at = ${suspended ? deps.clock.now() : null},
                  updated_at = ${deps.clock.now()}
                WHERE id = ${accountId}`;
        await recordAudit(q, {
          actorType: 'admin',
          actorId: actor.adminId,
          action: suspended ? 'account.suspend' : 'account.unsuspend',
          targetType: 'account',
          targetId: accountId,
          before: { status: before.status },
          after: { status },
          reason,
          ip: actor.ip ?? null,
        });
        return { id: accountId, status };
      });
    },

    /** Puts an account, or one job, under legal hold (retention and erasure skip it) or lifts it. */
    async setLegalHold(
      target: { type: 'account' | 'job'; id: string },
      hold: boolean,
      reasonText: string,
      actor: AdminActor,
    ) {
      const reason = requireReason(reasonText);
      assertUuid(target.id, target.type);
      return sql.begin(async (q) => {
        const rows =
          target.type === 'account'
            ? await q`SELECT legal_hold FROM accounts WHERE id = ${target.id} FOR UPDATE`
            : await q`SELECT legal_hold FROM jobs WHERE id = ${target.id} FOR UPDATE`;
        if (!rows[0])
          throw new CoreError('not_found', `No ${target.type} ${target.id}: nothing was put on hold`);
        if (target.type === 'account')
          await q`UPDATE accounts SET legal_hold = ${hold} WHERE id = ${target.id}`;
        else await q`UPDATE jobs SET legal_hold = ${hold} WHERE id = ${target.id}`;
        await recordAudit(q, {
          actorType: 'admin',
          actorId: actor.adminId,
          action: hold ? `${target.type}.legal_hold` : `${target.type}.legal_hold_lift`,
          targetType: target.type,
          targetId: target.id,
          before: { legal_hold: rows[0].legal_hold },
          after: { legal_hold: hold },
          reason,
          ip: actor.ip ?? null,
        });
        return { type: target.type, id: target.id, legal_hold: hold };
      });
    },

    /**
     * Adds the IP (and the reason, when the row has none) to the audit row another domain wrote for an
     * admin action whose function takes no IP (top-ups: assign, return, voucher creation).
     */
    async stampAudit(row: { action: string; targetId: string }, actor: AdminActor, reason?: string) {
      await sql`
        UPDATE audit_log SET ip = COALESCE(ip, ${actor.ip ?? null}::inet), reason = COALESCE(reason, ${reason ?? null})
        WHERE id = (SELECT max(id) FROM audit_log
                    WHERE action = ${row.action} AND target_id = ${row.targetId} AND actor_id = ${actor.adminId})`;
    },

    /** The audit log, newest first, optionally for one target. */
    async auditLog(
      filter: { targetType?: string; targetId?: string; beforeId?: bigint; limit?: number } = {},
    ) {
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
      return sql<
        {
          id: bigint;
          actor_type: string;
          actor_id: string | null;
          action: string;
          target_type: string | null;
          target_id: string | null;
          before: unknown;
          after: unknown;
          reason: string | null;
          ip: string | null;
          created_at: Date;
        }[]
      >`
        SELECT id, actor_type, actor_id, action, target_type, target_id, before, after, reason, host(ip) AS ip, created_at
        FROM audit_log
        WHERE (${filter.targetType ?? null}::text IS NULL OR target_type = ${filter.targetType ?? null}::text)
          AND (${filter.targetId ?? null}::text IS NULL OR target_id = ${filter.targetId ?? null}::text)
          AND (${filter.beforeId ?? null}::bigint IS NULL OR id < ${filter.beforeId ?? null}::bigint)
        ORDER BY id DESC LIMIT ${limit}`;
    },
  };
}

export type AdminConsole = ReturnType<typeof createAdminConsole>;
