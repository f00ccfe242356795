import type { JobsRow, Sql } from '../../db/index.js';
import { mrpToIdrNumber } from '../ledger/index.js';

export interface RequestFilter {
  model?: string | undefined;
  channel?: string | undefined;
  status?: string | undefined;
  /** Created strictly before this job (the id of the last row of the previous page). */
  beforeId?: string | undefined;
  limit: number;
}

type SummaryColumns = Pick<
  JobsRow,
  | 'id'
  | 'created_at'
  | 'channel'
  | 'kind'
  | 'model'
  | 'status'
  | 'input_tokens'
  | 'output_tokens'
  | 'units'
  | 'cost_mrp'
  | 'latency_ms'
  | 'ttfb_ms'
  | 'error_code'
>;

function summary(r: SummaryColumns) {
  return {
    id: r.id,
    created_at: r.created_at.toISOString(),
    channel: r.channel,
    kind: r.kind,
    model: r.model,
    status: r.status,
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    units: r.units,
    cost_idr: mrpToIdrNumber(r.cost_mrp ?? 0n),
    latency_ms: r.latency_ms,
    ttfb_ms: r.ttfb_ms,
    error_code: r.error_code,
  };
}

export type RequestSummary = ReturnType<typeof summary>;

/** The account's own requests, newest first, filtered; metadata only (content is in `requestDetail`). */
export async function listRequests(
  sql: Sql,
  accountId: string,
  filter: RequestFilter,
): Promise<RequestSummary[]> {
  const rows = await sql<SummaryColumns[]>`
    SELECT id, created_at, channel, kind, model, status, input_tokens, output_tokens, units, cost_mrp,
           latency_ms, ttfb_ms, error_code
    FROM jobs
    WHERE account_id = ${accountId}
      ${filter.model ? sql`AND model = ${filter.model}` : sql``}
      ${filter.channel ? sql`AND channel = ${filter.channel}` : sql``}
      ${filter.status ? sql`AND status = ${filter.status}` : sql``}
      ${
        filter.beforeId
          ? sql`AND (created_at, id) < (SELECT created_at, id FROM jobs WHERE id = ${filter.beforeId} AND account_id = ${accountId})`
          : sql``
      }
    ORDER BY created_at DESC, id DESC LIMIT ${filter.limit}`;
  return rows.map(summary);
}

/** One request with its prompt and output while they are retained (null once purged or never kept). */
export async function requestDetail(sql: Sql, accountId: string, jobId: string) {
  const [row] = await sql<JobsRow[]>`
    SELECT * FROM jobs WHERE id = ${jobId} AND account_id = ${accountId}`;
  if (!row) return null;
  return {
    ...summary(row),
    cached_tokens: row.cached_tokens,
    provider_attempts: row.attempts.length,
    content_retained: row.content_purged_at == null && (row.prompt != null || row.output != null),
    prompt: row.content_purged_at == null ? (row.prompt ?? null) : null,
    output: row.content_purged_at == null ? (row.output ?? null) : null,
  };
}
