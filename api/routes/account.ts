import type { FastifyInstance } from 'fastify';
import type { KeySettingsInput } from '../../core/accounts/index.js';
import { recordAudit } from '../../core/audit/index.js';
import type { Core } from '../../core/core.js';
import { idrToMrp, mrpToIdrNumber } from '../../core/ledger/index.js';
import { authOf } from '../plugins/auth.js';
import { createKeyBody, keyParams, ledgerQuery, updateKeyBody } from '../schemas/account.js';
import { accountResponse } from '../schemas/responses.js';
import {
  apiKeyResponse,
  apiKeysResponse,
  createdKeyResponse,
  ledgerResponse,
  revokedResponse,
} from '../schemas/responses-account.js';
import { validate } from '../schemas/validate.js';
import { accountView, apiKeyView } from '../views.js';

/** The signed-in person's own account: profile and balance, API keys, ledger. */
export default async function accountRoutes(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const { accounts, apiKeys, ledger, db } = opts.core;
  app.addHook('preHandler', app.requireAccount());

  app.get(
    '/account',
    { schema: { response: { 200: accountResponse }, summary: 'Profile and balance' } },
    async (request) => accountView(await accounts.get(authOf(request).accountId)),
  );

  app.get(
    '/account/keys',
    { schema: { response: { 200: apiKeysResponse }, summary: 'List API keys' } },
    async (request) => ({
      object: 'list',
      data: (await apiKeys.list(authOf(request).accountId)).map(apiKeyView),
    }),
  );

  app.post(
    '/account/keys',
    {
      schema: {
        response: { 201: createdKeyResponse },
        summary: 'Create an API key (the secret is shown once)',
        body: createKeyBody,
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const body = validate(createKeyBody, request.body);
      const { key, secret } = await apiKeys.create(
        auth.accountId,
        {
          name: body.name,
          ...(body.scopes ? { scopes: body.scopes } : {}),
          expiresAt: body.expires_at ? new Date(body.expires_at) : null,
          ...keySettingsOf(body),
        },
        auth.scopes ? { scopes: auth.scopes } : undefined,
      );
      await recordAudit(db.sql, {
        actorType: 'account',
        actorId: auth.accountId,
        action: 'api_key.create',
        targetType: 'api_key',
        targetId: key.id,
        after: apiKeyView(key),
        ip: request.ip,
      });
      return reply.status(201).send({ ...apiKeyView(key), secret });
    },
  );

  app.patch(
    '/account/keys/:id',
    {
      schema: {
        response: { 200: apiKeyResponse },
        summary: "Change an API key's name, spend limits, allowed models and rate limits",
        params: keyParams,
        body: updateKeyBody,
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { id } = validate(keyParams, request.params, 'params');
      const body = validate(updateKeyBody, request.body);
      const { before, after } = await apiKeys.update(auth.accountId, id, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...keySettingsOf(body),
      });
      await recordAudit(db.sql, {
        actorType: 'account',
        actorId: auth.accountId,
        action: 'api_key.update',
        targetType: 'api_key',
        targetId: id,
        before: apiKeyView(before),
        after: apiKeyView(after),
        ip: request.ip,
      });
      return apiKeyView(after);
    },
  );

  app.delete(
    '/account/keys/:id',
    { schema: { response: { 200: revokedResponse }, summary: 'Revoke an API key', params: keyParams } },
    async (request) => {
      const auth = authOf(request);
      const { id } = validate(keyParams, request.params, 'params');
      const before = await apiKeys.revoke(auth.accountId, id);
      await recordAudit(db.sql, {
        actorType: 'account',
        actorId: auth.accountId,
        action: 'api_key.revoke',
        targetType: 'api_key',
        targetId: id,
        before: apiKeyView(before),
        ip: request.ip,
      });
      return { id, revoked: true };
    },
  );

  app.get(
    '/account/ledger',
    {
      schema: {
        response: { 200: ledgerResponse },
        summary: 'Balance changes, newest first',
        querystring: ledgerQuery,
      },
    },
    async (request) => {
      const auth = authOf(request);
      const query = validate(ledgerQuery, request.query, 'query');
      const rows = await ledger.entries(auth.accountId, {
        limit: query.limit,
        ...(query.before ? { beforeId: BigInt(query.before) } : {}),
      });
      const last = rows.at(-1);
      return {
        object: 'list',
        data: rows.map((r) => ({
          id: r.id.toString(),
          amount_idr: mrpToIdrNumber(r.amount_mrp),
          kind: r.kind,
          reference: r.reference,
          reason: r.reason,
          created_at: r.created_at.toISOString(),
        })),
        has_more: rows.length === query.limit,
        next_before: rows.length === query.limit && last ? last.id.toString() : null,
      };
    },
  );
}

/** The key settings of a POST or PATCH body, rupiah converted exactly (absent stays absent). */
function keySettingsOf(body: {
  total_limit_idr?: number | null | undefined;
  period_limit?: { period: 'day' | 'week' | 'month'; limit_idr: number } | null | undefined;
  models?: string[] | null | undefined;
  kinds?: KeySettingsInput['kinds'] | undefined;
  requests_per_minute?: number | null | undefined;
  tokens_per_minute?: number | null | undefined;
}): KeySettingsInput {
  const out: KeySettingsInput = {};
  if (body.total_limit_idr !== undefined)
    out.totalLimitMrp = body.total_limit_idr === null ? null : idrToMrp(body.total_limit_idr);
  if (body.period_limit !== undefined)
    out.periodLimit =
      body.period_limit === null
        ? null
        : { period: body.period_limit.period, limitMrp: idrToMrp(body.period_limit.limit_idr) };
  if (body.models !== undefined) out.models = body.models;
  if (body.kinds !== undefined) out.kinds = body.kinds;
  if (body.requests_per_minute !== undefined) out.requestsPerMinute = body.requests_per_minute;
  if (body.tokens_per_minute !== undefined) out.tokensPerMinute = body.tokens_per_minute;
  return out;
}
