import type { ServerResponse } from 'node:http';
import {
  type CacheUse,
  FakePromptCache,
  fakeSignature,
  REDACTED_DATA,
  thinkingOf,
  thinkingProblem,
} from './anthropic-extras.js';
import { countWords, type EchoInput, type EchoReply, echo, splitArguments } from './llm-echo.js';
import { type FakeLlmServer, type LlmFault, sendJson, startLlmServer } from './llm-server.js';
import { namedFrame, writeSse } from './sse.js';

/**
 * A fake Anthropic Messages API. It speaks `POST /v1/messages`: it requires `x-api-key` (or
 * `Authorization: Bearer`) and `anthropic-version`, answers a `type:"message"` JSON body or, with
 * `stream: true`, named SSE events (`message_start` with the input usage and `output_tokens: 1`,
 * `content_block_start`/`content_block_delta` (`text_delta`, `input_json_delta`)/`content_block_stop`,
 * a `ping`, `message_delta` with the stop reason and the cumulative usage, `message_stop`). Errors are
 * `{"type":"error","error":{"type","message"},"request_id"}` (401 `authentication_error`, 429 with
 * retry-after, 529 `overloaded_error`, ...). Replies echo (see llm-echo). Faults: error statuses,
 * a spend-cap 429, latency, stall, cut, usage missing/zero, a `refusal` stop, a mid-stream `error`
 * event, scripted text and token counts with cache reads/writes, and a `message_delta` that repeats
 * every input field. Extended thinking and prompt caching follow anthropic-extras.
 */

export interface AnthropicFault extends LlmFault {
  reply?: {
    text?: string;
    /** Total prompt tokens, cache included (split as input + cache_creation + cache_read on the wire). */
    inputTokens?: number;
    outputTokens?: number;
    cacheReadTokens?: number;
    cacheCreationTokens?: number;
  };
  /**
   * With `status`: `error.details.error_code`, as Anthropic names organization-level faults
   * (`contract_spend_limit_reached`, `ramp_limit_exceeded` on 429, `linked_organization_*` on 402).
   */
  errorCode?: string;
  /** 429 `rate_limit_error` with `details.error_code: "enforced_spend_limit_reached"` and no retry-after. */
  spendLimit?: boolean;
  /** An `event: error` (`overloaded_error`) after the first text delta, then the stream ends. */
  midStreamError?: boolean;
  /** `message_delta.usage` repeats the input fields instead of sending only `output_tokens`. */
  fullDeltaUsage?: boolean;
  /**
   * The forced tool call takes no arguments: `input: {}` in a JSON body; in a stream, as the API
   * streams it, one `input_json_delta` whose `partial_json` is empty.
   */
  emptyToolInput?: boolean;
  /** With thinking on: a `redacted_thinking` block after the thinking block. */
  redactedThinking?: boolean;
}

export type FakeAnthropic = FakeLlmServer<AnthropicFault>;
export const FAKE_ANTHROPIC_KEY = 'sk-ant-fake';

