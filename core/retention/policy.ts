/**
 * What AIport keeps and for how long, as plain data: the Privacy Policy's promises in one place.
 * The retention runner reads only this; changing a number here changes what the daily run purges.
 * Anything under legal hold (a job, or a whole account) is never purged while the hold stands.
 */
export interface RetentionPolicy {
  /** Job prompts and outputs; billing metadata (model, tokens, cost, times) stays on the row. */
  jobContentDays: number;
  /** Uploaded and generated files in storage. */
  mediaFileDays: number;
  /** Bot conversation history (conversation_messages). */
  conversationDays: number;
  /** API keys are removed this long after their revocation. */
  revokedKeyDays: number;
  /** Audit log rows. */
  auditDays: number;
  /** Closed accounts not yet anonymized are anonymized this long after closure. */
  closedAccountDays: number;
  /**
   * Ledger entries and top-up records are kept at least this long (tax and accounting law). The
   * runner never deletes them: `accounts.balance` equals the sum of the entries, so removing old
   * entries needs a carried-forward balance entry first, which is an accounting decision, not a purge.
   */
  billingYears: number;
}

export const RETENTION_POLICY: Readonly<RetentionPolicy> = Object.freeze({
  jobContentDays: 30,
  mediaFileDays: 30,
  conversationDays: 30,
  revokedKeyDays: 90,
  auditDays: 365,
  closedAccountDays: 365,
  billingYears: 10,
});

const DAY_MS = 24 * 3600 * 1000;

/** The moment before which data of a given age is due: `now - days`. */
export function cutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
