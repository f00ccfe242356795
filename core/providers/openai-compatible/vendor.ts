import type { ChatRequest, FinishReason } from '../contract.js';
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
  /** False: a `json_schema` response format is refused (never quietly sent as `json_object`). */
  readonly supportsJsonSchema: boolean;
  /**
   * True: assistant turns carry their `reasoning_content` back to the vendor (DeepSeek's thinking
   * mode requires it on tool-call turns). `reasoning_content` in answers is read for every vendor.
   */
  readonly sendsReasoningBack?: boolean;
  /** Vendor-only top-level body fields decided per request (e.g. DeepSeek's `thinking`). */
  readonly extraBody?: (request: ChatRequest) => JsonObject;
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
