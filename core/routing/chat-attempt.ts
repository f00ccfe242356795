import type { CatalogRoute } from '../catalog/index.js';
import type { ProviderAttempt } from '../jobs/index.js';
import {
  appendLogprobs,
  type ChatProvider,
  type FinishReason,
  foldResponseInfo,
  foldThinking,
  foldToolCallDelta,
  OtherChoices,
  type ResponseInfo,
  type StreamPart,
  type ThinkingBlock,
  type TokenLogprob,
  type ToolCall,
  type Usage,
} from '../providers/index.js';

/**
 * One upstream attempt of a chat run: reads the provider's stream, keeps what was produced (text,
 * tool calls, the last usage seen, the finish) and passes the content parts on. It knows nothing of
 * money or failover; the gateway decides what a failure means.
 */

export interface AttemptState {
  text: string;
  /** The model's visible reasoning (DeepSeek), kept apart from the answer text. */
  reasoning: string;
  /** Anthropic's thinking blocks (signed or redacted), in order; plain reasoning makes unsigned ones. */
  thinking: ThinkingBlock[];
  calls: Map<number, ToolCall>;
  usage: Usage | undefined;
  finish: { reason: FinishReason; raw: string | undefined } | undefined;
  /** The first answer's token log probabilities, when asked for. */
  logprobs: TokenLogprob[] | undefined;
  /** The answers after the first, when several were asked for. */
  others: OtherChoices;
  /** The upstream's system fingerprint and service tier, when it stated them. */
  info: ResponseInfo | undefined;
  /** Milliseconds from the attempt's start to its first part. */
  firstPartMs: number | undefined;
}

export type ContentPart = Extract<StreamPart, { type: 'text-delta' | 'reasoning-delta' | 'tool-call-delta' }>;

export function newAttemptState(): AttemptState {
  return {
    text: '',
    reasoning: '',
    thinking: [],
    calls: new Map(),
    usage: undefined,
    finish: undefined,
    logprobs: undefined,
    others: new OtherChoices(),
    info: undefined,
    firstPartMs: undefined,
  };
}

/** The upstream refused every answer for safety (not billed); one answer delivered is billed. */
export function refusedEntirely(state: AttemptState): boolean {
  return (
    state.finish?.reason === 'content_filter' &&
    state.others.results().every((choice) => choice.finishReason === 'content_filter')
  );
}

export function toolCallsOf(state: AttemptState): ToolCall[] {
  return [...state.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
}

/** Streams one route's answer into `state`, yielding only content parts (of every answer asked for). */
export async function* readAttempt(
  parts: AsyncIterable<StreamPart>,
  state: AttemptState,
  began: number,
): AsyncGenerator<ContentPart> {
  for await (const part of parts) {
    state.firstPartMs ??= performance.now() - began;
    if (part.type === 'usage') {
      state.usage = part.usage;
      continue;
    }
    if (part.type === 'finish') {
      state.finish = { reason: part.reason, raw: part.raw };
      continue;
    }
    if (part.type === 'response-info') {
      state.info = foldResponseInfo(state.info, part);
      continue;
    }
    if (state.others.fold(part)) {
      if (part.type !== 'choice-finish') yield part;
      continue;
    }
    if (part.type === 'choice-finish') continue;
    if (part.type === 'text-delta') {
      state.text += part.text;
      state.logprobs = appendLogprobs(state.logprobs, part.logprobs);
    } else if (part.type === 'reasoning-delta') {
      state.reasoning += part.text;
      foldThinking(state.thinking, part);
    } else state.calls.set(part.index, foldToolCallDelta(state.calls.get(part.index), part));
    yield part;
  }
}

export function providerOf(
  providers: Partial<Record<string, ChatProvider>>,
  route: CatalogRoute,
): ChatProvider | undefined {
  return providers[route.provider];
}

export function attemptRecord(
  route: CatalogRoute,
  status: 'ok' | 'error',
  latencyMs: number,
  error?: string,
  httpStatus?: number,
): ProviderAttempt {
  return {
    provider: route.provider,
    model: route.model ?? '',
    status,
    latencyMs,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(error === undefined ? {} : { error: error.slice(0, 300) }),
  };
}

export function usageRecord(usage: Usage, estimated: boolean) {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedTokens: usage.cachedInputTokens,
    reasoningTokens: usage.reasoningTokens,
    estimated,
  };
}
