import { mrpToIdrNumber } from '../../core/ledger/index.js';
import type { FinishReason, Usage } from '../../core/providers/index.js';
import type { ChatOutcome, ChatRunPart } from '../../core/routing/index.js';
import { namedFrame } from './sse.js';

/** The provider contract's answer -> Anthropic Messages JSON and named SSE events. */

export function anthropicStopReason(reason: FinishReason): string {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** Anthropic counts cache reads and writes apart from `input_tokens`; our usage includes them in input. */
export function anthropicUsage(usage: Usage, outcome?: Pick<ChatOutcome, 'costMrp' | 'info' | 'provider'>) {
  const write5m = usage.cacheWriteInputTokens ?? 0;
  const write1h = usage.cacheWrite1hInputTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - write5m - write1h),
    output_tokens: usage.outputTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
    cache_creation_input_tokens: write5m + write1h,
    cache_creation: { ephemeral_5m_input_tokens: write5m, ephemeral_1h_input_tokens: write1h },
    // The tier Anthropic says served the request (other upstreams' tiers are not Anthropic's values).
    ...(outcome?.provider === 'anthropic' && outcome.info?.serviceTier
      ? { service_tier: outcome.info.serviceTier }
      : {}),
    ...(outcome ? { cost_idr: mrpToIdrNumber(outcome.costMrp) } : {}),
  };
}

export function messageId(jobId: string): string {
  return `msg_${jobId.replace(/-/g, '')}`;
}

function parseInput(args: string): unknown {
  try {
    return args === '' ? {} : JSON.parse(args);
  } catch {
    return {};
  }
}

export function anthropicMessage(outcome: ChatOutcome) {
  // Thinking first, as Anthropic orders it, then the answer and its tool calls.
  // Reasoning without Anthropic's blocks (DeepSeek) is one unsigned thinking block, as streams show it.
  const thinking =
    outcome.thinking ??
    (outcome.reasoning ? [{ type: 'thinking', thinking: outcome.reasoning, signature: '' }] : []);
  const content: Array<Record<string, unknown>> = thinking.map((block) => ({ ...block }));
  if (outcome.text !== '') content.push({ type: 'text', text: outcome.text });
  for (const call of outcome.toolCalls) {
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: parseInput(call.arguments) });
  }
  return {
    id: messageId(outcome.jobId),
    type: 'message',
    role: 'assistant',
    model: outcome.model,
    content,
    stop_reason: anthropicStopReason(outcome.finishReason),
    stop_sequence: null,
    usage: anthropicUsage(outcome.usage, outcome),
  };
}

/**
 * The named events of one streamed message. Content blocks open and close as the parts change kind:
 * text deltas go to a text block, each tool call to its own tool_use block.
 */
export class AnthropicEvents {
  private index = -1;
  private openKind: 'text' | 'thinking' | `tool:${number}` | undefined;

  /** `inputTokens`: the real count when the upstream gave it before the answer (clients read it here). */
  start(jobId: string, model: string, inputTokens: number, serviceTier?: string): string {
    const message = {
      id: messageId(jobId),
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // As Anthropic does: the input count up front, output 1 until message_delta's final counts.
      usage: {
        input_tokens: inputTokens,
        output_tokens: 1,
        ...(serviceTier === undefined ? {} : { service_tier: serviceTier }),
      },
    };
    return (
      namedFrame('message_start', { type: 'message_start', message }) + namedFrame('ping', { type: 'ping' })
    );
  }

  private close(): string {
    if (this.openKind === undefined) return '';
    this.openKind = undefined;
    return namedFrame('content_block_stop', { type: 'content_block_stop', index: this.index });
  }

  /** Opens a new block of `kind` unless one is open, closing the previous one. */
  private open(kind: NonNullable<AnthropicEvents['openKind']>, block: Record<string, unknown>): string {
    if (this.openKind === kind) return '';
    const out = this.close();
    this.index += 1;
    this.openKind = kind;
    return (
      out +
      namedFrame('content_block_start', {
        type: 'content_block_start',
        index: this.index,
        content_block: block,
      })
    );
  }

  private delta(delta: Record<string, unknown>): string {
    return namedFrame('content_block_delta', { type: 'content_block_delta', index: this.index, delta });
  }

  /**
   * Reasoning as Anthropic's thinking blocks: text deltas as `thinking_delta`, the block's signature
   * as `signature_delta` (which ends the block), a redacted block whole.
   */
  private thinking(part: Extract<ChatRunPart, { type: 'reasoning-delta' }>): string {
    if (part.redacted !== undefined) {
      const out =
        this.close() +
        this.open('thinking', { type: 'redacted_thinking', data: part.redacted }) +
        this.close();
      return out;
    }
    let out = '';
    if (part.text !== '') {
      out += this.open('thinking', { type: 'thinking', thinking: '', signature: '' });
      out += this.delta({ type: 'thinking_delta', thinking: part.text });
    }
    if (part.signature !== undefined) {
      out += this.open('thinking', { type: 'thinking', thinking: '', signature: '' });
      out += this.delta({ type: 'signature_delta', signature: part.signature }) + this.close();
    }
    return out;
  }

  part(part: ChatRunPart): string {
    if (part.type === 'reasoning-delta') return this.thinking(part);
    if (part.type === 'text-delta') {
      if (part.text === '') return '';
      let out = '';
      if (this.openKind !== 'text') {
        out += this.close();
        this.index += 1;
        this.openKind = 'text';
        out += namedFrame('content_block_start', {
          type: 'content_block_start',
          index: this.index,
          content_block: { type: 'text', text: '' },
        });
      }
      return (
        out +
        namedFrame('content_block_delta', {
          type: 'content_block_delta',
          index: this.index,
          delta: { type: 'text_delta', text: part.text },
        })
      );
    }
    if (part.type !== 'tool-call-delta') return '';
    let out = '';
    const kind = `tool:${part.index}` as const;
    if (this.openKind !== kind) {
      out += this.close();
      this.index += 1;
      this.openKind = kind;
      out += namedFrame('content_block_start', {
        type: 'content_block_start',
        index: this.index,
        content_block: {
          type: 'tool_use',
          id: part.id ?? `toolu_${part.index}`,
          name: part.name ?? '',
          input: {},
        },
      });
    }
    if (part.argumentsDelta === '') return out;
    return (
      out +
      namedFrame('content_block_delta', {
        type: 'content_block_delta',
        index: this.index,
        delta: { type: 'input_json_delta', partial_json: part.argumentsDelta },
      })
    );
  }

  finish(outcome: ChatOutcome): string {
    return (
      this.close() +
      namedFrame('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: anthropicStopReason(outcome.finishReason), stop_sequence: null },
        usage: anthropicUsage(outcome.usage, outcome),
      }) +
      namedFrame('message_stop', { type: 'message_stop' })
    );
  }
}
