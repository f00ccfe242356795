import type { Table } from 'drizzle-orm';
import type { accounts, identities } from './schema/accounts.js';
import type { apiKeys } from './schema/api-keys.js';

/**
 * A table's row as postgres.js returns it for `SELECT *`: the SQL column names, with the value
 * types drizzle derives from the schema (int8 money as bigint, timestamps as Date, enums as unions).
 * Derived, so a column added to the schema is known to every reader at once.
 */
export type RowOf<T extends Table> = {
  [K in keyof T['_']['columns'] as T['_']['columns'][K]['_']['name']]: T['$inferSelect'][K &
    keyof T['$inferSelect']];
};

export type AccountRow = RowOf<typeof accounts>;
export type IdentityRow = RowOf<typeof identities>;
export type ApiKeyRow = RowOf<typeof apiKeys>;
