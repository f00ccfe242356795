/**
 * The chat provider contract: one normalized request, one stream vocabulary, one usage shape, whatever
 * the upstream. Shaped after the Vercel AI SDK's provider split (convert request, map finish reason,
 * map usage, parse stream), so each vendor is a few small files behind `ChatProvider`.
 */

export const CHAT_PROVIDER_IDS = ['openai', 'anthropic', 'gemini', 'deepseek', 'openai-compatible'] as const;
export type ProviderId = (typeof CHAT_PROVIDER_IDS)[number];

/** Anthropic's prompt-cache breakpoint, carried on the block it marks (providers without it refuse it). */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export interface TextPart {
  type: 'text';
  text: string;
  cacheControl?: CacheControl;
}

/** OpenAI's image `detail` (resolution the model sees). */
export type ImageDetail = 'auto' | 'low' | 'high';

/** An image, inline (base64 without the `data:` prefix) or by URL. */
export type ImagePart = (
  | { type: 'image'; mediaType: string; data: string }
  | { type: 'image'; url: string; mediaType?: string }
) & { detail?: ImageDetail; cacheControl?: CacheControl };

export type Part = TextPart | ImagePart;

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them: JSON text, not parsed (it may be invalid JSON). */
  arguments: string;
  /**
   * An opaque token the upstream attached to the call (Gemini's `thoughtSignature`), to be sent back
   * unchanged with the call in later requests; Gemini 3 refuses a function-calling history without it.
   */
  signature?: string;
}

/**
 * One of Anthropic's thinking blocks as the upstream returned it: sent back unmodified and in order
 * (Anthropic checks the signature), to Anthropic routes only.
 */
export type ThinkingBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string };

/** Anthropic's extended thinking, as the client set it (Anthropic routes only; `disabled` is the default elsewhere). */
export interface ThinkingConfig {
  type: 'enabled' | 'adaptive' | 'disabled';
  /** `enabled`: the thinking budget, at least 1,024 and below `max_tokens` (the upstream checks). */
  budgetTokens?: number;
  display?: 'summarized' | 'omitted';
}

export type ChatMessage =
  | { role: 'user'; content: Part[] }
  | {
      role: 'assistant';
      content: Part[];
      toolCalls?: ToolCall[];
      /**
       * The model's reasoning for this turn as the upstream returned it (DeepSeek's
       * `reasoning_content`). Sent back where the upstream needs it: DeepSeek in thinking mode refuses
       * a tool-call turn without it.
       */
      reasoning?: string;
      /** Anthropic thinking blocks of this turn, before its content (needed when continuing tool use). */
      thinking?: ThinkingBlock[];
    }
  /** A tool's result, answering the assistant's tool call `toolCallId`. */
  | { role: 'tool'; content: Part[]; toolCallId: string };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** A JSON schema object describing the arguments. */
  parameters: Record<string, unknown>;
  /** OpenAI structured outputs: the arguments are guaranteed to match `parameters`. */
  strict?: boolean;
  cacheControl?: CacheControl;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export interface ResponseFormat {
  type: 'text' | 'json_object' | 'json_schema';
  name?: string;
  description?: string;
  schema?: Record<string, unknown>;
  /** OpenAI structured outputs: the answer is guaranteed to match `schema`. */
  strict?: boolean;
}

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/**
 * Optional request parameters beyond the common core. Each provider passes on the ones it honours
 * and the gateway refuses the rest before anything is charged (`parameter-support.ts`), so none is
 * ever silently dropped.
 */
export interface ChatRequestOptions {
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  /** Token id (as a string) -> bias -100..100. */
  logitBias?: Record<string, number>;
  reasoningEffort?: ReasoningEffort;
  /** False: at most one tool call per turn. */
  parallelToolCalls?: boolean;
  /** An end-user id for the upstream's abuse monitoring (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  promptCacheKey?: string;
  /** Passed as the client named it; the provider checks the values it accepts. */
  serviceTier?: string;
  metadata?: Record<string, string>;
  verbosity?: 'low' | 'medium' | 'high';
  /** Anthropic and Gemini: sample from the k most likely tokens. */
  topK?: number;
  /** The system text came as OpenAI `developer` messages (sent as such to OpenAI, as system elsewhere). */
  systemRole?: 'system' | 'developer';
  /** Anthropic: the system prompt as blocks, when they carry cache breakpoints (`system` still holds the text). */
  systemParts?: TextPart[];
  /** Anthropic extended thinking. */
  thinking?: ThinkingConfig;
  /**
   * How many alternative answers (OpenAI `n`); absent means one. The upstream's usage covers them
   * all, and the hold is priced at this many times the output budget.
   */
  choices?: number;
  /** Return each output token's log probability (OpenAI `logprobs`). */
  logprobs?: boolean;
  /** With `logprobs`: this many most likely alternatives per token, 0-20 (OpenAI `top_logprobs`). */
  topLogprobs?: number;
}

export interface ChatRequest extends ChatRequestOptions {
  /** The upstream's own model id (the catalog route's `model`), not ours. */
  model: string;
  system?: string;
  messages: ChatMessage[];
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  signal?: AbortSignal;
}

