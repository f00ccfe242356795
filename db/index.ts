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
export { ensureDatabase, migrateDatabase } from './migrate.js';
export type { AccountRow, ApiKeyRow, IdentityRow, RowOf } from './rows.js';
export type { AccountLimits } from './schema/accounts.js';
export * as tables from './schema/index.js';
export type { PriceSnapshot, ProviderAttempt } from './schema/jobs.js';
export type { ReplyTarget } from './schema/topups.js';
