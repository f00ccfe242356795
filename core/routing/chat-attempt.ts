import type { CatalogRoute } from '../catalog/index.js';
import type { ProviderAttempt } from '../jobs/index.js';
import {
  type ChatProvider,
  type FinishReason,
  foldThinking,
  foldToolCallDelta,
  type StreamPart,
  type ThinkingBlock,
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
    firstPartMs: undefined,
  };
}

export function toolCallsOf(state: AttemptState): ToolCall[] {
  return [...state.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
}

/** Streams one route's answer into `state`, yielding only content parts. */
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
    if (part.type === 'text-delta') state.text += part.text;
    else if (part.type === 'reasoning-delta') {
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
