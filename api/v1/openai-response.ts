import { mrpToIdrNumber } from '../../core/ledger/index.js';
import type {
  FinishReason,
  ProviderId,
  ResponseInfo,
  TokenAlternative,
  TokenLogprob,
  ToolCall,
  Usage,
} from '../../core/providers/index.js';
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

/**
 * The upstream's `system_fingerprint` and `service_tier` when it stated them (OpenAI omits absent
 * ones). Only tiers of OpenAI's vocabulary (OpenAI-wire upstreams) are relayed: Anthropic's
 * `standard` is no value of OpenAI's enum, so it is shown on the Anthropic dialect only.
 */
export function responseInfoFields(info: ResponseInfo | undefined, provider: ProviderId) {
  const tier = provider === 'anthropic' ? undefined : info?.serviceTier;
  return {
    ...(info?.systemFingerprint === undefined ? {} : { system_fingerprint: info.systemFingerprint }),
    ...(tier === undefined ? {} : { service_tier: tier }),
  };
}

function alternativeOf(token: TokenAlternative) {
  return { token: token.token, logprob: token.logprob, bytes: token.bytes };
}

/** OpenAI's token log probabilities (chat `logprobs.content`, Responses `output_text.logprobs`). */
export function openAiTokenLogprobs(logprobs: TokenLogprob[]) {
  return logprobs.map((t) => ({ ...alternativeOf(t), top_logprobs: t.topLogprobs.map(alternativeOf) }));
}
export type OpenAiTokenLogprob = ReturnType<typeof openAiTokenLogprobs>[number];

/** OpenAI's `choices[].logprobs`: null unless they were asked for and the upstream sent them. */
export function openAiLogprobs(logprobs: TokenLogprob[] | undefined) {
  if (logprobs === undefined) return null;
  return { content: openAiTokenLogprobs(logprobs), refusal: null };
}

interface Answer {
  text: string;
  reasoning?: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  logprobs?: TokenLogprob[];
}

function openAiChoice(answer: Answer, index: number) {
  const toolCalls = answer.toolCalls.map((call) => ({
    id: call.id,
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments },
    ...signatureField(call.signature),
  }));
  return {
    index,
    message: {
      role: 'assistant',
      content: answer.text === '' && toolCalls.length > 0 ? null : answer.text,
      // DeepSeek's field, as DeepSeek-aware clients read it and send it back in tool loops.
      ...(answer.reasoning ? { reasoning_content: answer.reasoning } : {}),
      refusal: null,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    },
    logprobs: openAiLogprobs(answer.logprobs),
    finish_reason: openAiFinishReason(answer.finishReason),
  };
}

/** Every answer, the first at index 0; usage and cost cover them all. */
export function openAiCompletion(outcome: ChatOutcome, created: number) {
  return {
    id: completionId(outcome.jobId),
    object: 'chat.completion',
    created,
    model: outcome.model,
    choices: [openAiChoice(outcome, 0), ...(outcome.choices ?? []).map((c) => openAiChoice(c, c.index))],
    usage: openAiUsage(outcome.usage, outcome),
    ...responseInfoFields(outcome.info, outcome.provider),
  };
}

/**
 * Builds the chunks of one streamed completion. Each chunk carries one answer's delta under its
 * choice index; the upstream's `system_fingerprint` and `service_tier` ride on every chunk, as
 * OpenAI sends them.
 */
export class OpenAiChunks {
  private readonly seenCalls = new Set<string>();

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly created: number,
    private readonly provider: ProviderId,
    private readonly info: ResponseInfo | undefined,
  ) {}

  private chunk(
    delta: Record<string, unknown>,
    options: { choice?: number; finishReason?: string; logprobs?: TokenLogprob[] } = {},
  ) {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      ...responseInfoFields(this.info, this.provider),
      choices: [
        {
          index: options.choice ?? 0,
          delta,
          logprobs: openAiLogprobs(options.logprobs),
          finish_reason: options.finishReason ?? null,
        },
      ],
    };
  }

  /** The opening chunk of each answer (`choices` of them). */
  first(choices = 1) {
    return Array.from({ length: choices }, (_, choice) =>
      this.chunk({ role: 'assistant', content: '' }, { choice }),
    );
  }

  /** A content part, or undefined for parts that carry nothing for the client. */
  part(part: ChatRunPart) {
    if (part.type === 'start') return undefined;
    const choice = part.choice ?? 0;
    if (part.type === 'text-delta') {
      if (part.text === '' && !part.logprobs) return undefined;
      return this.chunk(
        { content: part.text },
        { choice, ...(part.logprobs ? { logprobs: part.logprobs } : {}) },
      );
    }
    if (part.type === 'reasoning-delta') {
      return part.text === '' ? undefined : this.chunk({ reasoning_content: part.text }, { choice });
    }
    const key = `${choice}:${part.index}`;
    const first = !this.seenCalls.has(key);
    this.seenCalls.add(key);
    return this.chunk(
      {
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
      },
      { choice },
    );
  }

  /** The closing chunk of each answer, the first last (the route adds its own facts to that one). */
  finishes(outcome: ChatOutcome) {
    const others = (outcome.choices ?? []).map((c) =>
      this.chunk({}, { choice: c.index, finishReason: openAiFinishReason(c.finishReason) }),
    );
    return { others, first: this.chunk({}, { finishReason: openAiFinishReason(outcome.finishReason) }) };
  }

  /** The last chunk of `stream_options.include_usage`: no choices, the usage of every answer and its cost. */
  usage(outcome: ChatOutcome) {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      ...responseInfoFields(outcome.info ?? this.info, this.provider),
      choices: [],
      usage: openAiUsage(outcome.usage, outcome),
    };
  }
}
