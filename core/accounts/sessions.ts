import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AccountRow, Database, SessionRow } from '../../db/index.js';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';

/** How long a session lives without use, and at most in total. */
export const SESSION_IDLE_MS = 24 * 3600 * 1000;
export const SESSION_MAX_MS = 30 * 24 * 3600 * 1000;
/** last_seen_at is written at most this often, so a busy dashboard does not write on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface SessionInfo {
  id: string;
  accountId: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface AuthenticatedSession extends SessionInfo {
  accountStatus: 'active' | 'suspended' | 'closed';
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function toSession(row: SessionRow): SessionInfo {
  return {
    id: row.id,
    accountId: row.account_id,
    userAgent: row.user_agent,
    ip: row.ip,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}

/**
 * Server-side sessions. The token is 32 random bytes (`ses_...`), stored only as its SHA-256, so
 * a database read never yields a usable session. Each session also has a CSRF token derived from it
 * (HMAC with the server secret): a page that can read it is our own page, and it changes with the
 * session, so nothing needs storing.
 */
export function createSessions(db: Database, deps: { clock: Clock; secret: string }) {
  const { sql } = db;
  const csrfKey = createHash('sha256').update(`csrf:${deps.secret}`).digest();

  function csrfTokenFor(token: string): string {
    return createHmac('sha256', csrfKey).update(token).digest('base64url');
  }

  return {
    async create(
      accountId: string,
      meta: { userAgent?: string | undefined; ip?: string | undefined } = {},
    ): Promise<{ token: string; csrfToken: string; session: SessionInfo }> {
      const token = `ses_${randomBytes(32).toString('base64url')}`;
      const now = deps.clock.now();
      const [row] = await sql<SessionRow[]>`
        INSERT INTO sessions (account_id, token_hash, user_agent, ip, created_at, last_seen_at, expires_at)
        VALUES (${accountId}, ${hashToken(token)}, ${meta.userAgent?.slice(0, 200) ?? null}, ${meta.ip ?? null},
                ${now}, ${now}, ${new Date(now.getTime() + SESSION_IDLE_MS)})
        RETURNING *`;
      return { token, csrfToken: csrfTokenFor(token), session: toSession(row!) };
    },

    /** The live session behind a token, its idle expiry extended; 401 when unknown, revoked or expired. */
    async authenticate(token: string): Promise<AuthenticatedSession> {
      const now = deps.clock.now();
      const [row] = await sql<(SessionRow & { account_status: AccountRow['status'] })[]>`
        SELECT s.*, a.status AS account_status FROM sessions s JOIN accounts a ON a.id = s.account_id
        WHERE s.token_hash = ${hashToken(token)}`;
      if (!row || row.revoked_at || row.expires_at <= now || row.account_status === 'closed') {
        throw new CoreError('unauthorized', 'Session expired or signed out: sign in again');
      }
      const session = toSession(row);
      if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        const hardEnd = session.createdAt.getTime() + SESSION_MAX_MS;
        const expiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, hardEnd));
        await sql`UPDATE sessions SET last_seen_at = ${now}, expires_at = ${expiresAt} WHERE id = ${session.id}`;
        session.lastSeenAt = now;
        session.expiresAt = expiresAt;
      }
      return { ...session, accountStatus: row.account_status };
    },

    csrfTokenFor,

    /** Constant-time check of a CSRF header against the session token it must belong to. */
    csrfMatches(token: string, given: string | undefined): boolean {
      if (!given) return false;
      const expected = Buffer.from(csrfTokenFor(token));
      const actual = Buffer.from(given);
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },

    async list(accountId: string): Promise<SessionInfo[]> {
      const rows = await sql<SessionRow[]>`
        SELECT * FROM sessions WHERE account_id = ${accountId} AND revoked_at IS NULL
          AND expires_at > ${deps.clock.now()}
        ORDER BY last_seen_at DESC LIMIT 100`;
      return rows.map(toSession);
    },

    /** Ends one of the account's sessions; 404 for another account's or an already ended one. */
    async revoke(accountId: string, sessionId: string): Promise<void> {
      const rows = await sql`
        UPDATE sessions SET revoked_at = ${deps.clock.now()}
        WHERE id = ${sessionId} AND account_id = ${accountId} AND revoked_at IS NULL RETURNING id`;
      if (rows.length === 0) throw new CoreError('not_found', 'No such active session');
    },

    /** Ends every session of the account except `keepId` (all of them when absent); returns how many. */
    async revokeAll(accountId: string, keepId?: string): Promise<number> {
      const rows = await sql`
        UPDATE sessions SET revoked_at = ${deps.clock.now()}
        WHERE account_id = ${accountId} AND revoked_at IS NULL
          AND (${keepId ?? null}::uuid IS NULL OR id <> ${keepId ?? null}::uuid)
        RETURNING id`;
      return rows.length;
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
