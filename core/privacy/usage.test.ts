import { describe, expect, it } from 'vitest';
import { type UsageReport, usageToCsv } from './usage.js';

const row = {
  id: 'j1',
  created_at: '2026-10-01T00:00:00.000Z',
  channel: 'api',
  kind: 'chat',
  model: 'gpt-4o-mini',
  status: 'succeeded',
  api_key_id: null,
  input_tokens: 10,
  output_tokens: 0,
  cached_tokens: null,
  units: null,
  cost_idr: '0.237',
};

const report = (rows: UsageReport['rows']): UsageReport => ({
  from: '2026-10-01T00:00:00.000Z',
  to: '2026-11-01T00:00:00.000Z',
  rows,
  total_cost_idr: '0',
  truncated: false,
});

describe('usage CSV', () => {
  it('writes a header and one CRLF line per row, empty cells for nulls, zero kept as 0', () => {
    expect(usageToCsv(report([row]))).toBe(
      'created_at,id,channel,kind,model,status,api_key_id,input_tokens,output_tokens,cached_tokens,units,cost_idr\r\n' +
        '2026-10-01T00:00:00.000Z,j1,api,chat,gpt-4o-mini,succeeded,,10,0,,,0.237\r\n',
    );
  });

  it('quotes separators and neutralizes spreadsheet formulas, but not negative numbers', () => {
    const csv = usageToCsv(
      report([{ ...row, model: '=HYPERLINK("http://x")', status: 'a,b', cost_idr: '-1.5' }]),
    );
    const line = csv.split('\r\n')[1]!;
    expect(line).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(line).toContain('"a,b"');
    expect(line.endsWith(',-1.5')).toBe(true);
  });
});
