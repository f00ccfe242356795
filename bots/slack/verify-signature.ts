import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: requests whose timestamp is further than this from now, either way, are refused. */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60;

export interface SlackSignedRequest {
  /** The exact bytes received; never a re-serialized body. */
  rawBody: Buffer | string;
  /** `X-Slack-Request-Timestamp`. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`, `v0=<hex>`. */
  signature: string | undefined;
}

export type SlackVerification =
  | { ok: true }
  | { ok: false; reason: 'secret_unset' | 'missing_headers' | 'stale_timestamp' | 'bad_signature' };

/**
 * Verifies a Slack v0 request signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with
 * the signing secret, compared in constant time. Fails closed when the secret is unset or empty.
 * `nowSeconds` is injectable so tests can replay old or future timestamps.
 */
export function verifySlackSignature(
  signingSecret: string | undefined,
  request: SlackSignedRequest,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): SlackVerification {
  if (!signingSecret) return { ok: false, reason: 'secret_unset' };
  const { timestamp, signature } = request;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: 'missing_headers' };
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(request.rawBody);
  const expected = Buffer.from(`v0=${hmac.digest('hex')}`);
  const received = Buffer.from(signature);
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  return { ok: true };
}
