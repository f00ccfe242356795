import type { Database } from '../../db/index.js';
import { jsonbSafe } from '../jobs/index.js';
import type { Clock } from '../ports/clock.js';
import { RETENTION_POLICY } from '../retention/policy.js';

/**
 * Stored Responses-API responses, per account: what `previous_response_id`, `item_reference` and
 * `GET`/`DELETE /v1/responses/{id}` read. Items and responses are the wire JSON, opaque here.
 *
 * Contract: nothing is written for a zero-retention account (the insert reads the flag itself, so a
 * flag flipped mid-request still wins), and nothing is readable once the account turned zero
 * retention on, once deleted, or after the retention window (the same as job content). Another
 * account's id reads as absent.
 */

export interface StoredResponse {
  response: Record<string, unknown>;
  /** The conversation before this response, in the Responses item format. */
  inputItems: unknown[];
}

export function createResponseStore(db: Database, clock: Clock) {
  const { sql } = db;
  // Stored conversations may hold a NUL or a lone surrogate, which jsonb refuses (see jsonbSafe).
  const json = (value: unknown) => sql.json(jsonbSafe(value) as never);
  const keepMs = RETENTION_POLICY.jobContentDays * 24 * 3600 * 1000;

  return {
    /** Keeps a response; false when the account keeps no content (zero retention). */
    async save(input: {
      id: string;
      accountId: string;
      jobId?: string;
      response: Record<string, unknown>;
      inputItems: unknown[];
    }): Promise<boolean> {
      const now = clock.now();
      const rows = await sql`
        INSERT INTO stored_responses (id, account_id, job_id, response, input_items, created_at, expires_at)
        SELECT ${input.id}, a.id, ${input.jobId ?? null}::uuid, ${json(input.response)}::jsonb,
               ${json(input.inputItems)}::jsonb, ${now}, ${new Date(now.getTime() + keepMs)}
        FROM accounts a WHERE a.id = ${input.accountId} AND NOT a.zero_retention
        ON CONFLICT (id) DO NOTHING
        RETURNING id`;
      return rows.length > 0;
    },

    async get(accountId: string, id: string): Promise<StoredResponse | undefined> {
      const [row] = await sql<{ response: Record<string, unknown>; input_items: unknown[] }[]>`
        SELECT r.response, r.input_items FROM stored_responses r JOIN accounts a ON a.id = r.account_id
        WHERE r.id = ${id} AND r.account_id = ${accountId} AND r.expires_at > ${clock.now()}
          AND NOT a.zero_retention`;
      return row ? { response: row.response, inputItems: row.input_items } : undefined;
    },

    /** True when it existed (and was this account's). */
    async remove(accountId: string, id: string): Promise<boolean> {
      const rows = await sql`
        DELETE FROM stored_responses WHERE id = ${id} AND account_id = ${accountId}
          AND expires_at > ${clock.now()} RETURNING id`;
      return rows.length > 0;
    },

    /** Output items of this account's stored responses, by item id (for `item_reference` inputs). */
    async findOutputItems(accountId: string, itemIds: string[]): Promise<Map<string, unknown>> {
      const found = new Map<string, unknown>();
      if (itemIds.length === 0) return found;
      const rows = await sql<{ item: { id: string } }[]>`
        SELECT item FROM stored_responses r JOIN accounts a ON a.id = r.account_id,
             jsonb_array_elements(r.response->'output') AS item
        WHERE r.account_id = ${accountId} AND r.expires_at > ${clock.now()} AND NOT a.zero_retention
          AND item->>'id' = ANY(${itemIds})`;
      for (const row of rows) found.set(row.item.id, row.item);
      return found;
    },
  };
}

export type ResponseStore = ReturnType<typeof createResponseStore>;
