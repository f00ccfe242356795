import { createHash } from 'node:crypto';
import type { Database } from '../../db/index.js';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Mailer } from '../ports/mailer.js';
import { type EmailLocale, passwordResetEmail } from './account-emails.js';
import { normalizeEmail } from './email.js';
import { assertStrongPassword, hashPassword, verifyPassword } from './passwords.js';
import type { Sessions } from './sessions.js';
import type { TokenService } from './tokens.js';

/** Ties a reset link to the password it replaces: once changed, the link is spent. */
const fingerprint = (passwordHash: string) =>
  createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16);

/**
 * Password reset by email and password change. Both end sessions: a reset ends every session (the
 * old password may be known to someone else), a change every session but the one making it.
 */
export function createPasswordChanges(
  db: Database,
  deps: { clock: Clock; tokens: TokenService; mailer: Mailer; sessions: Sessions },
  options: { publicUrl: string },
) {
  const { sql } = db;

  return {
    /**
     * Mails a one-hour reset link when the email belongs to an open account with a password; answers
     * the same either way, so the form does not reveal who has an account.
     */
    async requestReset(emailInput: string): Promise<void> {
      let email: string;
      try {
        email = normalizeEmail(emailInput);
      } catch {
        return;
      }
      const [row] = await sql<
        { id: string; password_hash: string | null; status: string; locale: EmailLocale }[]
      >`SELECT id, password_hash, status, locale FROM accounts WHERE email = ${email}`;
      if (!row?.password_hash || row.status === 'closed') return;
      const { token } = await deps.tokens.issue({
        sub: row.id,
        purpose: 'password-reset',
        email,
        state: fingerprint(row.password_hash),
      });
      const link = `${options.publicUrl.replace(/\/$/, '')}/#/reset?token=${encodeURIComponent(token)}`;
      await deps.mailer.send({ to: email, ...passwordResetEmail(row.locale, link), link });
    },

    /** Sets the new password from a reset link, proves the email, and ends every session. */
    async reset(token: string, newPassword: string): Promise<{ accountId: string }> {
      const claims = await deps.tokens.verify(token, 'password-reset');
      const [row] = await sql<{ password_hash: string | null; email: string | null; status: string }[]>`
        SELECT password_hash, email, status FROM accounts WHERE id = ${claims.sub}`;
      if (
        !row?.password_hash ||
        row.status === 'closed' ||
        row.email !== claims.email ||
        fingerprint(row.password_hash) !== claims.state
      ) {
        throw new CoreError('invalid_request', 'This reset link is no longer valid: ask for a new one');
      }
      assertStrongPassword(newPassword, row.email);
      const passwordHash = await hashPassword(newPassword);
      const now = deps.clock.now();
      const updated = await sql`
        UPDATE accounts SET password_hash = ${passwordHash}, updated_at = ${now},
          email_verified_at = COALESCE(email_verified_at, ${now})
        WHERE id = ${claims.sub} AND password_hash = ${row.password_hash} RETURNING id`;
      if (updated.length === 0) {
        throw new CoreError('invalid_request', 'This reset link is no longer valid: ask for a new one');
      }
      await deps.sessions.revokeAll(claims.sub);
      return { accountId: claims.sub };
    },

    /** Changes the password after checking the current one; ends the account's other sessions. */
    async change(
      accountId: string,
      input: { currentPassword: string; newPassword: string },
      keepSessionId?: string,
    ): Promise<{ revokedSessions: number }> {
      const [row] = await sql<{ password_hash: string | null; email: string | null }[]>`
        SELECT password_hash, email FROM accounts WHERE id = ${accountId}`;
      if (!row?.password_hash) {
        throw new CoreError('invalid_request', 'This account signs in from a chat app and has no password');
      }
      if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
        throw new CoreError('invalid_request', 'The current password is wrong', {
          details: { param: 'current_password', wire_code: 'current_password_wrong' },
        });
      }
      assertStrongPassword(input.newPassword, row.email);
      const passwordHash = await hashPassword(input.newPassword);
      await sql`UPDATE accounts SET password_hash = ${passwordHash}, updated_at = ${deps.clock.now()}
                WHERE id = ${accountId}`;
      return { revokedSessions: await deps.sessions.revokeAll(accountId, keepSessionId) };
    },
  };
}

export type PasswordChanges = ReturnType<typeof createPasswordChanges>;
