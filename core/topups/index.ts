export { NOTIFY_TASK, parseNotifyTask, renderTopupCredited, routeNotifier } from '../notices/index.js';
export { confirmationTarget, enqueueConfirmation } from './confirmations.js';
export { createMootaRestClient, type MootaRestClient } from './moota/index.js';
export { bankDate, type MootaIngestResult } from './moota-intake.js';
export { mutationCreditKey } from './mutation-credit.js';
export type { IngestResult, MutationOutcome } from './mutations.js';
export { type BankAccount, DEFAULT_TOPUP_OPTIONS, type TopupOptions } from './options.js';
export {
  type PreCheckoutVerdict,
  STAR_PACKAGE_SIZES,
  STARS_CURRENCY,
  type StarPackage,
  type StarPayment,
  starPackages,
  validatePreCheckout,
} from './stars.js';
export {
  CODE_ONLY_SUFFIX,
  type CreateTopupInput,
  cancelOpenTopups,
  type TopupChannel,
  type TopupRequest,
  type TopupStatus,
} from './topup-requests.js';
export { createTopups, type TopupDeps, type Topups } from './topups.js';
export { ledgerWithin, type Tx } from './transaction.js';
export { findCodeInText, findCodesInText, generateTransferCode, normalizeCode } from './transfer-code.js';
export { type BankMutationRecord, RETURN_AFTER_DAYS } from './unmatched.js';
export { type CreateVoucherInput, normalizeVoucherCode, type Redemption, type Voucher } from './vouchers.js';
