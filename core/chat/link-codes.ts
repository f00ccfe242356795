import { createHash, randomInt } from 'node:crypto';
import type { Database } from '../../db/index.js';
import { CoreError } from '../errors.js';
import type { Ledger } from '../ledger/index.js';
import type { Clock } from '../ports/clock.js';

/** No 0/O or 1/I/L: codes are read off one screen and typed on another. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
export const LINK_CODE_TTL_MS = 15 * 60_000;

export function normalizeLinkCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

function hashCode(code: string): string {
  return createHash('sha256').update(normalizeLinkCode(code)).digest('hex');
}

function invalid(): CoreError {
  return new CoreError('invalid_request', 'This link code is wrong, used or expired', {
    details: { reason: 'link_code_invalid' },
  });
}

export interface LinkResult {
  /** The account every identity now belongs to. */
  accountId: string;
  /** The account emptied into it (closed when it had no email); undefined when both were the same. */
  mergedAccountId?: string;
  movedMrp: bigint;
}

/**
 * One-time codes that join two accounts: one side issues a code, the other enters it. The account
 * with an email survives (else the issuer's); the other's identities move over and its available
 * balance moves through two ledger entries (debit, credit) whose idempotency keys derive from the
 * code, so a retried merge never moves money twice.
 */
export function createLinkCodes(db: Database, ledger: Ledger, clock: Clock) {
  const { sql } = db;

  return {
    async issue(accountId: string): Promise<{ code: string; expiresAt: Date }> {
      let code = '';
      for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
      const expiresAt = new Date(clock.now().getTime() + LINK_CODE_TTL_MS);
      await sql`
        INSERT INTO link_codes (code_hash, account_id, expires_at)
        VALUES (${hashCode(code)}, ${accountId}, ${expiresAt})`;
      return { code, expiresAt };
    },

    async redeem(code: string, redeemerAccountId: string): Promise<LinkResult> {
      const normalized = normalizeLinkCode(code);
      if (!/^[A-Z0-9]{4,32}$/.test(normalized)) throw invalid();
      const codeHash = hashCode(normalized);
      const [claimed] = await sql<{ account_id: string }[]>`
        UPDATE link_codes SET used_at = ${clock.now()}
        WHERE code_hash = ${codeHash} AND used_at IS NULL AND expires_at > ${clock.now()}
        RETURNING account_id`;
      if (!claimed) throw invalid();
      const issuer = claimed.account_id;
      if (issuer === redeemerAccountId) return { accountId: issuer, movedMrp: 0n };
      const rows = await sql<{ id: string; email: string | null }[]>`
        SELECT id, email FROM accounts WHERE id IN (${issuer}, ${redeemerAccountId})`;
      const issuerHasEmail = rows.some((r) => r.id === issuer && r.email);
      const redeemerHasEmail = rows.some((r) => r.id === redeemerAccountId && r.email);
      if (issuerHasEmail && redeemerHasEmail) {
        await sql`UPDATE link_codes SET used_at = NULL WHERE code_hash = ${codeHash}`;
        throw new CoreError('conflict', 'Two email accounts cannot be linked', {
          details: { reason: 'both_have_email' },
        });
      }
      const [survivor, merged] =
        redeemerHasEmail && !issuerHasEmail ? [redeemerAccountId, issuer] : [issuer, redeemerAccountId];

      await sql`UPDATE identities SET account_id = ${survivor} WHERE account_id = ${merged}`;
      const available = await ledger.balance(merged);
      let movedMrp = 0n;
      if (available.availableMrp > 0n) {
        const reference = `link:${codeHash.slice(0, 16)}`;
        await ledger.debit('merge', {
          accountId: merged,
          amountMrp: available.availableMrp,
          idempotencyKey: `${reference}:out`,
          reference,
          reason: 'Balance moved to a linked account',
        });
        await ledger.credit('merge', {
          accountId: survivor,
          amountMrp: available.availableMrp,
          idempotencyKey: `${reference}:in`,
          reference,
          reason: 'Balance moved from a linked account',
        });
        movedMrp = available.availableMrp;
      }
      await sql`
        UPDATE accounts SET status = 'closed', closed_at = ${clock.now()}, updated_at = now()
        WHERE id = ${merged} AND email IS NULL AND status = 'active'`;
      return { accountId: survivor, mergedAccountId: merged, movedMrp };
    },
  };
}

export type LinkCodes = ReturnType<typeof createLinkCodes>;
