import type { ReplyTarget } from '../../db/index.js';
import type { Clock } from '../ports/clock.js';
import { confirmationTarget, type PendingConfirmation } from './confirmations.js';
import { ledgerWithin, type Tx } from './transaction.js';

/** One bank mutation is credited at most once, whichever path (code, amount, admin) gets there. */
export function mutationCreditKey(mutationId: string): string {
  return `moota:${mutationId}`;
}

export interface MutationCredit {
  mutationId: string;
  accountId: string;
  amountMrp: bigint;
  /** The top-up request it paid, if any. */
  topupId: string | null;
  reason: string;
  replyTo: ReplyTarget | null;
}

/**
 * Credits a bank mutation inside the caller's transaction and prepares its confirmation (sent only
 * after commit). Returns null for the confirmation when the person has no channel to be told on.
 */
export async function creditMutationWithin(
  tx: Tx,
  clock: Clock,
  credit: MutationCredit,
): Promise<{ balanceMrp: bigint; created: boolean; confirmation: PendingConfirmation | null }> {
  const entry = await ledgerWithin(tx, clock).credit('topup', {
    accountId: credit.accountId,
    amountMrp: credit.amountMrp,
    idempotencyKey: mutationCreditKey(credit.mutationId),
    reference: credit.topupId ?? `mutation:${credit.mutationId}`,
    reason: credit.reason,
  });
  const { target, locale } = await confirmationTarget(tx, credit.accountId, credit.replyTo);
  const confirmation =
    entry.created && target
      ? {
          reference: `topup-credited-${credit.mutationId}`,
          target,
          message: {
            kind: 'topup_credited' as const,
            amountMrp: credit.amountMrp,
            balanceMrp: entry.balanceMrp,
            locale,
          },
        }
      : null;
  return { balanceMrp: entry.balanceMrp, created: entry.created, confirmation };
}
