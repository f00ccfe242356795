import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';
import type { accounts, identities } from './schema/accounts.js';
import type { apiKeys } from './schema/api-keys.js';
import type { conversationMessages, conversations } from './schema/conversations.js';
import type { jobs } from './schema/jobs.js';
import type { holds, ledgerEntries } from './schema/ledger.js';
import type { sessions } from './schema/sessions.js';
import type { bankMutations, starPayments, topupRequests, vouchers } from './schema/topups.js';

/**
 * A table's row as postgres.js returns it for `SELECT *`: the SQL column names, with the value
 * types drizzle derives from the schema (int8 money as bigint, timestamps as Date, enums as unions).
 * Derived, so a column added to the schema is known to every reader at once.
 */
export type RowOf<T extends Table> = {
  [K in keyof T['_']['columns'] as T['_']['columns'][K]['_']['name']]: T['$inferSelect'][K &
    keyof T['$inferSelect']];
};

/** Each table's (property name, SQL column name) pairs, worked out once. */
const columnNames = new WeakMap<Table, [string, string][]>();

/**
 * A row as postgres.js returns it (`RowOf<T>`, SQL column names) in the schema's own property names
 * (`InferSelectModel<T>`, camelCase): the one mapper from SQL rows to domain rows, so none is
 * written (and cast) by hand. The row must hold every column (`SELECT *` or `RETURNING *`).
 */
export function fromRow<T extends Table>(table: T, row: RowOf<T>): InferSelectModel<T> {
  let names = columnNames.get(table);
  if (!names) {
    names = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name]);
    columnNames.set(table, names);
  }
  const values: Record<string, unknown> = row;
  const result: Record<string, unknown> = {};
  for (const [key, name] of names) result[key] = values[name];
  return result as InferSelectModel<T>;
}

export type AccountRow = RowOf<typeof accounts>;
export type IdentityRow = RowOf<typeof identities>;
export type ApiKeyRow = RowOf<typeof apiKeys>;
export type SessionRow = RowOf<typeof sessions>;
export type JobsRow = RowOf<typeof jobs>;
export type LedgerEntryRow = RowOf<typeof ledgerEntries>;
export type HoldRow = RowOf<typeof holds>;
export type TopupRequestRow = RowOf<typeof topupRequests>;
export type BankMutationRow = RowOf<typeof bankMutations>;
export type VoucherRow = RowOf<typeof vouchers>;
export type StarPaymentRow = RowOf<typeof starPayments>;
export type ConversationRow = RowOf<typeof conversations>;
export type ConversationMessageRow = RowOf<typeof conversationMessages>;
