import type { ChatProvider } from '../contract.js';
import { createOpenAICompatibleChatProvider } from '../openai-compatible/chat-provider.js';
import type { OpenAICompatibleVendor } from '../openai-compatible/vendor.js';
import type { ProviderOptions } from '../shared/options.js';
import { count } from '../shared/wire.js';

/**
 * DeepSeek, OpenAI-compatible. Base URL convention: `https://api.deepseek.com`. It reports cache hits
 * as `prompt_cache_hit_tokens` (hit + miss = prompt), puts usage on the finish chunk, and sends
 * `: keep-alive` comments (streams) or blank lines (JSON bodies) while queued; the shared SSE parser
 * and JSON.parse both skip those.
 */
export const DEEPSEEK_VENDOR: OpenAICompatibleVendor = {
  id: 'deepseek',
  chatPath: '/chat/completions',
  requiresApiKey: true,
  maxTokensField: 'max_tokens',
  supportsJsonSchema: false,
  requiresDoneSentinel: true,
  cachedInputTokens: (usage) => count(usage.prompt_cache_hit_tokens),
  // The server ran out of capacity mid-answer: the reply is truncated, not finished.
  extraFinishReasons: { insufficient_system_resource: 'other' },
};

export function createDeepSeekChatProvider(options: ProviderOptions): ChatProvider {
  return createOpenAICompatibleChatProvider(DEEPSEEK_VENDOR, options);
}
