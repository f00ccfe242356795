import type { FinishReason } from '../contract.js';
import type { JsonObject } from '../shared/wire.js';

/**
 * What differs between OpenAI-compatible vendors, declared rather than coded (after Portkey's
 * provider configs), so a new vendor is one small object over the shared chat-completions base.
 */
export interface OpenAICompatibleVendor {
  readonly id: 'openai' | 'deepseek' | 'openai-compatible';
  /** Path of the chat endpoint, appended to the configured base URL. */
  readonly chatPath: string;
  /** Self-hosted servers often run without a key; the hosted vendors never do. */
  readonly requiresApiKey: boolean;
  /** OpenAI deprecated `max_tokens` for `max_completion_tokens`; most compatible servers know only the former. */
  readonly maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** False: `json_schema` response formats are sent as `json_object` instead. */
  readonly supportsJsonSchema: boolean;
  /**
   * True: a stream must end with `data: [DONE]` or it counts as cut. False (lenient self-hosted
   * servers): a stream that already carried a finish reason may also just end.
   */
  readonly requiresDoneSentinel: boolean;
  /** Cached prompt tokens from the vendor's usage object, when it reports them its own way. */
  readonly cachedInputTokens?: (usage: JsonObject) => number | undefined;
  /** Vendor-only finish reasons beyond OpenAI's set. */
  readonly extraFinishReasons?: Readonly<Record<string, FinishReason>>;
  /** Vendor-only error types that must not be retried although their status says otherwise. */
  readonly nonRetryableErrorTypes?: readonly string[];
}
