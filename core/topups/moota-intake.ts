import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import {
  type MootaRestClient,
  parseMootaWebhookBody,
  type RejectedMutation,
  verifyMootaSignature,
} from './moota/index.js';
import type { IngestResult, MutationIntake } from './mutations.js';

export interface MootaIngestResult extends IngestResult {
  /** Items that could not be read (bad amount, missing id...), with the reason; nothing was stored for them. */
  rejected: RejectedMutation[];
}

/**
 * A webhook delivery: verified on the exact bytes received (fail closed: no secret, no entry), then
 * parsed and fed through the same intake as polling.
 */
export async function acceptMootaWebhook(
  intake: MutationIntake,
  secret: string | undefined,
  rawBody: Buffer | undefined,
  signatureHeader: string | undefined,
): Promise<MootaIngestResult> {
  if (!secret) {
    throw new CoreError(
      'upstream_unavailable',
      'The Moota webhook is not configured on this server (no webhook secret); nothing was stored',
      { retryable: true },
    );
  }
  if (!verifyMootaSignature(rawBody ?? Buffer.alloc(0), signatureHeader, secret)) {
    throw new CoreError('unauthorized', 'Invalid or missing Moota Signature header; nothing was stored');
  }
  const { mutations, rejected } = parseMootaWebhookBody(rawBody ?? Buffer.alloc(0));
  return { ...(await intake.ingest(mutations)), rejected };
}

const BANK_TIME_OFFSET_MS = 7 * 3_600_000;

/** `YYYY-MM-DD` in Western Indonesia Time, the calendar Moota's dates are written in. */
export function bankDate(instant: Date): string {
  return new Date(instant.getTime() + BANK_TIME_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The polling fallback: reads the last days of credit mutations from Moota's REST API and feeds them
 * through the webhook's path, so a missed delivery is caught; already-known mutations change nothing.
 */
export async function pollMootaMutations(
  client: MootaRestClient,
  intake: MutationIntake,
  clock: Clock,
  options: { lookbackDays?: number } = {},
): Promise<MootaIngestResult & { truncated: boolean }> {
  const now = clock.now();
  const lookbackDays = options.lookbackDays ?? 2;
  const list = await client.listMutations({
    type: 'CR',
    startDate: bankDate(new Date(now.getTime() - lookbackDays * 86_400_000)),
    endDate: bankDate(now),
  });
  // Oldest first, so two transfers racing for one amount are decided in the order they happened.
  const ordered = [...list.mutations].reverse();
  return { ...(await intake.ingest(ordered)), rejected: list.rejected, truncated: list.truncated };
}