const ERRORS: Record<number, { type: string; message: string }> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  402: { type: 'billing_error', message: 'Billing error.' },
  403: {
    type: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  404: { type: 'not_found_error', message: 'Not found.' },
  429: {
    type: 'rate_limit_error',
    message: 'Number of request tokens has exceeded your per-minute rate limit.',
  },
  500: { type: 'api_error', message: 'Internal server error' },
  504: { type: 'timeout_error', message: 'Request timed out' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

/** The Models API list (newest first, as the API orders it). */
export const ANTHROPIC_MODELS = ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5'];

export function startFakeAnthropic(
  options: { apiKey?: string; port?: number; models?: string[] } = {},
): Promise<FakeAnthropic> {
  const apiKey = options.apiKey ?? FAKE_ANTHROPIC_KEY;
  const models = options.models ?? ANTHROPIC_MODELS;
  let counter = 0;
  const cache = new FakePromptCache();
  return startLlmServer<AnthropicFault>(({ request, res, fault }) => {
    const listing = request.method === 'GET' && request.path === '/v1/models';
    if (!listing && (request.method !== 'POST' || request.path !== '/v1/messages')) {
      sendError(res, 404, 'not_found_error', 'Not found');
      return;
    }
    const key = request.headers['x-api-key'] ?? request.headers.authorization?.replace(/^Bearer /, '');
    if (key !== apiKey) {
      sendError(res, 401, 'authentication_error', 'invalid x-api-key');
      return;
    }
    if (request.headers['anthropic-version'] === undefined) {
      sendError(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
      return;
    }
    if (listing) {
      sendJson(res, 200, modelsPage(models, request.query));
      return;
    }
    if (fault.spendLimit) {
      sendError(res, 429, 'rate_limit_error', 'You have reached your specified API usage limits.', {
        details: { error_code: 'enforced_spend_limit_reached' },
      });
      return;
    }
    if (fault.status !== undefined) {
      const known = ERRORS[fault.status] ?? { type: 'api_error', message: 'Error' };
      const headers: Record<string, string> =
        fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
      sendError(res, fault.status, known.type, fault.errorMessage ?? known.message, {
        headers,
        ...(fault.errorCode === undefined ? {} : { details: { error_code: fault.errorCode } }),
      });
      return;
    }
    const body = request.body as Record<string, unknown> | undefined;
    if (
      !body ||
      typeof body.model !== 'string' ||
      typeof body.max_tokens !== 'number' ||
      !Array.isArray(body.messages)
    ) {
      sendError(res, 400, 'invalid_request_error', 'model, max_tokens and messages are required');
      return;
    }
    const problem = thinkingProblem(body);
    if (problem !== undefined) {
      sendError(res, 400, 'invalid_request_error', problem);
      return;
    }
    counter += 1;
    const id = `msg_fake_${counter}`;
    const input = echoInput(body);
    const echoed = echo(input, fault.reply?.text);
    const thinking = fault.safety ? undefined : thinkingOf(body, input.lastUserText);
    const extra: Extra = {
      ...(thinking === undefined ? {} : { thinking }),
      redacted: thinking !== undefined && fault.redactedThinking === true,
    };
    const reply =
      fault.emptyToolInput && echoed.toolCall
        ? { ...echoed, toolCall: { ...echoed.toolCall, arguments: '{}' } }
        : echoed;
    const usage = usageFor(reply, fault, cache.use(body), thinking);
    const stopReason = fault.safety ? 'refusal' : reply.toolCall ? 'tool_use' : 'end_turn';
    const headers = { 'request-id': `req_fake_${counter}` };
    if (body.stream === true) {
      writeSse(
        res,
        streamFrames({ id, model: body.model, reply, usage, stopReason, fault, extra }),
        fault,
        headers,
      );
      return;
    }
    sendJson(
      res,
      200,
      {
        id,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: fault.safety ? [] : [...thinkingBlocks(extra), ...contentBlocks(reply)],
        stop_reason: stopReason,
        stop_sequence: null,
        ...(usage === undefined ? {} : { usage: { ...usage, service_tier: 'standard' } }),
      },
      { headers, fault },
    );
  }, options);
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  extra: { details?: Record<string, unknown>; headers?: Record<string, string> } = {},
): void {
  const error: Record<string, unknown> = { type, message };
  if (extra.details) error.details = extra.details;
  sendJson(
    res,
    status,
    { type: 'error', error, request_id: 'req_fake_error' },
    { headers: extra.headers ?? {} },
  );
}

function blockText(content: unknown, counter: { images: number }): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const block of content as Array<Record<string, unknown>>) {
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    if (block.type === 'image') counter.images += 1;
    if (block.type === 'tool_result') text += blockText(block.content, counter);
  }
  return text;
}

function echoInput(body: Record<string, unknown>): EchoInput {
  const counter = { images: 0 };
  const texts = [blockText(body.system, counter)];
  let lastUserText = '';
  for (const message of body.messages as Array<Record<string, unknown>>) {
    const text = blockText(message.content, counter);
    texts.push(text);
    if (message.role === 'user') lastUserText = text;
  }
  const tools = Array.isArray(body.tools) ? (body.tools as Array<{ name?: string }>) : [];
  const toolNames = tools.map((tool) => tool.name ?? '');
  const choice = body.tool_choice as { type?: string; name?: string } | undefined;
  let forcedTool: string | undefined;
  if (choice?.type === 'any') forcedTool = toolNames[0];
  else if (choice?.type === 'tool') forcedTool = choice.name;
  return {
    texts,
    lastUserText,
    imageCount: counter.images,
    toolNames,
    ...(forcedTool ? { forcedTool } : {}),
  };
}

interface WireUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  output_tokens: number;
}

interface Extra {
  thinking?: string;
  redacted: boolean;
}

function thinkingBlocks(extra: Extra): Array<Record<string, unknown>> {
  if (extra.thinking === undefined) return [];
  const blocks: Array<Record<string, unknown>> = [
    { type: 'thinking', thinking: extra.thinking, signature: fakeSignature(extra.thinking) },
  ];
  if (extra.redacted) blocks.push({ type: 'redacted_thinking', data: REDACTED_DATA });
  return blocks;
}

function usageFor(
  reply: EchoReply,
  fault: AnthropicFault,
  cached: CacheUse | undefined,
  thinking: string | undefined,
): WireUsage | undefined {
  if (fault.usage === 'missing') return undefined;
  if (fault.usage === 'zero') {
    return { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 };
  }
  const total = fault.reply?.inputTokens ?? reply.inputTokens;
  const scripted =
    fault.reply?.cacheReadTokens !== undefined || fault.reply?.cacheCreationTokens !== undefined;
  const read = scripted ? (fault.reply?.cacheReadTokens ?? 0) : (cached?.read ?? 0);
  const write1h = scripted ? 0 : (cached?.write1h ?? 0);
  const creation = scripted ? (fault.reply?.cacheCreationTokens ?? 0) : (cached?.write5m ?? 0) + write1h;
  const thinkingTokens = thinking === undefined ? 0 : countWords(thinking);
  return {
    input_tokens: Math.max(0, total - read - creation),
    cache_creation_input_tokens: creation,
    cache_read_input_tokens: read,
    cache_creation: { ephemeral_5m_input_tokens: creation - write1h, ephemeral_1h_input_tokens: write1h },
    // Thinking is billed as output. The real API never reports 0 output tokens, even for an empty reply.
    output_tokens: Math.max(1, fault.reply?.outputTokens ?? reply.outputTokens + thinkingTokens),
  };
}

