/**
 * The providers module's public surface: the chat contract, the errors, the shared HTTP client and
 * SSE parser, each chat provider's factory, and `createChatProviders` for the composition root.
 */
import { createAnthropicChatProvider } from './anthropic/provider.js';
import type { ChatProvider, ProviderId } from './contract.js';
import { createDeepSeekChatProvider } from './deepseek/provider.js';
import { createGeminiChatProvider } from './gemini/provider.js';
import { createOpenAIChatProvider } from './openai/provider.js';
import { createSelfHostedChatProvider } from './openai-compatible/provider.js';
import type { HttpClient } from './shared/http.js';

export { ANTHROPIC_DEFAULT_MAX_TOKENS } from './anthropic/convert-request.js';
export { ANTHROPIC_VERSION, createAnthropicChatProvider } from './anthropic/provider.js';
export type {
  CacheControl,
  ChatMessage,
  ChatProvider,
  ChatRequest,
  ChatRequestOptions,
  ChatResult,
  ChoiceResult,
  FinishReason,
  ImageDetail,
  ImagePart,
  Part,
  ProviderId,
  ReasoningEffort,
  ResponseFormat,
  ResponseInfo,
  StreamPart,
  TextPart,
  ThinkingBlock,
  ThinkingConfig,
  TokenAlternative,
  TokenLogprob,
  ToolCall,
  ToolChoice,
  ToolDefinition,
  Usage,
} from './contract.js';
export { CHAT_PROVIDER_IDS } from './contract.js';
export { createDeepSeekChatProvider, DEEPSEEK_VENDOR } from './deepseek/provider.js';
export { createGeminiChatProvider, GEMINI_API_VERSION } from './gemini/provider.js';
export { createModelDirectories, type ModelDirectoriesConfig } from './model-directory.js';
export { createOpenAIChatProvider, OPENAI_VENDOR } from './openai/provider.js';
export { createOpenAICompatibleChatProvider } from './openai-compatible/chat-provider.js';
export { createSelfHostedChatProvider, SELF_HOSTED_VENDOR } from './openai-compatible/provider.js';
export type { OpenAICompatibleVendor } from './openai-compatible/vendor.js';
export {
  OPTIONAL_PARAMETERS,
  type OptionalParameter,
  requestedParameters,
  supportedParameters,
  unsupportedParameters,
} from './parameter-support.js';
export { appendLogprobs, foldResponseInfo, OtherChoices } from './shared/choices.js';
export { collectStream, foldThinking, foldToolCallDelta, isSignedThinking } from './shared/collect.js';
export {
  codeForStatus,
  isProviderError,
  isRetryableStatus,
  ProviderError,
  parseRetryAfterMs,
  providerErrorFromStatus,
  providerNetworkError,
  providerProtocolError,
} from './shared/errors.js';
export type { HttpClient, HttpClientOptions, HttpRequestInit, HttpResponse } from './shared/http.js';
export { createHttpClient, DEFAULT_HTTP_TIMEOUTS } from './shared/http.js';
export type { ProviderOptions } from './shared/options.js';
export type { SseEvent } from './shared/sse.js';
export { parseSse, SseLineParser } from './shared/sse.js';

export interface ProviderConnection {
  baseUrl: string;
  apiKey: string;
}

export interface ChatProvidersConfig {
  openai?: ProviderConnection;
  anthropic?: ProviderConnection;
  gemini?: ProviderConnection;
  deepseek?: ProviderConnection;
  /** A self-hosted server; its key is optional. */
  openaiCompatible?: { baseUrl: string; apiKey?: string };
}

/** Builds the configured chat providers only; an unconfigured vendor is simply absent from the map. */
export function createChatProviders(
  config: ChatProvidersConfig,
  http: HttpClient,
): Partial<Record<ProviderId, ChatProvider>> {
  const providers: Partial<Record<ProviderId, ChatProvider>> = {};
  if (config.openai) providers.openai = createOpenAIChatProvider({ ...config.openai, http });
  if (config.anthropic) providers.anthropic = createAnthropicChatProvider({ ...config.anthropic, http });
  if (config.gemini) providers.gemini = createGeminiChatProvider({ ...config.gemini, http });
  if (config.deepseek) providers.deepseek = createDeepSeekChatProvider({ ...config.deepseek, http });
  if (config.openaiCompatible) {
    providers['openai-compatible'] = createSelfHostedChatProvider({ ...config.openaiCompatible, http });
  }
  return providers;
}
