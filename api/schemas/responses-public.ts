import { z } from 'zod';
import { idr } from './responses.js';

/** What the public, health and webhook routes answer. */

export const livenessResponse = z.strictObject({ status: z.literal('ok') });

export const readinessResponse = z.strictObject({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.boolean()).describe('each dependency, reachable or not'),
});

export const htmlPage = z.string().describe('An HTML page for people');

export const fileBytes = z.string().describe('The file bytes');

export const mootaWebhookResponse = z.strictObject({
  received: z.number().int(),
  stored: z.number().int(),
  mutations: z.array(
    z.union([
      z.strictObject({
        mutation_id: z.string(),
        outcome: z.literal('matched'),
        matched_by: z.enum(['code', 'amount']),
        amount_idr: idr,
      }),
      z.strictObject({
        mutation_id: z.string(),
        outcome: z.literal('ignored'),
        reason: z.enum(['debit', 'foreign_account', 'zero_amount']),
      }),
      z.strictObject({ mutation_id: z.string(), outcome: z.string() }),
    ]),
  ),
  rejected: z.array(
    z.strictObject({ index: z.number().int(), mutation_id: z.string().nullable(), reason: z.string() }),
  ),
});

export const runningHubWebhookResponse = z.strictObject({ received: z.literal(true), advanced: z.boolean() });
