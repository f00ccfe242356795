import type { AccountRow, Database, IdentityRow } from '../../db/index.js';
import { type KeyNotice, unclaimKeyNotices } from '../ledger/index.js';
import { type KeyLimitMessage, type NotifyTarget, privateChatTarget } from '../ports/notifier.js';
import type { TaskQueue } from '../ports/queue.js';
import { enqueueNotice } from './notify-task.js';

/**
 * Sends the API-key limit notices the ledger claimed (see core/ledger/key-notices.ts) to the key's
 * owner: by email when the account's address is verified, and privately on every chat platform
 * linked to the account (Telegram private chat, Slack DM, Discord DM; never a group). Each goes
 * through the delivery queue, once per notice and target (the task id is both). A notice whose
 * delivery cannot be queued is unclaimed, so the next settle or refusal of the key tries again.
 */
export function createKeyLimitNotices(deps: { db: Database; queue: TaskQueue }) {
  const { sql } = deps.db;

  async function ownerOf(keyId: string) {
    const [row] = await sql<
      {
        name: string;
        prefix: string;
        account_id: string;
        email: string | null;
        verified: boolean;
        locale: AccountRow['locale'];
        status: AccountRow['status'];
      }[]
    >`
      SELECT k.name, k.prefix, k.account_id, a.email, a.email_verified_at IS NOT NULL AS verified,
             a.locale, a.status
      FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.id = ${keyId}`;
    if (!row || row.status === 'closed') return undefined;
    const identities = await sql<Pick<IdentityRow, 'platform' | 'external_id'>[]>`
      SELECT platform, external_id FROM identities WHERE account_id = ${row.account_id} ORDER BY created_at`;
    const targets: Array<{ id: string; target: NotifyTarget }> = [];
    if (row.email && row.verified) targets.push({ id: 'email', target: { email: row.email } });
    for (const identity of identities) {
      targets.push({
        id: `${identity.platform}-${identity.external_id}`,
        target: privateChatTarget(identity.platform, identity.external_id),
      });
    }
    return { ...row, targets };
  }

  async function deliverOne(notice: KeyNotice): Promise<void> {
    const owner = await ownerOf(notice.keyId);
    if (!owner) return;
    const message: KeyLimitMessage = {
      kind: 'key_limit',
      keyName: owner.name.slice(0, 100),
      keyPrefix: owner.prefix,
      limit: notice.limit,
      thresholdPercent: notice.thresholdPercent,
      limitMrp: notice.limitMrp,
      spentMrp: notice.spentMrp,
      resetsAt: notice.resetsAt,
      locale: owner.locale,
    };
    const period = notice.periodStart.getTime();
    for (const { id, target } of owner.targets) {
      await enqueueNotice(deps.queue, {
        reference: `key-limit-${notice.keyId}-${notice.limit}-${period}-${notice.thresholdPercent}-${id}`,
        target,
        message,
      });
    }
  }

  return {
    /** Queues each notice's deliveries; never throws (the charge it follows is already made). */
    async deliver(notices: KeyNotice[]): Promise<void> {
      for (const notice of notices) {
        try {
          await deliverOne(notice);
        } catch {
          await unclaimKeyNotices(sql, [notice]).catch(() => undefined);
        }
      }
    },
  };
}

export type KeyLimitNotices = ReturnType<typeof createKeyLimitNotices>;
