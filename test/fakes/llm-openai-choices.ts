import { countWords, type EchoReply, splitDeltas } from './llm-echo.js';

/**
 * The chat-completions fake's `n`, `logprobs` / `top_logprobs` and `service_tier`, per OpenAI's
 * chat-completions reference:
 * - `n` (1-128) answers, each a `choices[]` entry with its `index`; answer i > 0 is the echo followed
 *   by ` (i+1)` (the same tool call when one is forced), and `completion_tokens` counts every answer
 *   while `prompt_tokens` counts the prompt once;
 * - `logprobs: true` puts `{content: [{token, logprob, bytes, top_logprobs}], refusal: null}` on
 *   each choice (each stream delta is one token; `top_logprobs` lists that many alternatives, the
 *   chosen token first); `top_logprobs` (0-20) without `logprobs: true` is a 400;
 * - `service_tier` (`auto`, `default`, `flex`, `scale`, `priority`; others are a 400) is answered
 *   with the tier that served the request: `default` for `auto` or none, else the one asked for.
 */

export const SYSTEM_FINGERPRINT = 'fp_fake';
const SERVICE_TIERS = ['auto', 'default', 'flex', 'scale', 'priority'];

export interface ChoiceOptions {
  n: number;
  /** Undefined: no logprobs; else the number of alternatives per token. */
  topLogprobs: number | undefined;
  serviceTier: string;
}

/** A 400 in OpenAI's words for the first bad parameter, or the options the request sets. */
export function choiceOptions(
  body: Record<string, unknown>,
): { error: { message: string; param: string } } | ChoiceOptions {
  const n = body.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 128) {
    return { error: { message: `Invalid 'n': integer above 128 or below 1.`, param: 'n' } };
  }
  const top = body.top_logprobs;
  if (top !== undefined && top !== null) {
    if (typeof top !== 'number' || !Number.isInteger(top) || top < 0 || top > 20) {
      return { error: { message: `Invalid 'top_logprobs': integer outside 0-20.`, param: 'top_logprobs' } };
    }
    if (body.logprobs !== true) {
      return {
        error: { message: 'top_logprobs can only be set if logprobs is set to true.', param: 'top_logprobs' },
      };
    }
  }
  const tier = body.service_tier ?? 'auto';
  if (typeof tier !== 'string' || !SERVICE_TIERS.includes(tier)) {
    return { error: { message: `Invalid value for 'service_tier'.`, param: 'service_tier' } };
  }
  return {
    n,
    topLogprobs: body.logprobs === true ? (typeof top === 'number' ? top : 0) : undefined,
    serviceTier: tier === 'auto' ? 'default' : tier,
  };
}

/** What a refused answer says (OpenAI's `message.refusal`, streamed as `delta.refusal`). */
export const REFUSAL_TEXT = "I'm sorry, I can't help with that.";

/**
 * Answer `index` (from 0) of a request for several; `refused` lists the answers the model refuses
 * (their text is the refusal, sent as `refusal` instead of `content`).
 */
export function choiceReply(reply: EchoReply, index: number, refused: readonly number[] = []): EchoReply {
  if (refused.includes(index)) {
    const { toolCall: _, ...rest } = reply;
    return {
      ...rest,
      text: REFUSAL_TEXT,
      deltas: splitDeltas(REFUSAL_TEXT),
      outputTokens: countWords(REFUSAL_TEXT),
    };
  }
  if (index === 0 || reply.toolCall) return reply;
  const text = `${reply.text} (${index + 1})`;
  return { ...reply, text, deltas: splitDeltas(text), outputTokens: countWords(text) };
}

/** One token's entry of `logprobs.content`; deterministic so tests can predict it. */
export function tokenLogprob(token: string, position: number, top: number) {
  const logprob = -0.01 * ((position % 7) + 1);
  const entry = (text: string, value: number) => ({
    token: text,
    logprob: value,
    bytes: [...Buffer.from(text, 'utf8')],
  });
  const alternatives = Array.from({ length: top }, (_, j) =>
    j === 0 ? entry(token, logprob) : entry(`${token.trim()}~${j}`, logprob - j),
  );
  return { ...entry(token, logprob), top_logprobs: alternatives };
}

/** A choice's `logprobs` for these tokens, or null when they were not asked for. */
export function choiceLogprobs(tokens: string[], topLogprobs: number | undefined, firstPosition = 0) {
  if (topLogprobs === undefined) return null;
  return {
    content: tokens.map((token, k) => tokenLogprob(token, firstPosition + k, topLogprobs)),
    refusal: null,
  };
}
