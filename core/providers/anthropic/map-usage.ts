import type { FinishReason, Usage } from '../contract.js';
import { count, isObject, type JsonObject, str } from '../shared/wire.js';

/**
 * Anthropic usage counts prompt tokens in three disjoint fields; ours is their sum
 * (input + cache_creation + cache_read), with cache_read as the cached part and cache_creation as
 * the cache writes (split by lifetime when `cache_creation` breaks it down; else all 5-minute). Thinking tokens are
 * inside `output_tokens` and not broken out on the wire we rely on, so `reasoningTokens` is 0.
 */
export interface AnthropicUsageState {
  input?: number;
  cacheCreation?: number;
  /** The 1-hour part of `cacheCreation` (`cache_creation.ephemeral_1h_input_tokens`). */
  cacheCreation1h?: number;
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
    cacheCreation1h:
      (isObject(usage.cache_creation) ? count(usage.cache_creation.ephemeral_1h_input_tokens) : undefined) ??
      state.cacheCreation1h,
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
  const created = state.cacheCreation ?? 0;
  const created1h = Math.min(state.cacheCreation1h ?? 0, created);
  return {
    inputTokens: (state.input ?? 0) + created + cacheRead,
    outputTokens: state.output ?? 0,
    cachedInputTokens: cacheRead,
    reasoningTokens: 0,
    ...(created - created1h > 0 ? { cacheWriteInputTokens: created - created1h } : {}),
    ...(created1h > 0 ? { cacheWrite1hInputTokens: created1h } : {}),
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

/** `usage.service_tier`: the tier that served the request (`standard`, `priority`, `batch`), when stated. */
export function serviceTierOf(raw: unknown): string | undefined {
  return isObject(raw) ? str(raw.service_tier) : undefined;
}
