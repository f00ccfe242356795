export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  type Executor,
  inTransaction,
  type Schema,
  type Sql,
  type Tx,
} from './client.js';
export { createGroupCommit, type GroupCommit, type GroupCommitOptions } from './group-commit.js';
export { ensureDatabase, migrateDatabase } from './migrate.js';
export {
  type AccountRow,
  type ApiKeyRow,
  type BankMutationRow,
  type ConversationMessageRow,
  type ConversationRow,
  fromRow,
  type HoldRow,
  type IdentityRow,
  type JobsRow,
  type LedgerEntryRow,
  type RowOf,
  type SessionRow,
  type StarPaymentRow,
  type TopupRequestRow,
  type VoucherRow,
} from './rows.js';
export type { AccountLimits } from './schema/accounts.js';
export * as tables from './schema/index.js';
export type { PriceSnapshot, ProviderAttempt } from './schema/jobs.js';
export type { ReplyTarget } from './schema/topups.js';
