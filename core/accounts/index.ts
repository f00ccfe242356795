export {
  type Account,
  type AccountStatus,
  type Accounts,
  createAccounts,
  type Platform,
} from './accounts.js';
export {
  API_KEY_SCOPES,
  type ApiKeyInfo,
  type ApiKeyScope,
  type ApiKeys,
  type AuthenticatedKey,
  createApiKeys,
  hashApiKey,
  keyAllowsModel,
} from './api-keys.js';
export { normalizeEmail } from './email.js';
export { KEY_LIMIT_PERIODS, type KeyLimitPeriod, periodEnd, periodStart } from './key-periods.js';
export {
  type KeyLimitsView,
  type KeySettingsInput,
  keyRemainingMrp,
  MAX_KEY_LIMIT_MRP,
} from './key-settings.js';
export { createPasswordChanges, type PasswordChanges } from './password-changes.js';
export { assertStrongPassword, hashPassword, verifyPassword } from './passwords.js';
export {
  type AuthenticatedSession,
  createSessions,
  type SessionInfo,
  type Sessions,
} from './sessions.js';
export { createTokenService, type TokenClaims, type TokenPurpose, type TokenService } from './tokens.js';
