export {
  checkKeyNotices,
  KEY_NOTICE_THRESHOLDS,
  type KeyNotice,
  type KeySpendState,
  keyNoticesDue,
  unclaimKeyNotices,
} from './key-notices.js';
export { KEY_MODEL_KINDS, type KeyModelKind, type KeyUse, keyKindOf } from './key-spend.js';
export {
  type Balance,
  type CreditKind,
  createLedger,
  type EntryResult,
  type Hold,
  type Ledger,
  type LedgerHooks,
  type Mismatch,
  type MoneyMovement,
  plainSettled,
  type SettleResult,
} from './ledger.js';
export { formatIdr, idrToMrp, MRP_PER_IDR, mrpToIdrNumber, mrpToIdrString } from './money.js';
export {
  type Fragment,
  type PlainSettleRow,
  plainHoldSteps,
  plainSettleStatement,
} from './plain-statements.js';
export { perUnitCostMrp, type TokenPrice, type TokenUsage, tokenCostMrp } from './pricing.js';
