import type { FinishReason, Usage } from '../contract.js';
import { count, isObject } from '../shared/wire.js';
import type { OpenAICompatibleVendor } from './vendor.js';

/**
 * Maps a `CompletionUsage` object. `prompt_tokens` already includes cached tokens and
 * `completion_tokens` already includes reasoning tokens, which is our convention too.
 * Returns undefined when there is no usage object (absent or null), so "absent" stays distinct
 * from an explicit zero.
 */
export function mapUsage(raw: unknown, vendor: OpenAICompatibleVendor): Usage | undefined {
  if (!isObject(raw)) return undefined;
  const promptDetails = isObject(raw.prompt_tokens_details) ? raw.prompt_tokens_details : {};
  const completionDetails = isObject(raw.completion_tokens_details) ? raw.completion_tokens_details : {};
  const cached = vendor.cachedInputTokens?.(raw) ?? count(promptDetails.cached_tokens) ?? 0;
  return {
    inputTokens: count(raw.prompt_tokens) ?? 0,
    outputTokens: count(raw.completion_tokens) ?? 0,
    cachedInputTokens: cached,
    reasoningTokens: count(completionDetails.reasoning_tokens) ?? 0,
  };
}

const OPENAI_FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

export function mapFinishReason(raw: string | undefined, vendor: OpenAICompatibleVendor): FinishReason {
  if (raw === undefined) return 'other';
  return vendor.extraFinishReasons?.[raw] ?? OPENAI_FINISH_REASONS[raw] ?? 'other';
}
