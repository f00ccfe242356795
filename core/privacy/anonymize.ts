import type { Sql } from '../../db/index.js';
import { pseudonymizeAudit } from '../audit/index.js';
import { cancelOpenTopups } from '../topups/index.js';

export interface AnonymizeResult {
  anonymized: boolean;
  /** Storage keys of files the caller must still delete (the database marks them deleted already). */
  fileKeys: string[];
}

/**
 * Erases an account's personal data in one transaction, keeping its billing records (ledger, top-ups,
 * job metadata) under the now anonymous account id: profile cleared, identities and link codes
 * removed, keys revoked, conversation history deleted, job content purged, files marked deleted.
 *
 * Refuses (returns `anonymized: false`) when the account is under legal hold or already anonymized,
 * so it is safe to call again. Storage files are the caller's to delete, after the commit.
 */
export async function anonymizeAccount(sql: Sql, accountId: string, now: Date): Promise<AnonymizeResult> {
  return sql.begin(async (tx) => {
    const [account] = await tx<
      { legal_hold: boolean; anonymized_at: Date | null; email: string | null; name: string | null }[]
    >`SELECT legal_hold, anonymized_at, email, name FROM accounts WHERE id = ${accountId} FOR UPDATE`;
    if (!account || account.legal_hold || account.anonymized_at) return { anonymized: false, fileKeys: [] };
    // First, while the keys and payments still say whose they were.
    await pseudonymizeAudit(tx, accountId, account);

    await tx`
      UPDATE accounts SET email = NULL, email_verified_at = NULL, password_hash = NULL, name = NULL,
        preferred_model = NULL, limits = NULL, status = 'closed', closed_at = COALESCE(closed_at, ${now}),
        anonymized_at = ${now}, updated_at = ${now}
      WHERE id = ${accountId}`;
    await tx`DELETE FROM identities WHERE account_id = ${accountId}`;
    await tx`DELETE FROM link_codes WHERE account_id = ${accountId}`;
    await tx`DELETE FROM sessions WHERE account_id = ${accountId}`;
    await tx`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ${now}), name = 'deleted'
             WHERE account_id = ${accountId}`;
    // Conversations carry no account; remove those nobody else took part in, then this account's messages.
    await tx`
      DELETE FROM conversations c
      WHERE c.id IN (SELECT DISTINCT conversation_id FROM conversation_messages WHERE account_id = ${accountId})
        AND NOT EXISTS (SELECT 1 FROM conversation_messages o
                        WHERE o.conversation_id = c.id AND o.account_id <> ${accountId})`;
    await tx`DELETE FROM conversation_messages WHERE account_id = ${accountId}`;
    await tx`DELETE FROM stored_responses WHERE account_id = ${accountId}`;
    await tx`
      UPDATE jobs SET prompt = NULL, output = NULL, error_message = NULL, content_purged_at = ${now}
      WHERE account_id = ${accountId} AND content_purged_at IS NULL AND NOT legal_hold`;
    // Where a bot was to deliver a result (chat ids, interaction tokens) is personal too.
    await tx`
      UPDATE jobs SET params = params - 'replyTo'
      WHERE account_id = ${accountId} AND params ? 'replyTo' AND NOT legal_hold`;
    const files = await tx<{ storage_key: string }[]>`
      UPDATE media_files m SET deleted_at = ${now}
      WHERE m.account_id = ${accountId} AND m.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = m.job_id AND j.legal_hold)
      RETURNING storage_key`;
    // Billing records stay; what they held about the person (where to reply in chat) goes, and no
    // request stays open to take money for a closed account.
    await cancelOpenTopups(tx, accountId);
    await tx`UPDATE topup_requests SET reply_to = NULL WHERE account_id = ${accountId}`;
    await tx`UPDATE star_payments SET telegram_user_id = 'anonymized' WHERE account_id = ${accountId}`;
    // A transfer's note and description carry the sender's name; the amount, date and the bank's
    // mutation id remain for the books.
    await tx`
      UPDATE bank_mutations SET description = NULL, note = NULL, raw = NULL
      WHERE account_id = ${accountId} OR topup_id IN (SELECT id FROM topup_requests WHERE account_id = ${accountId})`;
    return { anonymized: true, fileKeys: files.map((f) => f.storage_key) };
  });
}
