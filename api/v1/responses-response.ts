import { randomBytes } from 'node:crypto';
import { mrpToIdrNumber } from '../../core/ledger/index.js';
import type { ChatOutcome, ChatRunPart } from '../../core/routing/index.js';
import { type MappedError, openAiErrorBody } from '../plugins/errors.js';
import type { ResponsesBody } from '../schemas/v1-responses.js';
import { type OpenAiTokenLogprob, openAiTokenLogprobs, responseInfoFields } from './openai-response.js';
import { namedFrame } from './sse.js';

/**
 * The gateway's answer -> a Responses API `response` object and its stream events, in OpenAI's
 * order: `response.created`, `response.in_progress`, then per output item `output_item.added`,
 * (`content_part.added`, `output_text.delta`..., `output_text.done`, `content_part.done`) or
 * `function_call_arguments.delta`..., `function_call_arguments.done`, then `output_item.done`, and
 * last `response.completed` (or `response.incomplete`) with the usage. Sequence numbers start at 0.
 */

export type ResponseItem = MessageOutput | FunctionCallOutput;

interface MessageOutput {
  type: 'message';
  id: string;
  status: 'in_progress' | 'completed' | 'incomplete';
  role: 'assistant';
  content: Array<{ type: 'output_text'; text: string; annotations: []; logprobs: OpenAiTokenLogprob[] }>;
}

interface FunctionCallOutput {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: 'in_progress' | 'completed' | 'incomplete';
}

export function responseIdOf(jobId: string): string {
  return `resp_${jobId.replace(/-/g, '')}`;
}

function itemId(prefix: 'msg' | 'fc'): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}

/** The request's settings, echoed on every response object (the spec requires most of them). */
export function responseSettings(body: ResponsesBody, previousResponseId: string | undefined) {
  return {
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: body.metadata ?? {},
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: previousResponseId ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: null },
    service_tier: body.service_tier ?? 'default',
    store: body.store !== false,
    temperature: body.temperature ?? 1,
    text: { format: body.text?.format ?? { type: 'text' }, verbosity: body.text?.verbosity ?? 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    user: body.user ?? null,
  };
}
export type ResponseSettings = ReturnType<typeof responseSettings>;

export interface ResponseHead {
  id: string;
  createdAt: number;
  model: string;
  settings: ResponseSettings;
}

function responseObject(
  head: ResponseHead,
  status: 'in_progress' | 'completed' | 'incomplete',
  output: ResponseItem[],
  outcome?: ChatOutcome,
) {
  const incomplete =
    outcome?.finishReason === 'length'
      ? { reason: 'max_output_tokens' }
      : outcome?.finishReason === 'content_filter'
        ? { reason: 'content_filter' }
        : null;
  return {
    id: head.id,
    object: 'response',
    created_at: head.createdAt,
    status,
    completed_at: status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: null,
    incomplete_details: incomplete,
    model: head.model,
    output,
    ...head.settings,
    // The tier the upstream says served the request, once it said so (else the request's own).
    ...servedTier(outcome),
    usage: outcome ? responsesUsage(outcome) : null,
  };
}

/** OpenAI's ResponseUsage, plus the cost in rupiah and whether usage was estimated. */
function responsesUsage(outcome: ChatOutcome) {
  const { usage } = outcome;
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
    cost_idr: mrpToIdrNumber(outcome.costMrp),
    estimated: outcome.usageEstimated,
  };
}

function servedTier(outcome: ChatOutcome | undefined): { service_tier?: string } {
  if (!outcome) return {};
  const { service_tier } = responseInfoFields(outcome.info, outcome.provider);
  return service_tier === undefined ? {} : { service_tier };
}

function finalStatus(outcome: ChatOutcome): 'completed' | 'incomplete' {
  return outcome.finishReason === 'length' || outcome.finishReason === 'content_filter'
    ? 'incomplete'
    : 'completed';
}

/** The whole response of a buffered run. */
export function responseOf(head: ResponseHead, outcome: ChatOutcome) {
  const itemStatus = finalStatus(outcome);
  const output: ResponseItem[] = [];
  if (outcome.text !== '' || outcome.toolCalls.length === 0) {
    output.push({
      type: 'message',
      id: itemId('msg'),
      status: itemStatus,
      role: 'assistant',
      content: [
        {
          type: 'output_text',
          text: outcome.text,
          annotations: [],
          // Filled when `include` asked for `message.output_text.logprobs` (and the upstream sent them).
          logprobs: openAiTokenLogprobs(outcome.logprobs ?? []),
        },
      ],
    });
  }
  for (const call of outcome.toolCalls) {
    output.push({
      type: 'function_call',
      id: itemId('fc'),
      call_id: call.id,
      name: call.name,
      arguments: call.arguments,
      status: 'completed',
    });
  }
  return responseObject(head, itemStatus, output, outcome);
}

type OpenItem =
  | { kind: 'message'; index: number; item: MessageOutput }
  | {
      kind: 'call';
      index: number;
      callIndex: number;
      item: FunctionCallOutput;
    };

