import type { AccountRow, Sql } from '../../db/index.js';
import { CoreError } from '../errors.js';
import { mrpToIdrNumber } from '../ledger/index.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const idr = (mrp: bigint | null | undefined) =>
  mrp === null || mrp === undefined ? null : mrpToIdrNumber(mrp);

/**
 * Everything AIport holds about one account, as JSON-ready data (GDPR/UU PDP access and portability).
 * Every query is keyed on the one account id, so nothing of another account can appear. Secrets
 * never appear either: key hashes, password hashes and TOTP secrets are not selected at all.
 */
export async function exportAccountData(sql: Sql, accountId: string, now: Date) {
  const [account] = await sql<
    Pick<
      AccountRow,
      | 'id'
      | 'email'
      | 'email_verified_at'
      | 'name'
      | 'status'
      | 'locale'
      | 'balance_mrp'
      | 'held_mrp'
      | 'zero_retention'
      | 'preferred_model'
      | 'created_at'
      | 'updated_at'
      | 'suspended_at'
      | 'closed_at'
    >[]
  >`
    SELECT id, email, email_verified_at, name, status, locale, balance_mrp, held_mrp, zero_retention,
           preferred_model, created_at, updated_at, suspended_at, closed_at
    FROM accounts WHERE id = ${accountId}`;
  if (!account) throw new CoreError('not_found', 'Account not found');

  const [identities, keys, ledger, topups, stars, jobs, messages, files, audit] = await Promise.all([
    sql`SELECT platform, external_id, display_name, created_at FROM identities WHERE account_id = ${accountId} ORDER BY created_at`,
    sql`SELECT id, name, prefix, scopes, expires_at, last_used_at, revoked_at, created_at
        FROM api_keys WHERE account_id = ${accountId} ORDER BY created_at`,
    sql`SELECT id, amount_mrp, kind, reference, reason, created_at FROM ledger_entries WHERE account_id = ${accountId} ORDER BY id`,
    sql`SELECT id, amount_idr, transfer_amount_idr, code, status, channel, expires_at, paid_at, created_at
        FROM topup_requests WHERE account_id = ${accountId} ORDER BY created_at`,
    sql`SELECT stars, amount_mrp, refunded_at, created_at FROM star_payments WHERE account_id = ${accountId} ORDER BY created_at`,
    sql`SELECT id, api_key_id, channel, kind, model, status, provider, input_tokens, output_tokens, cached_tokens,
               reasoning_tokens, units, cost_mrp, latency_ms, error_code, params, prompt, output, content_purged_at,
               created_at, finished_at
        FROM jobs WHERE account_id = ${accountId} ORDER BY created_at`,
    sql`SELECT m.conversation_id, c.platform, m.role, m.content, m.created_at
        FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.account_id = ${accountId} ORDER BY m.id`,
    sql`SELECT id, job_id, kind, content_type, bytes, created_at, deleted_at FROM media_files
        WHERE account_id = ${accountId} ORDER BY created_at`,
    sql`SELECT action, target_type, target_id, created_at FROM audit_log
        WHERE (actor_type = 'account' AND actor_id = ${accountId})
           OR (target_type = 'account' AND target_id = ${accountId})
        ORDER BY created_at`,
  ]);

  return {
    object: 'account_export',
    generated_at: now.toISOString(),
    profile: {
      id: account.id,
      email: account.email,
      email_verified_at: iso(account.email_verified_at),
      name: account.name,
      status: account.status,
      locale: account.locale,
      balance_idr: idr(account.balance_mrp),
      held_idr: idr(account.held_mrp),
      zero_retention: account.zero_retention,
      preferred_model: account.preferred_model,
      created_at: iso(account.created_at),
      updated_at: iso(account.updated_at),
      suspended_at: iso(account.suspended_at),
      closed_at: iso(account.closed_at),
    },
    identities: identities.map((r) => ({
      platform: r.platform,
      external_id: r.external_id,
      display_name: r.display_name,
      created_at: iso(r.created_at),
    })),
    api_keys: keys.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      scopes: r.scopes,
      expires_at: iso(r.expires_at),
      last_used_at: iso(r.last_used_at),
      revoked_at: iso(r.revoked_at),
      created_at: iso(r.created_at),
    })),
    ledger: ledger.map((r) => ({
      id: String(r.id),
      amount_idr: idr(r.amount_mrp),
      kind: r.kind,
      reference: r.reference,
      reason: r.reason,
      created_at: iso(r.created_at),
    })),
    topups: topups.map((r) => ({
      id: r.id,
      amount_idr: Number(r.amount_idr),
      transfer_amount_idr: Number(r.transfer_amount_idr),
      code: r.code,
      status: r.status,
      channel: r.channel,
      expires_at: iso(r.expires_at),
      paid_at: iso(r.paid_at),
      created_at: iso(r.created_at),
    })),
    star_payments: stars.map((r) => ({
      stars: r.stars,
      amount_idr: idr(r.amount_mrp),
      refunded_at: iso(r.refunded_at),
      created_at: iso(r.created_at),
    })),
    jobs: jobs.map((r) => ({
      id: r.id,
      api_key_id: r.api_key_id,
      channel: r.channel,
      kind: r.kind,
      model: r.model,
      status: r.status,
      provider: r.provider,
      input_tokens: r.input_tokens,
      output_tokens: r.output_tokens,
      cached_tokens: r.cached_tokens,
      reasoning_tokens: r.reasoning_tokens,
      units: r.units,
      cost_idr: idr(r.cost_mrp),
      latency_ms: r.latency_ms,
      error_code: r.error_code,
      params: r.params,
      /** Content is present while still within retention (and never for zero-retention accounts). */
      prompt: r.prompt ?? null,
      output: r.output ?? null,
      content_purged_at: iso(r.content_purged_at),
      created_at: iso(r.created_at),
      finished_at: iso(r.finished_at),
    })),
    conversation_messages: messages.map((r) => ({
      conversation_id: r.conversation_id,
      platform: r.platform,
      role: r.role,
      content: r.content,
      created_at: iso(r.created_at),
    })),
    files: files.map((r) => ({
      id: r.id,
      job_id: r.job_id,
      kind: r.kind,
      content_type: r.content_type,
      bytes: r.bytes,
      created_at: iso(r.created_at),
      deleted_at: iso(r.deleted_at),
    })),
    activity: audit.map((r) => ({
      action: r.action,
      target_type: r.target_type,
      target_id: r.target_id,
      created_at: iso(r.created_at),
    })),
  };
}

export type AccountExport = Awaited<ReturnType<typeof exportAccountData>>;
