export { type AuditEntry, recordAudit } from './audit.js';
export { ERASED, pseudonymizeAudit } from './pseudonymize.js';
