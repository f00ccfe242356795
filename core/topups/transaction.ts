import type { Tx } from '../../db/index.js';
import { createLedger, type Ledger } from '../ledger/index.js';
import type { Clock } from '../ports/clock.js';

export type { Tx };

/**
 * The ledger, bound to an open transaction. The ledger opens its own transaction for each money
 * movement; here that becomes a savepoint of ours, so a credit and the status change that justifies
 * it (a request marked paid, a voucher use counted) commit or roll back together, while the ledger's
 * own statements, idempotency checks and error messages stay the single truth.
 */
export function ledgerWithin(tx: Tx, clock: Clock): Ledger {
  return createLedger({ sql: tx }, clock);
}
