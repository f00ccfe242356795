export { type AdminActor, type AdminConsole, createAdminConsole, requireReason } from './admin-console.js';
export {
  type AdminEnrollment,
  type AdminIdentity,
  type AdminUsers,
  createAdminUsers,
} from './admin-users.js';
export { generateTotpSecret, totpAt, totpUri, verifyTotp } from './totp.js';
