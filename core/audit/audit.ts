import type { Executor } from '../../db/index.js';

export interface AuditEntry {
  actorType: 'admin' | 'account' | 'system';
  actorId?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  ip?: string | null;
}

function json(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Appends one audit row; pass the transaction when the audited change has one, so both commit together. */
export async function recordAudit(sql: Executor, entry: AuditEntry): Promise<void> {
  await sql`
    INSERT INTO audit_log (actor_type, actor_id, action, target_type, target_id, before, after, reason, ip)
    VALUES (${entry.actorType}, ${entry.actorId ?? null}, ${entry.action}, ${entry.targetType ?? null},
            ${entry.targetId ?? null}, ${json(entry.before)}::text::jsonb, ${json(entry.after)}::text::jsonb,
            ${entry.reason ?? null}, ${entry.ip ?? null}::inet)`;
}
