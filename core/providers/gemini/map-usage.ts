import type { FinishReason, Usage } from '../contract.js';
import { count, isObject } from '../shared/wire.js';

/**
 * `usageMetadata` to our usage. `promptTokenCount` already includes cached content; tool-use prompt
 * tokens are input too. Thinking tokens sit outside `candidatesTokenCount` (but inside the total),
 * so output = candidates + thoughts, reasoning = thoughts. Undefined when there is no usageMetadata.
 */
export function mapUsageMetadata(raw: unknown): Usage | undefined {
  if (!isObject(raw)) return undefined;
  const thoughts = count(raw.thoughtsTokenCount) ?? 0;
  return {
    inputTokens: (count(raw.promptTokenCount) ?? 0) + (count(raw.toolUsePromptTokenCount) ?? 0),
    outputTokens: (count(raw.candidatesTokenCount) ?? 0) + thoughts,
    cachedInputTokens: count(raw.cachedContentTokenCount) ?? 0,
    reasoningTokens: thoughts,
  };
}

/** Finish reasons that mean the output was withheld by a filter: the refusal is not billed. */
const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

export function mapFinishReason(raw: string | undefined, sawToolCall: boolean): FinishReason {
  if (raw === undefined) return 'other';
  if (FILTERED.has(raw)) return 'content_filter';
  if (raw === 'MAX_TOKENS') return 'length';
  if (raw === 'STOP') return sawToolCall ? 'tool_calls' : 'stop';
  return 'other';
}
