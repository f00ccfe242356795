import type { ServerResponse } from 'node:http';
import { echo } from './llm-echo.js';
import { choiceLogprobs, choiceOptions, choiceReply, SYSTEM_FINGERPRINT } from './llm-openai-choices.js';
import { answerEmbeddings } from './llm-openai-embeddings.js';
import { CREATED, echoInput, streamFrames, usageFor } from './llm-openai-reply.js';
import { answerTranscription } from './llm-openai-transcriptions.js';
import {
  bearerToken,
  type FakeLlmServer,
  type LlmExchange,
  type LlmFault,
  sendJson,
  startLlmServer,
} from './llm-server.js';
import { writeSse } from './sse.js';

/**
 * The chat-completions wire format shared by the OpenAI and DeepSeek fakes (and what self-hosted
 * servers speak). The two dialects differ only as `OpenAIWireDialect` says.
 */

export interface ScriptedReply {
  text?: string;
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
  reasoningTokens?: number;
}

export interface OpenAIWireFault extends LlmFault {
  /** A custom reply and/or token counts for this request. */
  reply?: ScriptedReply;
  /** Where stream usage goes this time: OpenAI's own last chunk or DeepSeek's finish chunk. */
  usagePlacement?: 'separate-chunk' | 'finish-chunk';
  /** The answers (choice indexes) the model refuses with a `refusal` message (see llm-openai-choices). */
  refusedChoices?: number[];
  /** Send a `{"error":...}` chunk after the first content chunk and end the stream. */
  midStreamError?: boolean;
  /** End the stream cleanly without `data: [DONE]` (as some self-hosted servers do). */
  omitDone?: boolean;
  /** With `status`: overrides `error.type` (e.g. `insufficient_quota`) and `error.code` (e.g. `content_policy_violation`). */
  errorType?: string;
  errorCode?: string;
}

export interface OpenAIWireDialect {
  paths: readonly string[];
  /** Where `POST /embeddings` is served, when the vendor has it (see llm-openai-embeddings). */
  embeddingsPath?: string;
  /** Where `POST /audio/transcriptions` is served (see llm-openai-transcriptions). */
  transcriptionsPath?: string;
  usagePlacement: 'separate-chunk' | 'finish-chunk';
  /** DeepSeek: `: keep-alive` comments before a stream, blank lines before a JSON body. */
  keepAlive: boolean;
  /** What `GET /models` lists unless the start options say otherwise. */
  models?: ListedModel[];
  /** Vendor-only usage fields. */
  extraUsage?: (promptTokens: number, cachedTokens: number) => Record<string, number>;
  /**
   * DeepSeek's thinking mode: on unless `thinking.type` is `disabled`; answers carry
   * `reasoning_content`; a tool-call turn sent back without its `reasoning_content` is refused.
   */
  thinking?: boolean;
  /** OpenAI: answers state the `service_tier` that served them (see llm-openai-choices). */
  serviceTier?: boolean;
}

const REASONING_REQUIRED = 'The `reasoning_content` in the thinking mode must be passed back to the API.';

function thinkingEnabled(body: Record<string, unknown>): boolean {
  return (body.thinking as { type?: string } | undefined)?.type !== 'disabled';
}

function toolTurnWithoutReasoning(messages: Array<Record<string, unknown>>): boolean {
  return messages.some(
    (m) =>
      m.role === 'assistant' &&
      Array.isArray(m.tool_calls) &&
      m.tool_calls.length > 0 &&
      (typeof m.reasoning_content !== 'string' || m.reasoning_content === ''),
  );
}

/** One entry of `GET /models`; OpenAI adds `shutdown_date` (YYYY-MM-DD) to deprecated models. */
export interface ListedModel {
  id: string;
  shutdown_date?: string | null;
}

export interface StartOptions {
  /** The key clients must send as `Authorization: Bearer`; null accepts any or none. */
  apiKey?: string | null;
  /** What `GET /models` lists (default: the vendor's list, see each fake). */
  models?: ListedModel[];
  /** Default 0 (any free port). */
  port?: number;
}

export type FakeOpenAIWireServer = FakeLlmServer<OpenAIWireFault>;

