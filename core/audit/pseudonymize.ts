import type { Executor } from '../../db/index.js';

/** What replaces an erased person's email or name inside an audit reason. */
export const ERASED = '[erased]';

/**
 * Erasure of one account in the audit log (run inside the erasing transaction). Every row about
 * the account (it acted, it was acted on, or its keys, star payments or bank transfers were) keeps
 * what happened, when and by which admin, under the account's id, which from now on names nobody:
 * the before and after states (emails, names, key names) and the client address are removed, and
 * the person's email and name are cut out of free-text reasons.
 */
export async function pseudonymizeAudit(
  tx: Executor,
  accountId: string,
  known: { email: string | null; name: string | null },
): Promise<number> {
  const rows = await tx<{ id: bigint; reason: string | null }[]>`
    UPDATE audit_log SET before = NULL, after = NULL, ip = NULL
    WHERE actor_id = ${accountId}
       OR (target_type = 'account' AND target_id = ${accountId})
       OR (target_type = 'api_key' AND target_id IN (SELECT id::text FROM api_keys WHERE account_id = ${accountId}))
       OR (target_type = 'star_payment' AND target_id IN (SELECT charge_id FROM star_payments WHERE account_id = ${accountId}))
       OR (target_type = 'bank_mutation' AND target_id IN (SELECT mutation_id FROM bank_mutations WHERE account_id = ${accountId}))
    RETURNING id, reason`;
  const secrets = [known.email, known.name].filter((s): s is string => !!s && s.length >= 3);
  if (secrets.length === 0) return rows.length;
  const pattern = new RegExp(secrets.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  for (const row of rows) {
    const reason = row.reason?.replace(pattern, ERASED);
    if (reason !== undefined && reason !== row.reason) {
      await tx`UPDATE audit_log SET reason = ${reason} WHERE id = ${row.id}`;
    }
  }
  return rows.length;
}