/** Builds the event frames of one streamed response; `output` is final once `finish` ran. */
export class ResponsesEvents {
  private sequence = 0;
  readonly output: ResponseItem[] = [];
  private open: OpenItem | undefined;

  constructor(private readonly head: ResponseHead) {}

  private frame(type: string, fields: Record<string, unknown>): string {
    return namedFrame(type, { type, sequence_number: this.sequence++, ...fields });
  }

  start(): string {
    const response = responseObject(this.head, 'in_progress', []);
    return this.frame('response.created', { response }) + this.frame('response.in_progress', { response });
  }

  /** Frames for one gateway part ('' for parts that carry nothing). */
  part(part: ChatRunPart): string {
    if (part.type === 'text-delta') {
      if (part.text === '' && !part.logprobs) return '';
      let frames = '';
      if (this.open?.kind !== 'message') frames += this.closeOpen() + this.openMessage();
      const open = this.open as Extract<OpenItem, { kind: 'message' }>;
      const logprobs = openAiTokenLogprobs(part.logprobs ?? []);
      open.item.content[0]!.text += part.text;
      open.item.content[0]!.logprobs.push(...logprobs);
      return (
        frames +
        this.frame('response.output_text.delta', {
          item_id: open.item.id,
          output_index: open.index,
          content_index: 0,
          delta: part.text,
          logprobs,
        })
      );
    }
    if (part.type !== 'tool-call-delta') return '';
    let frames = '';
    if (this.open?.kind !== 'call' || this.open.callIndex !== part.index) {
      frames += this.closeOpen() + this.openCall(part.index, part.id, part.name);
    }
    const open = this.open as unknown as Extract<OpenItem, { kind: 'call' }>;
    if (part.argumentsDelta === '') return frames;
    open.item.arguments += part.argumentsDelta;
    return (
      frames +
      this.frame('response.function_call_arguments.delta', {
        item_id: open.item.id,
        output_index: open.index,
        delta: part.argumentsDelta,
      })
    );
  }

  /** Closes the last item and ends the stream with the usage; `response` is the final object. */
  finish(outcome: ChatOutcome) {
    const status = finalStatus(outcome);
    let frames = this.closeOpen(status);
    if (this.output.length === 0) frames += this.openMessage() + this.closeOpen(status);
    const response = responseObject(this.head, status, this.output, outcome);
    const type = status === 'completed' ? 'response.completed' : 'response.incomplete';
    return { frames: frames + this.frame(type, { response }), response };
  }

  /** A failure after the stream began: an `error` event, then `response.failed`. */
  failed(mapped: MappedError): string {
    const { error } = openAiErrorBody(mapped);
    const failed = { ...responseObject(this.head, 'in_progress', this.output), status: 'failed' };
    return (
      this.frame('error', { code: error.code, message: error.message, param: error.param }) +
      this.frame('response.failed', {
        response: { ...failed, error: { code: 'server_error', message: error.message } },
      })
    );
  }

  private openMessage(): string {
    const item: MessageOutput = {
      type: 'message',
      id: itemId('msg'),
      status: 'in_progress',
      role: 'assistant',
      content: [],
    };
    const index = this.output.push(item) - 1;
    const part = {
      type: 'output_text' as const,
      text: '',
      annotations: [] as [],
      logprobs: [] as OpenAiTokenLogprob[],
    };
    const frames =
      this.frame('response.output_item.added', { output_index: index, item: { ...item, content: [] } }) +
      this.frame('response.content_part.added', {
        item_id: item.id,
        output_index: index,
        content_index: 0,
        part,
      });
    item.content.push({ ...part, logprobs: [] });
    this.open = { kind: 'message', index, item };
    return frames;
  }

  private openCall(callIndex: number, callId: string | undefined, name: string | undefined): string {
    const item: FunctionCallOutput = {
      type: 'function_call',
      id: itemId('fc'),
      call_id: callId || `call_${randomBytes(12).toString('hex')}`,
      name: name ?? '',
      arguments: '',
      status: 'in_progress',
    };
    const index = this.output.push(item) - 1;
    this.open = { kind: 'call', index, callIndex, item };
    return this.frame('response.output_item.added', { output_index: index, item: { ...item } });
  }

  private closeOpen(status: 'completed' | 'incomplete' = 'completed'): string {
    const open = this.open;
    if (!open) return '';
    this.open = undefined;
    open.item.status = status;
    if (open.kind === 'message') {
      const part = open.item.content[0]!;
      const at = { item_id: open.item.id, output_index: open.index, content_index: 0 };
      return (
        this.frame('response.output_text.done', { ...at, text: part.text, logprobs: part.logprobs }) +
        this.frame('response.content_part.done', { ...at, part }) +
        this.frame('response.output_item.done', { output_index: open.index, item: open.item })
      );
    }
    return (
      this.frame('response.function_call_arguments.done', {
        item_id: open.item.id,
        output_index: open.index,
        name: open.item.name,
        arguments: open.item.arguments,
      }) + this.frame('response.output_item.done', { output_index: open.index, item: open.item })
    );
  }
}
