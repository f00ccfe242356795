import type { ChatProvider } from '../contract.js';
import { createOpenAICompatibleChatProvider } from '../openai-compatible/chat-provider.js';
import type { OpenAICompatibleVendor } from '../openai-compatible/vendor.js';
import type { ProviderOptions } from '../shared/options.js';

/** OpenAI chat completions. Base URL convention: `https://api.openai.com/v1`. */
export const OPENAI_VENDOR: OpenAICompatibleVendor = {
  id: 'openai',
  chatPath: '/chat/completions',
  requiresApiKey: true,
  maxTokensField: 'max_completion_tokens',
  supportsJsonSchema: true,
  requiresDoneSentinel: true,
  // An exhausted quota arrives as 429 but only a human topping up fixes it.
  nonRetryableErrorTypes: ['insufficient_quota'],
};

export function createOpenAIChatProvider(options: ProviderOptions): ChatProvider {
  return createOpenAICompatibleChatProvider(OPENAI_VENDOR, options);
}
