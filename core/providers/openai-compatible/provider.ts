import type { ChatProvider } from '../contract.js';
import type { ProviderOptions } from '../shared/options.js';
import { createOpenAICompatibleChatProvider } from './chat-provider.js';
import type { OpenAICompatibleVendor } from './vendor.js';

/**
 * A self-hosted OpenAI-compatible server (vLLM, Ollama, llama.cpp). Base URL convention: the server's
 * `/v1` root, e.g. `http://127.0.0.1:8000/v1`. The key is optional, and a stream that ends after its
 * finish reason without `[DONE]` is accepted, since such servers differ in that detail.
 */
export const SELF_HOSTED_VENDOR: OpenAICompatibleVendor = {
  id: 'openai-compatible',
  chatPath: '/chat/completions',
  requiresApiKey: false,
  maxTokensField: 'max_tokens',
  supportsJsonSchema: true,
  requiresDoneSentinel: false,
};

export function createSelfHostedChatProvider(options: ProviderOptions): ChatProvider {
  return createOpenAICompatibleChatProvider(SELF_HOSTED_VENDOR, options);
}
