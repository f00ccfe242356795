export { type AnonymizeResult, anonymizeAccount } from './anonymize.js';
export { type AccountExport, exportAccountData } from './export.js';
export {
  createPrivacy,
  DELETE_CONFIRMATION,
  type DeletionResult,
  type Privacy,
  type PrivacyActor,
  type PrivacyDeps,
  type ProfileChange,
} from './privacy.js';
export { MAX_USAGE_RANGE_DAYS, type UsageReport, type UsageRow, usageReport, usageToCsv } from './usage.js';
