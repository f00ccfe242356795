import type { Database } from '../../db/index.js';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Mailer } from '../ports/mailer.js';
import { type EmailLocale, verificationEmail } from './account-emails.js';
import { normalizeEmail } from './email.js';
import { assertStrongPassword, decoyPasswordHash, hashPassword, verifyPassword } from './passwords.js';
import type { Sessions } from './sessions.js';
import type { TokenService } from './tokens.js';

export type AccountStatus = 'active' | 'suspended' | 'closed';
export type Platform = 'telegram' | 'slack' | 'discord';

export interface Account {
  id: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  status: AccountStatus;
  locale: 'id' | 'en';
  balanceMrp: bigint;
  heldMrp: bigint;
  zeroRetention: boolean;
  createdAt: Date;
}

export interface AccountsOptions {
  /** Base for links in emails, e.g. https://aiport.id */
  publicUrl: string;
  /** Credited once to accounts created from a chat platform (0 = none). */
  welcomeCreditMrp?: bigint;
  credit?: (accountId: string, amountMrp: bigint, idempotencyKey: string) => Promise<unknown>;
}

function toAccount(row: Record<string, unknown>): Account {
  return {
    id: row.id as string,
    email: (row.email as string | null) ?? null,
    emailVerified: row.email_verified_at != null,
    name: (row.name as string | null) ?? null,
    status: row.status as AccountStatus,
    locale: row.locale as 'id' | 'en',
    balanceMrp: row.balance_mrp as bigint,
    heldMrp: row.held_mrp as bigint,
    zeroRetention: row.zero_retention as boolean,
    createdAt: row.created_at as Date,
  };
}

/** Accounts: email + password people, and people who arrive from a chat platform with no email. */
export function createAccounts(
  db: Database,
  deps: { clock: Clock; tokens: TokenService; mailer: Mailer; sessions: Sessions },
  options: AccountsOptions,
) {
  const { sql } = db;

  /** Mails a verification link, in the account's language (read from the account when not given). */
  async function sendVerification(accountId: string, email: string, locale?: EmailLocale): Promise<void> {
    const language =
      locale ??
      (await sql<{ locale: EmailLocale }[]>`SELECT locale FROM accounts WHERE id = ${accountId}`)[0]?.locale;
    const { token } = await deps.tokens.issue({ sub: accountId, purpose: 'verify-email', email });
    const link = `${options.publicUrl.replace(/\/$/, '')}/auth/verify-email?token=${encodeURIComponent(token)}`;
    await deps.mailer.send({ to: email, ...verificationEmail(language ?? 'id', link), link });
  }

  async function get(accountId: string): Promise<Account> {
    const [row] = await sql`SELECT * FROM accounts WHERE id = ${accountId}`;
    if (!row) throw new CoreError('not_found', 'Account not found');
    return toAccount(row);
  }

  return {
    get,

    /** `locale`: the language of the page the person signed up on (Indonesian when not said). */
    async signup(input: {
      email: string;
      password: string;
      name?: string;
      locale?: EmailLocale;
    }): Promise<Account> {
      const email = normalizeEmail(input.email);
      assertStrongPassword(input.password, email);
      const name = input.name?.trim() || null;
      if (name && name.length > 100)
        throw new CoreError('invalid_request', 'Name must be at most 100 characters');
      const passwordHash = await hashPassword(input.password);
      const rows = await sql`
        INSERT INTO accounts (email, password_hash, name, locale)
        VALUES (${email}, ${passwordHash}, ${name}, ${input.locale ?? 'id'})
        ON CONFLICT (email) DO NOTHING RETURNING *`;
      if (rows.length === 0)
        throw new CoreError('conflict', 'An account with this email already exists', {
          details: { param: 'email', wire_code: 'email_taken' },
        });
      const account = toAccount(rows[0]!);
      await sendVerification(account.id, email, account.locale);
      return account;
    },

    /**
     * Password login, opening a server-side session. Unknown emails and wrong passwords are refused
     * alike, in about the same time.
     */
    async login(
      input: { email: string; password: string },
      meta: { userAgent?: string | undefined; ip?: string | undefined } = {},
    ): Promise<{ account: Account; token: string; csrfToken: string; sessionId: string; expiresAt: Date }> {
      let email: string;
      try {
        email = normalizeEmail(input.email);
      } catch {
        throw new CoreError('unauthorized', 'Wrong email or password');
      }
      const [row] = await sql`SELECT * FROM accounts WHERE email = ${email}`;
      const ok = await verifyPassword(
        (row?.password_hash as string | undefined) ?? (await decoyPasswordHash()),
        input.password,
      );
      if (!row?.password_hash || !ok) throw new CoreError('unauthorized', 'Wrong email or password');
      const account = toAccount(row);
      if (account.status === 'closed') throw new CoreError('unauthorized', 'Wrong email or password');
      const { token, csrfToken, session } = await deps.sessions.create(account.id, meta);
      return { account, token, csrfToken, sessionId: session.id, expiresAt: session.expiresAt };
    },

    async verifyEmail(token: string): Promise<Account> {
      const claims = await deps.tokens.verify(token, 'verify-email');
      const rows = await sql`
        UPDATE accounts SET email_verified_at = COALESCE(email_verified_at, ${deps.clock.now()}), updated_at = now()
        WHERE id = ${claims.sub} AND email = ${claims.email ?? ''} RETURNING *`;
      if (rows.length === 0)
        throw new CoreError('invalid_request', 'This verification link is no longer valid');
      return toAccount(rows[0]!);
    },

    sendVerification,

    /**
     * The account behind a chat-platform user, created on first contact (with the optional welcome
     * credit, granted once per identity).
     */
    async resolveIdentity(
      platform: Platform,
      externalId: string,
      displayName?: string,
    ): Promise<{ account: Account; created: boolean }> {
      const [existing] = await sql`
        SELECT a.* FROM identities i JOIN accounts a ON a.id = i.account_id
        WHERE i.platform = ${platform} AND i.external_id = ${externalId}`;
      if (existing) return { account: toAccount(existing), created: false };
      const created = await sql
        .begin(async (tx) => {
          const [account] = await tx`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
          const inserted = await tx`
          INSERT INTO identities (account_id, platform, external_id, display_name)
          VALUES (${account!.id}, ${platform}, ${externalId}, ${displayName ?? null})
          ON CONFLICT (platform, external_id) DO NOTHING RETURNING account_id`;
          if (inserted.length === 0) throw new CoreError('conflict', 'identity created concurrently');
          return account!.id as string;
        })
        .catch(async (error: unknown) => {
          // Another request created the identity at the same moment: use theirs.
          if (error instanceof CoreError && error.code === 'conflict') return null;
          throw error;
        });
      if (created === null) {
        const [row] = await sql`
          SELECT a.* FROM identities i JOIN accounts a ON a.id = i.account_id
          WHERE i.platform = ${platform} AND i.external_id = ${externalId}`;
        return { account: toAccount(row!), created: false };
      }
      const welcome = options.welcomeCreditMrp ?? 0n;
      if (welcome > 0n && options.credit) {
        await options.credit(created, welcome, `welcome:${platform}:${externalId}`);
      }
      return { account: await get(created), created: true };
    },

    /** Refuses work for accounts that are not active, with a message the shells can show. */
    assertActive(account: { status: AccountStatus }): void {
      if (account.status === 'suspended') {
        throw new CoreError('account_suspended', 'This account is suspended. Contact support.');
      }
      if (account.status === 'closed') throw new CoreError('unauthorized', 'This account is closed');
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