export function startOpenAIWireFake(
  dialect: OpenAIWireDialect,
  apiKey: string | null,
  port?: number,
): Promise<FakeOpenAIWireServer> {
  let counter = 0;
  return startLlmServer<OpenAIWireFault>(
    (exchange) => {
      const { request, res, fault } = exchange;
      if (request.method === 'GET' && request.path.endsWith('/models')) {
        if (!authorized(exchange, apiKey)) return;
        sendJson(res, 200, {
          object: 'list',
          data: (dialect.models ?? []).map((model) => ({
            object: 'model',
            created: CREATED,
            owned_by: dialect.paths[0]?.startsWith('/v1') ? 'openai' : 'deepseek',
            ...model,
          })),
        });
        return;
      }
      const embeddings = dialect.embeddingsPath !== undefined && request.path === dialect.embeddingsPath;
      const transcriptions =
        dialect.transcriptionsPath !== undefined && request.path === dialect.transcriptionsPath;
      if (
        request.method !== 'POST' ||
        !(embeddings || transcriptions || dialect.paths.includes(request.path))
      ) {
        sendError(
          res,
          404,
          'invalid_request_error',
          `Unknown request URL: ${request.method} ${request.path}`,
          null,
        );
        return;
      }
      if (!authorized(exchange, apiKey)) return;
      if (fault.status !== undefined) {
        sendFaultStatus(res, fault);
        return;
      }
      if (transcriptions) {
        return answerTranscription(request, res, fault, (status, type, message, param, code) =>
          sendError(res, status, type, message, param, code),
        );
      }
      if (embeddings) {
        answerEmbeddings(request, res, fault, (status, type, message, param, code) =>
          sendError(res, status, type, message, param, code),
        );
        return;
      }
      const body = request.body as Record<string, unknown> | undefined;
      if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
        sendError(
          res,
          400,
          'invalid_request_error',
          "Missing required parameter: 'model' or 'messages'.",
          'messages',
        );
        return;
      }
      const thinking = dialect.thinking === true && thinkingEnabled(body);
      if (thinking && toolTurnWithoutReasoning(body.messages as Array<Record<string, unknown>>)) {
        sendError(res, 400, 'invalid_request_error', REASONING_REQUIRED, 'messages');
        return;
      }
      const options = choiceOptions(body);
      if ('error' in options) {
        sendError(res, 400, 'invalid_request_error', options.error.message, options.error.param);
        return;
      }
      counter += 1;
      const id = `chatcmpl-fake-${counter}`;
      const input = echoInput(body);
      const reply = echo(input, fault.reply?.text);
      const reasoningText = thinking && !fault.safety ? `Thinking about: ${input.lastUserText}` : undefined;
      const usage = usageFor(reply, fault, dialect, reasoningText, options.n);
      const info: Record<string, string> = {
        system_fingerprint: SYSTEM_FINGERPRINT,
        ...(dialect.serviceTier ? { service_tier: options.serviceTier } : {}),
      };
      const finishReason = fault.safety ? 'content_filter' : reply.toolCall ? 'tool_calls' : 'stop';
      if (body.stream === true) {
        const includeUsage =
          (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
        const frames = streamFrames({
          id,
          model: body.model,
          reply,
          fault,
          finishReason,
          includeUsage,
          usage,
          dialect,
          ...(reasoningText === undefined ? {} : { reasoningText }),
          choices: options,
          info,
        });
        writeSse(res, frames, fault, { 'x-request-id': `req_fake_${counter}` });
        return;
      }
      const choices = Array.from({ length: options.n }, (_, index) => {
        const refused = fault.refusedChoices?.includes(index) === true;
        const answer = choiceReply(reply, index, fault.refusedChoices);
        const message: Record<string, unknown> = {
          role: 'assistant',
          content: fault.safety ? '' : answer.toolCall || refused ? null : answer.text,
          refusal: refused ? answer.text : null,
          annotations: [],
        };
        if (reasoningText !== undefined) message.reasoning_content = reasoningText;
        if (answer.toolCall && !fault.safety) {
          message.tool_calls = [
            {
              id: answer.toolCall.id,
              type: 'function',
              function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments },
            },
          ];
        }
        const tokens = fault.safety || answer.toolCall || refused ? [] : answer.deltas;
        return {
          index,
          message,
          logprobs: choiceLogprobs(tokens, options.topLogprobs),
          finish_reason: finishReason,
        };
      });
      const completion: Record<string, unknown> = {
        id,
        object: 'chat.completion',
        created: CREATED,
        model: body.model,
        ...info,
        choices,
      };
      if (usage !== undefined) completion.usage = usage;
      sendJson(res, 200, completion, {
        fault,
        prefix: dialect.keepAlive ? '\n\n' : '',
        headers: { 'x-request-id': `req_fake_${counter}` },
      });
    },
    { port },
  );
}

function authorized(exchange: LlmExchange<OpenAIWireFault>, apiKey: string | null): boolean {
  if (apiKey === null || bearerToken(exchange.request.headers) === apiKey) return true;
  sendError(
    exchange.res,
    401,
    'invalid_request_error',
    'Incorrect API key provided.',
    null,
    'invalid_api_key',
  );
  return false;
}

const ERROR_TYPES: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  402: { type: 'invalid_request_error', code: 'insufficient_balance', message: 'Insufficient Balance' },
  422: { type: 'invalid_request_error', code: null, message: 'Invalid parameters.' },
  429: { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests' },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request.',
  },
  503: {
    type: 'service_unavailable_error',
    code: 'server_is_overloaded',
    message: 'The engine is currently overloaded.',
  },
};

function sendFaultStatus(res: ServerResponse, fault: OpenAIWireFault): void {
  const status = fault.status ?? 500;
  const known = ERROR_TYPES[status] ?? { type: 'server_error', code: null, message: 'Error.' };
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
  const type = fault.errorType ?? known.type;
  sendError(
    res,
    status,
    type,
    fault.errorMessage ?? known.message,
    null,
    fault.errorCode ?? known.code,
    headers,
  );
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  param: string | null,
  code: string | null = null,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { message, type, param, code } }, { headers });
}
