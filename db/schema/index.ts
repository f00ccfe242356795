export * from './accounts.js';
export * from './admin.js';
export * from './api-keys.js';
export * from './audit.js';
export * from './conversations.js';
export * from './jobs.js';
export * from './ledger.js';
export * from './topups.js';
