import type { FinishReason, Usage } from '../contract.js';
import { count, isObject, type JsonObject } from '../shared/wire.js';

/**
 * Anthropic usage counts prompt tokens in three disjoint fields; ours is their sum
 * (input + cache_creation + cache_read), with cache_read as the cached part. Thinking tokens are
 * inside `output_tokens` and not broken out on the wire we rely on, so `reasoningTokens` is 0.
 */
export interface AnthropicUsageState {
  input?: number;
  cacheCreation?: number;
  cacheRead?: number;
  output?: number;
}

/**
 * Folds one usage object into the state. Stream usage is cumulative: a later value replaces an
 * earlier one, and a null or missing field (as `message_delta` often sends for input) keeps it.
 */
export function mergeUsage(state: AnthropicUsageState, raw: unknown): AnthropicUsageState {
  if (!isObject(raw)) return state;
  const usage: JsonObject = raw;
  return {
    input: count(usage.input_tokens) ?? state.input,
    cacheCreation: count(usage.cache_creation_input_tokens) ?? state.cacheCreation,
    cacheRead: count(usage.cache_read_input_tokens) ?? state.cacheRead,
    output: count(usage.output_tokens) ?? state.output,
  };
}

export function toUsage(state: AnthropicUsageState): Usage | undefined {
  if (
    state.input === undefined &&
    state.output === undefined &&
    state.cacheCreation === undefined &&
    state.cacheRead === undefined
  ) {
    return undefined;
  }
  const cacheRead = state.cacheRead ?? 0;
  return {
    inputTokens: (state.input ?? 0) + (state.cacheCreation ?? 0) + cacheRead,
    outputTokens: state.output ?? 0,
    cachedInputTokens: cacheRead,
    reasoningTokens: 0,
  };
}

const STOP_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export function mapStopReason(raw: string | undefined): FinishReason {
  return raw === undefined ? 'other' : (STOP_REASONS[raw] ?? 'other');
}
