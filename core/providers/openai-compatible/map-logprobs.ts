import type { ResponseInfo, TokenAlternative, TokenLogprob } from '../contract.js';
import { isObject, str } from '../shared/wire.js';

/**
 * Reads a choice's `logprobs.content` (OpenAI's `ChatCompletionTokenLogprob` list: `token`,
 * `logprob`, `bytes`, `top_logprobs`). Undefined when the choice carries none (`logprobs: null`, as
 * when they were not asked for); entries without a token or a numeric logprob are skipped.
 */
export function mapLogprobs(raw: unknown): TokenLogprob[] | undefined {
  if (!isObject(raw) || !Array.isArray(raw.content)) return undefined;
  const out: TokenLogprob[] = [];
  for (const entry of raw.content) {
    const token = alternative(entry);
    if (!token || !isObject(entry)) continue;
    const top = Array.isArray(entry.top_logprobs) ? entry.top_logprobs : [];
    out.push({ ...token, topLogprobs: top.map(alternative).filter((t) => t !== undefined) });
  }
  return out;
}

function alternative(raw: unknown): TokenAlternative | undefined {
  if (!isObject(raw)) return undefined;
  const token = str(raw.token);
  if (token === undefined || typeof raw.logprob !== 'number') return undefined;
  const bytes = Array.isArray(raw.bytes) && raw.bytes.every((b) => typeof b === 'number') ? raw.bytes : null;
  return { token, logprob: raw.logprob, bytes };
}

/** `system_fingerprint` and `service_tier` of a completion or chunk, when it states them. */
export function mapResponseInfo(body: Record<string, unknown>): ResponseInfo | undefined {
  const systemFingerprint = str(body.system_fingerprint);
  const serviceTier = str(body.service_tier);
  if (systemFingerprint === undefined && serviceTier === undefined) return undefined;
  return {
    ...(systemFingerprint === undefined ? {} : { systemFingerprint }),
    ...(serviceTier === undefined ? {} : { serviceTier }),
  };
}
