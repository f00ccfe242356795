import { createHash } from 'node:crypto';
import type { Database } from '../../db/index.js';
import { enqueueNotice } from '../notices/index.js';
import type { Clock } from '../ports/clock.js';
import { privateChatTarget } from '../ports/notifier.js';
import type { TaskQueue } from '../ports/queue.js';
import { createLinkCodes, type LinkResult, normalizeLinkCode } from './link-codes.js';

/**
 * Linking chat accounts from the website, under the same policy as the bots (link-codes.ts): a
 * signed-in person gets a code to enter in a bot, or enters a code a bot gave them. When a code is
 * used here, its owner is told on each of their chats (through the delivery queue, retried), as
 * the bots tell them when a code is used on another platform.
 */
export function createWebLinking(deps: { db: Database; clock: Clock; queue: TaskQueue }) {
  const codes = createLinkCodes(deps.db, deps.clock);
  return {
    issue: (accountId: string) => codes.issue(accountId),

    async redeem(code: string, accountId: string): Promise<LinkResult> {
      const result = await codes.redeem(code, { accountId, platform: 'web' });
      const reference = createHash('sha256').update(normalizeLinkCode(code)).digest('hex').slice(0, 16);
      const locale = result.issuerLocale === 'en' ? 'en' : 'id';
      for (const identity of result.issuerIdentities) {
        await enqueueNotice(deps.queue, {
          reference: `linked_${reference}_${identity.platform}_${identity.externalId}`,
          target: privateChatTarget(identity.platform, identity.externalId),
          message: { kind: 'account_linked', via: 'web', locale },
        });
      }
      return result;
    },
  };
}

export type WebLinking = ReturnType<typeof createWebLinking>;
