import postgres from 'postgres';
import type * as schema from './schema/index.js';

export type Schema = typeof schema;

/** postgres.js with int8 columns and parameters as bigint (money is never a float). */
export type Sql = postgres.Sql<{ bigint: bigint }>;

/** An open transaction, as `sql.begin` hands it (savepoints inside it are transactions too). */
export type Tx = postgres.TransactionSql<{ bigint: bigint }>;

/**
 * Where a statement runs: the pool or an open transaction. Both satisfy it, so code that only runs
 * statements (the ledger's steps, audit, top-ups) takes an Executor and is called with either,
 * without casts. Code that opens transactions needs the pool (`Sql`) or a `Tx` (savepoints).
 */
export type Executor = postgres.ISql<{ bigint: bigint }>;

/**
 * Runs `work` in a transaction: a new one on the pool, or a savepoint inside an open transaction
 * (so a caller's transaction can wrap code that opens its own, and both commit or roll back together).
 */
export function inTransaction<T>(on: Sql | Tx, work: (tx: Tx) => Promise<T>): Promise<T> {
  // postgres.js types the result as UnwrapPromiseArray<T>, which is T unless T is an array of
  // promises; the work passed here resolves its own promises.
  return ('savepoint' in on ? on.savepoint(work) : on.begin(work)) as Promise<T>;
}

/**
 * The database handle passed through the domain: one postgres.js pool for every statement. The
 * drizzle schema (db/schema) defines the tables, the migrations and the row types (rows.ts).
 */
export interface Database {
  sql: Sql;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Pool size; PostgreSQL on two cores is fastest with a small pool. */
  max?: number;
  /** Called with PostgreSQL notices; default drops them (they are noise like "relation already exists"). */
  onnotice?: (notice: postgres.Notice) => void;
}

export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: options.onnotice ?? (() => {}),
    types: { bigint: postgres.BigInt },
    connection: { application_name: 'aiport' },
  });
  return {
    sql,
    close: async () => {
      await sql.end({ timeout: 5 });
    },
  };
}
