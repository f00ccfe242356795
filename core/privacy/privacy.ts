import type { Database } from '../../db/index.js';
import type { Account, Accounts } from '../accounts/index.js';
import { normalizeEmail, verifyPassword } from '../accounts/index.js';
import { recordAudit } from '../audit/index.js';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { accountPrefixes, type Storage } from '../ports/storage.js';
import { cancelOpenTopups } from '../topups/index.js';
import { anonymizeAccount } from './anonymize.js';
import { exportAccountData } from './export.js';
import { usageReport } from './usage.js';

/** The word a person types to confirm deletion; the bots ask for it too. */
export const DELETE_CONFIRMATION = 'DELETE';

/** Who asked, for the audit log: the account itself over the API or a bot, with the IP when known. */
export interface PrivacyActor {
  ip?: string | null;
  channel?: 'api' | 'telegram' | 'slack' | 'discord';
}

export interface ProfileChange {
  name?: string | null;
  email?: string;
  zeroRetention?: boolean;
  /** The language the website, the bots and our emails use with this person. */
  locale?: 'id' | 'en';
}

export interface DeletionResult {
  /** `erased`: personal data is gone now; `deferred_legal_hold`: closed now, erased when the hold ends. */
  outcome: 'erased' | 'deferred_legal_hold';
  filesDeleted: number;
}

export interface PrivacyDeps {
  db: Database;
  clock: Clock;
  accounts: Accounts;
  storage?: Storage;
}

/**
 * The privacy rights of the Privacy Policy, for every channel (REST and the bots call the same
 * functions): access (export), usage, correction, erasure, and the zero-retention setting. Every
 * function acts only on the account id it is given; the shells pass the authenticated caller's.
 */
export function createPrivacy(deps: PrivacyDeps) {
  const { sql } = deps.db;

  return {
    exportData: (accountId: string) => exportAccountData(sql, accountId, deps.clock.now()),

    usage: (accountId: string, range: { from: Date; to: Date; keyId?: string }) =>
      usageReport(sql, accountId, range),

    /** Corrects the name and email, and sets zero retention. A new email must be verified again. */
    async updateProfile(
      accountId: string,
      change: ProfileChange,
      actor: PrivacyActor = {},
    ): Promise<Account> {
      const before = await deps.accounts.get(accountId);
      const name = change.name === undefined ? before.name : change.name?.trim() || null;
      if (name && name.length > 100)
        throw new CoreError('invalid_request', 'Name must be at most 100 characters');
      const email = change.email === undefined ? before.email : normalizeEmail(change.email);
      const emailChanged = email !== before.email;
      // The email is how an account is recovered: a suspended account keeps the one it was suspended with.
      if (emailChanged && before.status !== 'active') {
        throw new CoreError('account_suspended', 'This account is suspended: its email cannot be changed.');
      }
      if (emailChanged && before.email === null) {
        throw new CoreError(
          'invalid_request',
          'This account signs in from a chat app and has no email to change',
        );
      }
      const zeroRetention = change.zeroRetention ?? before.zeroRetention;
      const locale = change.locale ?? before.locale;
      const now = deps.clock.now();
      await sql
        .begin(async (tx) => {
          const updated = await tx`
          UPDATE accounts SET name = ${name}, email = ${email}, zero_retention = ${zeroRetention},
            locale = ${locale}, updated_at = ${now},
            email_verified_at = CASE WHEN ${emailChanged} THEN NULL ELSE email_verified_at END
          WHERE id = ${accountId}
            AND NOT EXISTS (SELECT 1 FROM accounts o WHERE o.email = ${email} AND o.id <> ${accountId})
          RETURNING id`;
          if (updated.length === 0)
            throw new CoreError('conflict', 'An account with this email already exists');
          // A transaction runs the same statements as the pool; the audit row commits with the change.
          await recordAudit(tx, {
            actorType: 'account',
            actorId: accountId,
            action: 'account.update',
            targetType: 'account',
            targetId: accountId,
            before: {
              name: before.name,
              email: before.email,
              zero_retention: before.zeroRetention,
              locale: before.locale,
            },
            after: { name, email, zero_retention: zeroRetention, locale },
            ip: actor.ip ?? null,
          });
        })
        .catch((error: unknown) => {
          if ((error as { code?: string }).code === '23505') {
            throw new CoreError('conflict', 'An account with this email already exists');
          }
          throw error;
        });
      if (emailChanged && email) await deps.accounts.sendVerification(accountId, email);
      return deps.accounts.get(accountId);
    },

    /**
     * Erasure. Needs the confirmation word, and over the API the password when the account has one
     * (a bot asks in chat, where the platform has already authenticated the person). Personal data
     * is erased at once and billing records are kept under the anonymous id; an account under legal
     * hold is closed and its keys revoked now, and erased by retention once the hold is lifted.
     */
    async deleteAccount(
      accountId: string,
      input: { confirm: string; password?: string },
      actor: PrivacyActor = {},
    ): Promise<DeletionResult> {
      if (input.confirm !== DELETE_CONFIRMATION) {
        throw new CoreError(
          'invalid_request',
          `To delete the account, confirm with "${DELETE_CONFIRMATION}"`,
          {
            details: { param: 'confirm' },
          },
        );
      }
      const [row] = await sql<{ password_hash: string | null; legal_hold: boolean; status: string }[]>`
        SELECT password_hash, legal_hold, status FROM accounts WHERE id = ${accountId}`;
      if (!row || row.status === 'closed') throw new CoreError('not_found', 'Account not found');
      const viaApi = (actor.channel ?? 'api') === 'api';
      if (row.password_hash && (viaApi || input.password !== undefined)) {
        if (!input.password) {
          throw new CoreError('invalid_request', 'Enter your password to delete the account', {
            details: { param: 'password' },
          });
        }
        if (!(await verifyPassword(row.password_hash, input.password))) {
          throw new CoreError('unauthorized', 'Wrong password');
        }
      }
      const now = deps.clock.now();
      await recordAudit(sql, {
        actorType: 'account',
        actorId: accountId,
        action: 'account.delete',
        targetType: 'account',
        targetId: accountId,
        after: { channel: actor.channel ?? 'api', legal_hold: row.legal_hold },
        ip: actor.ip ?? null,
      });
      if (row.legal_hold) {
        await sql.begin(async (tx) => {
          await tx`UPDATE accounts SET status = 'closed', closed_at = COALESCE(closed_at, ${now}), updated_at = ${now}
                   WHERE id = ${accountId}`;
          await tx`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ${now}) WHERE account_id = ${accountId}`;
          await cancelOpenTopups(tx, accountId);
        });
        return { outcome: 'deferred_legal_hold', filesDeleted: 0 };
      }
      const result = await anonymizeAccount(sql, accountId, now);
      let filesDeleted = 0;
      if (deps.storage) {
        // Files the database knows and anything else stored under the account's folders.
        for (const key of result.fileKeys) await deps.storage.delete(key).catch(() => {});
        for (const prefix of accountPrefixes(accountId)) {
          filesDeleted += await deps.storage.deletePrefix(prefix).catch(() => 0);
        }
        filesDeleted = Math.max(filesDeleted, result.fileKeys.length);
      }
      return { outcome: 'erased', filesDeleted };
    },
  };
}

export type Privacy = ReturnType<typeof createPrivacy>;