function contentBlocks(reply: EchoReply): Array<Record<string, unknown>> {
  if (reply.toolCall) {
    const { id, name, arguments: args } = reply.toolCall;
    return [{ type: 'tool_use', id: id.replace('call_', 'toolu_'), name, input: JSON.parse(args) }];
  }
  return [{ type: 'text', text: reply.text }];
}

interface StreamInput {
  id: string;
  model: string;
  reply: EchoReply;
  usage: WireUsage | undefined;
  stopReason: string;
  fault: AnthropicFault;
  extra: Extra;
}

/** A thinking block as the API streams it: empty start, thinking deltas, the signature, stop. */
function thinkingFrames(extra: Extra): string[] {
  if (extra.thinking === undefined) return [];
  const start = (index: number, content_block: unknown) =>
    namedFrame('content_block_start', { type: 'content_block_start', index, content_block });
  const delta = (index: number, value: unknown) =>
    namedFrame('content_block_delta', { type: 'content_block_delta', index, delta: value });
  const stop = (index: number) => namedFrame('content_block_stop', { type: 'content_block_stop', index });
  const frames = [start(0, { type: 'thinking', thinking: '', signature: '' })];
  for (const piece of extra.thinking.match(/\S+\s*/g) ?? []) {
    frames.push(delta(0, { type: 'thinking_delta', thinking: piece }));
  }
  frames.push(delta(0, { type: 'signature_delta', signature: fakeSignature(extra.thinking) }), stop(0));
  if (extra.redacted) frames.push(start(1, { type: 'redacted_thinking', data: REDACTED_DATA }), stop(1));
  return frames;
}

function streamFrames({ id, model, reply, usage, stopReason, fault, extra }: StreamInput): string[] {
  const first = extra.thinking === undefined ? 0 : extra.redacted ? 2 : 1;
  // As Anthropic's message_start: the input counts, `output_tokens: 1` and the tier serving it.
  const startUsage =
    usage === undefined ? undefined : { ...usage, output_tokens: 1, service_tier: 'standard' };
  const message = {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    ...(startUsage === undefined ? {} : { usage: startUsage }),
  };
  const frames = [namedFrame('message_start', { type: 'message_start', message })];
  if (!fault.safety) {
    frames.push(...thinkingFrames(extra));
    if (reply.toolCall) {
      const { id: callId, name, arguments: args } = reply.toolCall;
      const block = { type: 'tool_use', id: callId.replace('call_', 'toolu_'), name, input: {} };
      frames.push(
        namedFrame('content_block_start', {
          type: 'content_block_start',
          index: first,
          content_block: block,
        }),
      );
      for (const piece of fault.emptyToolInput ? [''] : splitArguments(args)) {
        const delta = { type: 'input_json_delta', partial_json: piece };
        frames.push(namedFrame('content_block_delta', { type: 'content_block_delta', index: first, delta }));
      }
    } else {
      const block = { type: 'text', text: '' };
      frames.push(
        namedFrame('content_block_start', {
          type: 'content_block_start',
          index: first,
          content_block: block,
        }),
      );
      frames.push(namedFrame('ping', { type: 'ping' }));
      for (const text of reply.deltas) {
        const delta = { type: 'text_delta', text };
        frames.push(namedFrame('content_block_delta', { type: 'content_block_delta', index: first, delta }));
        if (fault.midStreamError) {
          const error = { type: 'overloaded_error', message: 'Overloaded' };
          frames.push(namedFrame('error', { type: 'error', error }));
          return frames;
        }
      }
    }
    frames.push(namedFrame('content_block_stop', { type: 'content_block_stop', index: first }));
  }
  const deltaUsage =
    usage === undefined ? undefined : fault.fullDeltaUsage ? usage : { output_tokens: usage.output_tokens };
  frames.push(
    namedFrame('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      ...(deltaUsage === undefined ? {} : { usage: deltaUsage }),
    }),
  );
  frames.push(namedFrame('message_stop', { type: 'message_stop' }));
  return frames;
}

/** `GET /v1/models`: `limit` (default 20, at most 1000) entries after `after_id`, with the paging fields. */
function modelsPage(ids: string[], query: Record<string, string>) {
  const limit = Math.min(1000, Math.max(1, Number(query.limit ?? 20) || 20));
  const start = query.after_id === undefined ? 0 : ids.indexOf(query.after_id) + 1;
  const page = ids.slice(start, start + limit);
  return {
    data: page.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-10-01T00:00:00Z' })),
    has_more: start + limit < ids.length,
    first_id: page[0] ?? null,
    last_id: page.at(-1) ?? null,
  };
}
