import type { Database } from '../../db/index.js';
import type { TokenService } from '../accounts/index.js';
import { assertStrongPassword, hashPassword, normalizeEmail, verifyPassword } from '../accounts/index.js';
import { recordAudit } from '../audit/index.js';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { generateTotpSecret, totpUri, verifyTotp } from './totp.js';

export interface AdminIdentity {
  id: string;
  email: string;
}

export interface AdminEnrollment extends AdminIdentity {
  /** Shown once, at creation: the base32 secret and the otpauth:// URI for an authenticator app. */
  totpSecret: string;
  totpUri: string;
}

const TOTP_ISSUER = 'AIport Admin';
const REFUSED = 'Wrong email, password or code';

/** A valid Argon2id hash of nothing, so unknown admin emails take as long to refuse as wrong passwords. */
let decoy: Promise<string> | undefined;
const decoyHash = () => {
  decoy ??= hashPassword('no admin has this password');
  return decoy;
};

/**
 * Operators: password (Argon2id) and TOTP, short sessions (`admin-session` tokens, 30 minutes).
 * A TOTP step is claimed with a compare-and-swap on `totp_last_step`, so one code is accepted at
 * most once even when two logins race with it.
 */
export function createAdminUsers(db: Database, deps: { clock: Clock; tokens: TokenService }) {
  const { sql } = db;

  return {
    async create(input: { email: string; password: string }): Promise<AdminEnrollment> {
      const email = normalizeEmail(input.email);
      assertStrongPassword(input.password, email);
      const totpSecret = generateTotpSecret();
      const rows = await sql<{ id: string }[]>`
        INSERT INTO admin_users (email, password_hash, totp_secret)
        VALUES (${email}, ${await hashPassword(input.password)}, ${totpSecret})
        ON CONFLICT (email) DO NOTHING RETURNING id`;
      if (rows.length === 0) throw new CoreError('conflict', 'An admin with this email already exists');
      await recordAudit(sql, {
        actorType: 'system',
        action: 'admin.create',
        targetType: 'admin',
        targetId: rows[0]!.id,
        after: { email },
      });
      return { id: rows[0]!.id, email, totpSecret, totpUri: totpUri(totpSecret, email, TOTP_ISSUER) };
    },

    /** Password and TOTP code; every refusal says the same thing, so nothing tells which part was wrong. */
    async login(input: {
      email: string;
      password: string;
      code: string;
      ip?: string | null;
    }): Promise<{ admin: AdminIdentity; token: string; expiresAt: Date }> {
      let email: string;
      try {
        email = normalizeEmail(input.email);
      } catch {
        throw new CoreError('unauthorized', REFUSED);
      }
      const [row] = await sql<
        {
          id: string;
          password_hash: string;
          totp_secret: string;
          totp_last_step: bigint | null;
          disabled_at: Date | null;
        }[]
      >`SELECT id, password_hash, totp_secret, totp_last_step, disabled_at FROM admin_users WHERE email = ${email}`;
      const passwordOk = await verifyPassword(row?.password_hash ?? (await decoyHash()), input.password);
      if (!row || !passwordOk || row.disabled_at) throw new CoreError('unauthorized', REFUSED);

      const lastStep = row.totp_last_step === null ? null : Number(row.totp_last_step);
      const result = verifyTotp(row.totp_secret, input.code, deps.clock.now().getTime(), lastStep);
      if (!result.ok) {
        await recordAudit(sql, {
          actorType: 'admin',
          actorId: row.id,
          action: 'admin.login_refused',
          after: { reason: result.reason },
          ip: input.ip ?? null,
        });
        throw new CoreError('unauthorized', REFUSED);
      }
      const claimed = await sql`
        UPDATE admin_users SET totp_last_step = ${BigInt(result.step)}
        WHERE id = ${row.id} AND (totp_last_step IS NULL OR totp_last_step < ${BigInt(result.step)})
        RETURNING id`;
      if (claimed.length === 0) throw new CoreError('unauthorized', REFUSED);

      const { token, expiresAt } = await deps.tokens.issue({ sub: row.id, purpose: 'admin-session' });
      await recordAudit(sql, {
        actorType: 'admin',
        actorId: row.id,
        action: 'admin.login',
        ip: input.ip ?? null,
      });
      return { admin: { id: row.id, email }, token, expiresAt };
    },

    /** The admin behind a session token; disabled admins lose their sessions at once. */
    async authenticate(token: string): Promise<AdminIdentity> {
      const claims = await deps.tokens.verify(token, 'admin-session');
      const [row] = await sql<{ id: string; email: string }[]>`
        SELECT id, email FROM admin_users WHERE id = ${claims.sub} AND disabled_at IS NULL`;
      if (!row) throw new CoreError('unauthorized', 'Invalid or expired admin session');
      return row;
    },
  };
}

export type AdminUsers = ReturnType<typeof createAdminUsers>;
