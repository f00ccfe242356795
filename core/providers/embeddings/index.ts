import { OPENAI_VENDOR } from '../openai/provider.js';
import type { HttpClient } from '../shared/http.js';
import type { EmbeddingProvider, EmbeddingProviderId } from './contract.js';
import { createGeminiEmbeddingProvider } from './gemini-embeddings.js';
import { createOpenAIStyleEmbeddingProvider } from './openai-embeddings.js';

export type {
  EmbeddingInputs,
  EmbeddingProvider,
  EmbeddingProviderId,
  EmbeddingRequest,
  EmbeddingResult,
} from './contract.js';
export { createGeminiEmbeddingProvider } from './gemini-embeddings.js';
export { createOpenAIStyleEmbeddingProvider } from './openai-embeddings.js';

export interface EmbeddingProvidersConfig {
  openai?: { baseUrl: string; apiKey: string };
  gemini?: { baseUrl: string; apiKey: string };
  /** A self-hosted server; its key is optional. */
  openaiCompatible?: { baseUrl: string; apiKey?: string };
}

/**
 * The configured embedding providers only. OpenAI reads token-id arrays and `user`; self-hosted
 * servers are sent texts only (vLLM reads token ids, Ollama and TEI do not, so we promise neither).
 */
export function createEmbeddingProviders(
  config: EmbeddingProvidersConfig,
  http: HttpClient,
): Partial<Record<EmbeddingProviderId, EmbeddingProvider>> {
  const providers: Partial<Record<EmbeddingProviderId, EmbeddingProvider>> = {};
  if (config.openai) {
    providers.openai = createOpenAIStyleEmbeddingProvider(
      { id: 'openai', nonRetryableErrorTypes: OPENAI_VENDOR.nonRetryableErrorTypes },
      { ...config.openai, http },
      { acceptsTokenArrays: true, acceptsUser: true },
    );
  }
  if (config.gemini) providers.gemini = createGeminiEmbeddingProvider({ ...config.gemini, http });
  if (config.openaiCompatible) {
    providers['openai-compatible'] = createOpenAIStyleEmbeddingProvider(
      { id: 'openai-compatible' },
      { ...config.openaiCompatible, http },
      { acceptsTokenArrays: false, acceptsUser: false },
    );
  }
  return providers;
}
