import type { HttpClient } from './http.js';

/** What every provider factory takes: where the upstream is, its key, and the shared HTTP client. */
export interface ProviderOptions {
  /** Vendor convention: OpenAI `https://api.openai.com/v1`, Anthropic `https://api.anthropic.com`,
   * Gemini `https://generativelanguage.googleapis.com`, DeepSeek `https://api.deepseek.com`. */
  baseUrl: string;
  apiKey?: string;
  http: HttpClient;
}
