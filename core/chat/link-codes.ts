import { createHash, randomInt } from 'node:crypto';
import type { Database } from '../../db/index.js';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { ledgerWithin } from '../topups/index.js';

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

export interface LinkIdentity {
  platform: 'telegram' | 'slack' | 'discord';
  externalId: string;
}

export interface LinkResult {
  /** The account every identity now belongs to. */
  accountId: string;
  /** The account emptied into it (closed when it had no email); undefined when both were the same. */
  mergedAccountId?: string;
  movedMrp: bigint;
  /** The code owner's platform identities, to tell them their code was used, and their language. */
  issuerIdentities: LinkIdentity[];
  issuerLocale: string;
}

function refused(reason: string, message: string): CoreError {
  return new CoreError('conflict', message, { details: { reason } });
}

/**
 * One-time codes that join two accounts: one side issues a code (shown to its owner only), the
 * other enters it. Policy: a code links identities of different platforms, or a platform identity
 * with an email account; a code entered on a platform where its owner already is, is refused
 * (nobody needs two Telegram accounts joined, and a code read over someone's shoulder in a group
 * must not hand over their balance). The owner is told whenever their code is used.
 *
 * The merge is one database transaction: the code is claimed, both accounts are locked and must
 * be active, identities move, the balance moves through two ledger entries (debit, credit) whose
 * idempotency keys derive from the code, its pending top-up requests move to the surviving
 * account, and the emptied account is closed; any refusal rolls all of it back and leaves the code
 * usable.
 */
export function createLinkCodes(db: Database, clock: Clock) {
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

    async redeem(
      code: string,
      /** `web`: the signed-in website (an email account), which has no chat platform of its own. */
      redeemer: { accountId: string; platform: LinkIdentity['platform'] | 'web' },
    ): Promise<LinkResult> {
      const normalized = normalizeLinkCode(code);
      if (!/^[A-Z0-9]{4,32}$/.test(normalized)) throw invalid();
      const codeHash = hashCode(normalized);
      return sql.begin(async (tx) => {
        const [claimed] = await tx<{ account_id: string }[]>`
          UPDATE link_codes SET used_at = ${clock.now()}
          WHERE code_hash = ${codeHash} AND used_at IS NULL AND expires_at > ${clock.now()}
          RETURNING account_id`;
        if (!claimed) throw invalid();
        const issuer = claimed.account_id;
        const issuerIdentities = await tx<LinkIdentity[]>`
          SELECT platform, external_id AS "externalId" FROM identities WHERE account_id = ${issuer}`;
        if (issuer === redeemer.accountId) {
          return { accountId: issuer, movedMrp: 0n, issuerIdentities: [], issuerLocale: 'id' };
        }
        if (issuerIdentities.some((i) => i.platform === redeemer.platform)) {
          throw refused('same_platform', 'A link code joins accounts of different platforms');
        }
        // Locked in id order, so two merges of the same pair cannot deadlock.
        const rows = await tx<{ id: string; email: string | null; status: string; locale: string }[]>`
          SELECT id, email, status, locale FROM accounts WHERE id IN (${issuer}, ${redeemer.accountId})
          ORDER BY id FOR UPDATE`;
        if (rows.length !== 2 || rows.some((r) => r.status !== 'active')) {
          throw refused('account_inactive', 'Both accounts must be active to be linked');
        }
        const issuerHasEmail = rows.some((r) => r.id === issuer && r.email);
        const redeemerHasEmail = rows.some((r) => r.id === redeemer.accountId && r.email);
        if (issuerHasEmail && redeemerHasEmail) {
          throw refused('both_have_email', 'Two email accounts cannot be linked');
        }
        const [survivor, merged] =
          redeemerHasEmail && !issuerHasEmail ? [redeemer.accountId, issuer] : [issuer, redeemer.accountId];

        await tx`UPDATE identities SET account_id = ${survivor} WHERE account_id = ${merged}`;
        // Open top-up requests follow the person: a transfer they make later with that code (or
        // amount) credits the account they now use, not the closed one (which gets no money).
        await tx`
          UPDATE topup_requests SET account_id = ${survivor}
          WHERE account_id = ${merged} AND status = 'pending'`;
        const ledger = ledgerWithin(tx, clock);
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
        await tx`
          UPDATE accounts SET status = 'closed', closed_at = ${clock.now()}, updated_at = now()
          WHERE id = ${merged} AND email IS NULL AND status = 'active'`;
        const issuerLocale = rows.find((r) => r.id === issuer)?.locale ?? 'id';
        return { accountId: survivor, mergedAccountId: merged, movedMrp, issuerIdentities, issuerLocale };
      });
    },
  };
}

export type LinkCodes = ReturnType<typeof createLinkCodes>;
