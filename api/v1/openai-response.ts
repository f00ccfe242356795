import { mrpToIdrNumber } from '../../core/ledger/index.js';
import type { FinishReason, Usage } from '../../core/providers/index.js';
import type { ChatOutcome, ChatRunPart } from '../../core/routing/index.js';

/** The provider contract's answer -> OpenAI chat-completions JSON and stream chunks. */

export function openAiFinishReason(reason: FinishReason): string {
  return reason === 'other' ? 'stop' : reason;
}

/** OpenAI's usage object, plus what it cost in rupiah (`cost_idr`) and whether it was estimated. */
export function openAiUsage(usage: Usage, outcome: Pick<ChatOutcome, 'costMrp' | 'usageEstimated'>) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    cost_idr: mrpToIdrNumber(outcome.costMrp),
    estimated: outcome.usageEstimated,
  };
}

export function completionId(jobId: string): string {
  return `chatcmpl-${jobId}`;
}

/**
 * Gemini's OpenAI-compatible place for a call's thought signature; clients that keep the assistant
 * message as received send it back, and the next Gemini request needs it.
 */
function signatureField(signature: string | undefined) {
  return signature ? { extra_content: { google: { thought_signature: signature } } } : {};
}

export function openAiCompletion(outcome: ChatOutcome, created: number) {
  const toolCalls = outcome.toolCalls.map((call) => ({
    id: call.id,
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments },
    ...signatureField(call.signature),
  }));
  return {
    id: completionId(outcome.jobId),
    object: 'chat.completion',
    created,
    model: outcome.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: outcome.text === '' && toolCalls.length > 0 ? null : outcome.text,
          // DeepSeek's field, as DeepSeek-aware clients read it and send it back in tool loops.
          ...(outcome.reasoning ? { reasoning_content: outcome.reasoning } : {}),
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: openAiFinishReason(outcome.finishReason),
      },
    ],
    usage: openAiUsage(outcome.usage, outcome),
  };
}

/** Builds the chunks of one streamed completion. */
export class OpenAiChunks {
  private readonly seenCalls = new Set<number>();

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly created: number,
  ) {}

  private chunk(delta: Record<string, unknown>, finishReason: string | null = null, extra = {}) {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...extra,
    };
  }

  first() {
    return this.chunk({ role: 'assistant', content: '' });
  }

  /** A content part, or undefined for parts that carry nothing for the client. */
  part(part: ChatRunPart) {
    if (part.type === 'text-delta') return part.text === '' ? undefined : this.chunk({ content: part.text });
    if (part.type === 'reasoning-delta') {
      return part.text === '' ? undefined : this.chunk({ reasoning_content: part.text });
    }
    if (part.type !== 'tool-call-delta') return undefined;
    const first = !this.seenCalls.has(part.index);
    this.seenCalls.add(part.index);
    return this.chunk({
      tool_calls: [
        {
          index: part.index,
          ...(first ? { id: part.id ?? `call_${part.index}`, type: 'function' } : {}),
          ...signatureField(part.signature),
          function: {
            ...(first || part.name ? { name: part.name ?? '' } : {}),
            arguments: part.argumentsDelta,
          },
        },
      ],
    });
  }

  finish(outcome: ChatOutcome) {
    return this.chunk({}, openAiFinishReason(outcome.finishReason));
  }

  /** The last chunk of `stream_options.include_usage`: no choices, the usage and its cost. */
  usage(outcome: ChatOutcome) {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [],
      usage: openAiUsage(outcome.usage, outcome),
    };
  }
}
