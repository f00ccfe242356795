export { cutoff, RETENTION_POLICY, type RetentionPolicy } from './policy.js';
export {
  createRetention,
  type Retention,
  type RetentionDeps,
  type RetentionReport,
  type RetentionRunOptions,
} from './runner.js';
