import { z } from 'zod';
import { API_KEY_SCOPES, KEY_LIMIT_PERIODS } from '../../core/accounts/index.js';
import { KEY_MODEL_KINDS } from '../../core/ledger/index.js';
import { accountResponse, idr, iso, list } from './responses.js';

/**
 * What the signed-in account's own routes answer (keys, ledger, usage, requests, top-ups, sessions,
 * sign-in). Strict objects: a field the server adds without documenting it fails the tests.
 */

export const apiKeyResponse = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  expires_at: iso.nullable(),
  last_used_at: iso.nullable(),
  revoked_at: iso.nullable(),
  created_at: iso,
  spent_idr: idr,
  held_idr: idr.describe('spent by work still running'),
  budget_remaining_idr: idr.nullable().describe('the tightest limit left; null: no spend limit'),
  total_limit: z.strictObject({ limit_idr: idr, spent_idr: idr, remaining_idr: idr }).nullable(),
  period_limit: z
    .strictObject({
      period: z.enum(KEY_LIMIT_PERIODS),
      limit_idr: idr,
      spent_idr: idr,
      remaining_idr: idr,
      resets_at: iso.nullable(),
    })
    .nullable(),
  models: z.array(z.string()).nullable(),
  kinds: z.array(z.enum(KEY_MODEL_KINDS)).nullable(),
  requests_per_minute: z.number().int().nullable(),
  tokens_per_minute: z.number().int().nullable(),
});

export const apiKeysResponse = list(apiKeyResponse);

export const createdKeyResponse = apiKeyResponse.extend({
  secret: z.string().describe('the whole key, shown this once'),
});

export const revokedResponse = z.strictObject({ id: z.string(), revoked: z.literal(true) });

export const ledgerEntry = z.strictObject({
  id: z.string().describe('entry id (a decimal integer)'),
  amount_idr: idr.describe('positive: credit, negative: debit'),
  kind: z.string(),
  reference: z.string().nullable(),
  reason: z.string().nullable(),
  created_at: iso,
});

export const ledgerResponse = z.strictObject({
  object: z.literal('list'),
  data: z.array(ledgerEntry),
  has_more: z.boolean(),
  next_before: z.string().nullable().describe('pass as `before` for the next page'),
});

/** What every view of a request (a job) says about it. */
export const jobFacts = {
  id: z.uuid(),
  channel: z.string().describe('api, telegram, slack or discord'),
  kind: z.string().describe('chat, image, video or embedding'),
  model: z.string(),
  status: z.string(),
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  units: z.number().nullable().describe('images made, or seconds of video'),
};

const usageRow = z.strictObject({
  ...jobFacts,
  created_at: iso,
  api_key_id: z.uuid().nullable(),
  cached_tokens: z.number().int().nullable(),
  cost_idr: z.string().describe('exact rupiah as decimal text ("0.237")'),
});

export const usageResponse = z.strictObject({
  object: z.literal('usage'),
  from: iso,
  to: iso,
  total_cost_idr: z.string().describe('exact rupiah as decimal text'),
  truncated: z.boolean().describe('more rows than one report holds: narrow the range'),
  data: z.array(usageRow),
});

export const usageCsv = z
  .string()
  .describe('One row per request: the columns of the JSON rows, cost as exact decimal rupiah');

const requestSummary = z.strictObject({
  ...jobFacts,
  created_at: iso,
  cost_idr: idr,
  latency_ms: z.number().int().nullable(),
  ttfb_ms: z.number().int().nullable(),
  error_code: z.string().nullable(),
});

export const requestsResponse = z.strictObject({
  object: z.literal('list'),
  data: z.array(requestSummary),
  has_more: z.boolean(),
});

export const requestDetailResponse = requestSummary.extend({
  cached_tokens: z.number().int().nullable(),
  provider_attempts: z.number().int(),
  content_retained: z.boolean(),
  prompt: z.unknown().describe('the request as sent, while retained; null once purged or never kept'),
  output: z.unknown().describe('the answer, while retained; null once purged or never kept'),
});

export const topupResponse = z.strictObject({
  id: z.uuid(),
  object: z.literal('topup'),
  status: z.enum(['pending', 'paid', 'expired', 'cancelled']),
  amount_idr: idr,
  unique_suffix_idr: z.number().int(),
  transfer_amount_idr: idr.describe('transfer exactly this amount'),
  code: z.string().describe('put this in the transfer note'),
  code_required: z.boolean().describe('true when only the code (not the amount) identifies the transfer'),
  bank_accounts: z.array(z.strictObject({ bank: z.string(), number: z.string(), holder: z.string() })),
  channel: z.string(),
  expires_at: iso,
  paid_at: iso.nullable(),
  created_at: iso,
});

export const topupsResponse = list(topupResponse);

export const redemptionResponse = z.strictObject({
  object: z.literal('voucher_redemption'),
  code: z.string(),
  amount_idr: idr,
  balance_idr: idr,
});

export const sessionResponse = z.strictObject({
  id: z.uuid(),
  current: z.boolean(),
  user_agent: z.string().nullable(),
  ip: z.string().nullable(),
  created_at: iso,
  last_seen_at: iso,
  expires_at: iso,
});

export const sessionsResponse = list(sessionResponse);

export const currentSessionResponse = z.strictObject({
  session_id: z.uuid(),
  csrf_token: z.string().nullable().describe('send as `x-csrf-token` on writes (cookie sessions)'),
  account: accountResponse,
});

export const signupResponse = z.strictObject({ account: accountResponse, verification: z.literal('sent') });

export const loginResponse = z.union([
  z
    .strictObject({
      token: z.string(),
      token_type: z.literal('Bearer'),
      expires_at: iso,
      account: accountResponse,
    })
    .describe('programs: a bearer session token'),
  z
    .strictObject({ expires_at: iso, account: accountResponse, csrf_token: z.string() })
    .describe('the web app (`x-aiport-client: web`): the session is an HttpOnly cookie'),
]);

export const verifiedResponse = z.strictObject({ verified: z.literal(true), account: accountResponse });

export const signedOutResponse = z.strictObject({ signed_out: z.literal(true) });
export const resetSentResponse = z.strictObject({ sent: z.literal(true) });
export const resetDoneResponse = z.strictObject({ reset: z.literal(true) });
export const passwordChangedResponse = z.strictObject({
  changed: z.literal(true),
  revoked_sessions: z.number().int(),
});

export const deletedAccountResponse = z.strictObject({
  deleted: z.literal(true),
  outcome: z.enum(['erased', 'deferred_legal_hold']),
});
