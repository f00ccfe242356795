import type postgres from 'postgres';
import type { Database } from '../../db/index.js';
import { createLedger, type Ledger } from '../ledger/index.js';
import type { Clock } from '../ports/clock.js';

/** A PostgreSQL transaction as postgres.js hands it to `sql.begin`. */
export type Tx = postgres.TransactionSql<{ bigint: bigint }>;

/**
 * The ledger, bound to an open transaction. The ledger opens its own transaction for each money
 * movement (`sql.begin`); here that becomes a savepoint of ours, so a credit and the status change
 * that justifies it (a request marked paid, a voucher use counted) commit or roll back together,
 * while the ledger's own statements, idempotency checks and error messages stay the single truth.
 */
export function ledgerWithin(tx: Tx, clock: Clock): Ledger {
  const tag = (strings: TemplateStringsArray, ...values: postgres.ParameterOrFragment<never>[]) =>
    tx(strings, ...values);
  const sql = Object.assign(tag, {
    begin: <T>(callback: (inner: Tx) => Promise<T>) => tx.savepoint(callback),
  });
  return createLedger({ sql } as unknown as Database, clock);
}