/**
 * Token usage, normalized for billing:
 * - `inputTokens` is every prompt token, cached ones included (Anthropic: input + cache_creation +
 *   cache_read; Gemini: promptTokenCount + toolUsePromptTokenCount);
 * - `cachedInputTokens` is the part of `inputTokens` read from the cache (billed at the cached price);
 * - `outputTokens` is every generated token, reasoning included (Gemini: candidates + thoughts);
 * - `reasoningTokens` is the part of `outputTokens` spent thinking (for display; already in output).
 * - `cacheWriteInputTokens` / `cacheWrite1hInputTokens`: the part of `inputTokens` written to the
 *   prompt cache with a 5-minute / 1-hour lifetime (Anthropic's cache_creation), billed at the
 *   model's cache-write prices; absent means none.
 * So the bill is (input - cached - written) * input price + cached * cached price + each write at its
 * write price + output * output price.
 * Where usage is optional, `undefined` means the upstream reported none; zeros are a real report.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  cacheWriteInputTokens?: number;
  cacheWrite1hInputTokens?: number;
}

/** One alternative token and its log probability (OpenAI's `top_logprobs` entries). */
export interface TokenAlternative {
  token: string;
  logprob: number;
  /** The token's UTF-8 bytes, or null when the token has no byte form. */
  bytes: number[] | null;
}

/** One output token's log probability and, when asked for, its most likely alternatives. */
export interface TokenLogprob extends TokenAlternative {
  topLogprobs: TokenAlternative[];
}

/**
 * Facts the upstream states about its answer, passed on to clients that read them: OpenAI's
 * `system_fingerprint` and the service tier that served the request (OpenAI `service_tier`,
 * Anthropic `usage.service_tier`).
 */
export interface ResponseInfo {
  systemFingerprint?: string;
  serviceTier?: string;
}

/**
 * `content_filter` is a safety refusal by the upstream (OpenAI `content_filter`, Anthropic `refusal`,
 * Gemini blocked prompt or SAFETY-family finish reason): the caller must not bill it.
 */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

/**
 * A stream is: deltas, `usage` and `response-info` parts (possibly several; each is cumulative, so
 * the consumer keeps the last), then exactly one `finish`, last. A stream that is cut, stalls or carries an upstream
 * error throws a `ProviderError`; it never ends cleanly without `finish`.
 */
export type StreamPart =
  | {
      type: 'text-delta';
      text: string;
      /** Which answer this belongs to when several were asked for (`choices`); absent means the first, 0. */
      choice?: number;
      /** The log probabilities of the tokens of `text`, when they were asked for. */
      logprobs?: TokenLogprob[];
    }
  /**
   * The model's visible reasoning (DeepSeek's `reasoning_content`, Anthropic's thinking), before or
   * between text deltas. Anthropic's thinking blocks also carry, on their last delta, the block's
   * `signature` (the block ends there), and a redacted block arrives whole as `redacted` (opaque data,
   * empty text).
   */
  | { type: 'reasoning-delta'; text: string; signature?: string; redacted?: string; choice?: number }
  | {
      type: 'tool-call-delta';
      /** Position of this tool call among the reply's tool calls, from 0. */
      index: number;
      /** Present on the first delta of a call. */
      id?: string;
      name?: string;
      argumentsDelta: string;
      /** The call's opaque signature (see `ToolCall.signature`), on whichever delta carries it. */
      signature?: string;
      choice?: number;
    }
  | { type: 'usage'; usage: Usage }
  /** The upstream's facts about its answer; a later part overrides the fields it sets. */
  | ({ type: 'response-info' } & ResponseInfo)
  /** The end of an answer after the first (`choice` >= 1); the first answer's end is `finish`. */
  | { type: 'choice-finish'; choice: number; reason: FinishReason; raw: string | undefined }
  | { type: 'finish'; reason: FinishReason; raw: string | undefined };

/** One answer after the first, when several were asked for (`choices`). */
export interface ChoiceResult {
  /** Its position among the answers, from 1 (the first answer is the result itself). */
  index: number;
  text: string;
  reasoning?: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  rawFinishReason?: string;
  logprobs?: TokenLogprob[];
}

export interface ChatResult {
  text: string;
  /** The model's visible reasoning, when the upstream returned any. */
  reasoning?: string;
  /** Anthropic's thinking blocks, in order, when it returned any. */
  thinking?: ThinkingBlock[];
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** The upstream's raw finish reason (or Gemini's block reason), for the job record. */
  rawFinishReason?: string;
  /** Usage of every answer together. */
  usage?: Usage;
  /** The first answer's token log probabilities, when asked for. */
  logprobs?: TokenLogprob[];
  /** The other answers, in order, when several were asked for. */
  choices?: ChoiceResult[];
  info?: ResponseInfo;
}

export interface ChatProvider {
  readonly id: ProviderId;
  /** Rejects with `ProviderError` on upstream failure. */
  generate(request: ChatRequest): Promise<ChatResult>;
  /**
   * The request is sent when iteration begins, so an upstream that refuses outright (error status,
   * connect failure, first-byte timeout) throws from the first `next()`, before any part: the point
   * up to which a router may still fail over. A caller's abort (via `request.signal`) rejects with
   * the signal's reason, not a ProviderError.
   */
  stream(request: ChatRequest): AsyncIterable<StreamPart>;
}
