import type { ChatProvider, ChatRequest } from '../contract.js';
import { createOpenAICompatibleChatProvider } from '../openai-compatible/chat-provider.js';
import type { OpenAICompatibleVendor } from '../openai-compatible/vendor.js';
import type { ProviderOptions } from '../shared/options.js';
import { count, type JsonObject } from '../shared/wire.js';

/**
 * DeepSeek, OpenAI-compatible. Base URL convention: `https://api.deepseek.com`. It reports cache hits
 * as `prompt_cache_hit_tokens` (hit + miss = prompt), puts usage on the finish chunk, and sends
 * `: keep-alive` comments (streams) or blank lines (JSON bodies) while queued; the shared SSE parser
 * and JSON.parse both skip those.
 *
 * Thinking is chosen per request, never left to the server default: on (DeepSeek's own default), with
 * `reasoning_content` read from answers and sent back on every assistant turn that has it, since
 * thinking mode answers 400 to a tool-call turn whose reasoning is missing. A history holding a tool
 * call without its reasoning (another model's turn, or a client that dropped it) is sent with
 * thinking off, the one mode in which DeepSeek accepts it. Reasoning tokens count against
 * `max_tokens`, so the catalog's output caps leave room for them. `json_schema` is refused: DeepSeek
 * offers only `json_object`.
 */
export const DEEPSEEK_VENDOR: OpenAICompatibleVendor = {
  id: 'deepseek',
  chatPath: '/chat/completions',
  requiresApiKey: true,
  maxTokensField: 'max_tokens',
  supportsJsonSchema: false,
  requiresDoneSentinel: true,
  sendsReasoningBack: true,
  // `reasoning_effort: none` is how OpenAI-style clients turn thinking off: DeepSeek's own switch.
  extraBody: (request) => ({
    thinking: { type: deepSeekThinking(request) },
    ...(request.reasoningEffort === 'none' ? { reasoning_effort: undefined } : {}),
  }),
  cachedInputTokens: (usage: JsonObject) => count(usage.prompt_cache_hit_tokens),
  // The server ran out of capacity mid-answer: the reply is truncated, not finished.
  extraFinishReasons: { insufficient_system_resource: 'other' },
};

/** Thinking on, unless asked off or the history has a tool-call turn without its reasoning (see above). */
export function deepSeekThinking(request: ChatRequest): 'enabled' | 'disabled' {
  if (request.reasoningEffort === 'none') return 'disabled';
  const unreasoned = request.messages.some(
    (message) => message.role === 'assistant' && (message.toolCalls?.length ?? 0) > 0 && !message.reasoning,
  );
  return unreasoned ? 'disabled' : 'enabled';
}

export function createDeepSeekChatProvider(options: ProviderOptions): ChatProvider {
  return createOpenAICompatibleChatProvider(DEEPSEEK_VENDOR, options);
}
