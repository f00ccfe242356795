export type { PriceSnapshot, ProviderAttempt } from '../../db/schema/jobs.js';
export {
  createJobs,
  type FinishJobInput,
  type JobChannel,
  type JobKind,
  type JobRow,
  type JobStatus,
  type Jobs,
  type JobUsage,
  type StartJobInput,
} from './jobs.js';
export { jsonbSafe } from './jsonb-safe.js';
export { listRequests, type RequestFilter, type RequestSummary, requestDetail } from './request-history.js';
