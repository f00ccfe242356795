import type { JobsRow, Sql } from '../../db/index.js';
import { CoreError } from '../errors.js';
import { mrpToIdrString } from '../ledger/index.js';

/** The longest range one usage report covers. */
export const MAX_USAGE_RANGE_DAYS = 366;
const MAX_USAGE_ROWS = 100_000;

export interface UsageRow {
  id: string;
  created_at: string;
  channel: string;
  kind: string;
  model: string;
  status: string;
  api_key_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_tokens: number | null;
  units: number | null;
  /** Exact rupiah as decimal text (`"0.237"`), so CSV and JSON agree to the milli-rupiah. */
  cost_idr: string;
}

export interface UsageReport {
  from: string;
  to: string;
  rows: UsageRow[];
  total_cost_idr: string;
  truncated: boolean;
}

/** The account's requests in `[from, to)`, or only one key's: billing metadata only, never content. */
export async function usageReport(
  sql: Sql,
  accountId: string,
  range: { from: Date; to: Date; keyId?: string },
): Promise<UsageReport> {
  const { from, to } = range;
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
    throw new CoreError('invalid_request', 'from and to must be dates');
  if (to.getTime() <= from.getTime()) throw new CoreError('invalid_request', '"to" must be after "from"');
  if (to.getTime() - from.getTime() > MAX_USAGE_RANGE_DAYS * 24 * 3600 * 1000) {
    throw new CoreError('invalid_request', `A usage report covers at most ${MAX_USAGE_RANGE_DAYS} days`);
  }
  const rows = await sql<
    (Pick<
      JobsRow,
      | 'id'
      | 'created_at'
      | 'channel'
      | 'kind'
      | 'model'
      | 'status'
      | 'api_key_id'
      | 'input_tokens'
      | 'output_tokens'
      | 'cached_tokens'
      | 'units'
    > & { cost_mrp: bigint })[]
  >`
    SELECT id, created_at, channel, kind, model, status, api_key_id, input_tokens, output_tokens, cached_tokens,
           units, COALESCE(cost_mrp, 0)::bigint AS cost_mrp
    FROM jobs WHERE account_id = ${accountId} AND created_at >= ${from} AND created_at < ${to}
      AND (${range.keyId ?? null}::uuid IS NULL OR api_key_id = ${range.keyId ?? null}::uuid)
    ORDER BY created_at, id LIMIT ${MAX_USAGE_ROWS + 1}`;
  const truncated = rows.length > MAX_USAGE_ROWS;
  const kept = truncated ? rows.slice(0, MAX_USAGE_ROWS) : rows;
  let total = 0n;
  const out = kept.map((r) => {
    total += r.cost_mrp;
    return {
      id: r.id,
      created_at: r.created_at.toISOString(),
      channel: r.channel,
      kind: r.kind,
      model: r.model,
      status: r.status,
      api_key_id: r.api_key_id,
      input_tokens: r.input_tokens,
      output_tokens: r.output_tokens,
      cached_tokens: r.cached_tokens,
      units: r.units,
      cost_idr: mrpToIdrString(r.cost_mrp),
    };
  });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    rows: out,
    total_cost_idr: mrpToIdrString(total),
    truncated,
  };
}

const CSV_COLUMNS: (keyof UsageRow)[] = [
  'created_at',
  'id',
  'channel',
  'kind',
  'model',
  'status',
  'api_key_id',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'units',
  'cost_idr',
];

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with `'`. */
export function usageToCsv(report: UsageReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of report.rows) lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
