import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.js';

/**
 * Responses kept for `previous_response_id`, `GET` and `DELETE /v1/responses/{id}` (content: never
 * written for zero-retention accounts or `store: false`; unreadable after `expires_at`, purged then).
 * `input_items` is the whole conversation before this response (earlier turns included, in the
 * Responses item format); `response` is the response object as returned, its `output` included.
 */
export const storedResponses = pgTable(
  'stored_responses',
  {
    /** `resp_...`, as returned to the client. */
    id: text('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    jobId: uuid('job_id'),
    response: jsonb('response').notNull(),
    inputItems: jsonb('input_items').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('stored_responses_account_idx').on(t.accountId, t.createdAt),
    index('stored_responses_expires_idx').on(t.expiresAt),
  ],
);
