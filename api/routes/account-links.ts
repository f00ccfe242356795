import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../../core/audit/index.js';
import type { Core } from '../../core/core.js';
import { CoreError, isCoreError } from '../../core/errors.js';
import { mrpToIdrNumber } from '../../core/ledger/index.js';
import { authOf } from '../plugins/auth.js';
import { redeemLinkBody } from '../schemas/account-links.js';
import { linkCodeResponse, linkedResponse, linksResponse } from '../schemas/responses.js';
import { validate } from '../schemas/validate.js';

/**
 * Chat accounts linked to this one: which platforms, a code to enter in a bot, or a code from a bot
 * entered here (the policy and the merge are core's: chat/link-codes). Codes are shown only to
 * their owner; using one is audited and its owner told in their chats.
 */
export default async function accountLinkRoutes(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const { db, webLinking } = opts.core;
  app.addHook('preHandler', app.requireAccount());

  app.get(
    '/account/links',
    { schema: { response: { 200: linksResponse }, summary: 'Chat accounts linked to this account' } },
    async (request) => {
      const rows = await db.sql<{ platform: string; display_name: string | null; created_at: Date }[]>`
      SELECT platform, display_name, created_at FROM identities
      WHERE account_id = ${authOf(request).accountId} ORDER BY created_at`;
      return {
        object: 'list',
        data: rows.map((r) => ({
          platform: r.platform,
          display_name: r.display_name,
          linked_at: r.created_at.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/account/link-codes',
    {
      schema: {
        response: { 201: linkCodeResponse },
        summary: 'A one-time code to enter in a bot (/link CODE), valid 15 minutes',
      },
    },
    async (request, reply) => {
      const accountId = authOf(request).accountId;
      const issued = await webLinking.issue(accountId);
      await recordAudit(db.sql, {
        actorType: 'account',
        actorId: accountId,
        action: 'account.link_code',
        targetType: 'account',
        targetId: accountId,
        ip: request.ip,
      });
      return reply.status(201).send({ code: issued.code, expires_at: issued.expiresAt.toISOString() });
    },
  );

  app.post(
    '/account/links',
    {
      schema: {
        response: { 200: linkedResponse },
        summary: 'Link the chat account whose bot gave this code',
        body: redeemLinkBody,
      },
    },
    async (request) => {
      const body = validate(redeemLinkBody, request.body);
      const accountId = authOf(request).accountId;
      let result: Awaited<ReturnType<typeof webLinking.redeem>>;
      try {
        result = await webLinking.redeem(body.code, accountId);
      } catch (error) {
        // The code is the field to fix: its errors are shown next to it, and their reason is the
        // error's code (`link_code_invalid`, `both_have_email`, ...) for clients to word in their language.
        if (isCoreError(error) && (error.code === 'invalid_request' || error.code === 'conflict')) {
          const reason = error.details.reason;
          throw new CoreError(error.code, error.message, {
            details: {
              ...error.details,
              param: 'code',
              ...(typeof reason === 'string' ? { wire_code: reason } : {}),
            },
          });
        }
        throw error;
      }
      await recordAudit(db.sql, {
        actorType: 'account',
        actorId: accountId,
        action: 'account.link',
        targetType: 'account',
        targetId: result.accountId,
        after: {
          merged_account_id: result.mergedAccountId ?? null,
          moved_mrp: result.movedMrp,
        },
        ip: request.ip,
      });
      return {
        linked: true,
        account_id: result.accountId,
        moved_idr: mrpToIdrNumber(result.movedMrp),
      };
    },
  );
}
