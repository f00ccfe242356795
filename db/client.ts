import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export type Schema = typeof schema;

/**
 * The database handle passed through the domain: `sql` for hand-written statements on hot paths
 * (ledger, rate-critical updates), `orm` (drizzle) for everything else.
 */
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

export interface Database {
  sql: Sql;
  orm: PostgresJsDatabase<Schema>;
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
  // drizzle rewrites its client's date serializers and parsers, so it gets a pool of its own and the raw
  // `sql` keeps postgres.js's own Date handling. Connections open lazily: an idle pool costs nothing.
  const ormClient = postgres(url, {
    max: Math.max(2, Math.ceil((options.max ?? 10) / 2)),
    onnotice: options.onnotice ?? (() => {}),
    connection: { application_name: 'aiport' },
  });
  const orm = drizzle(ormClient, { schema });
  return {
    sql,
    orm,
    close: async () => {
      await Promise.all([sql.end({ timeout: 5 }), ormClient.end({ timeout: 5 })]);
    },
  };
}
