import type { ChatMessage, ChatRequest, Part, ResponseFormat, ToolChoice } from '../contract.js';
import { ProviderError } from '../shared/errors.js';
import { type JsonObject, textOf } from '../shared/wire.js';
import type { OpenAICompatibleVendor } from './vendor.js';

/** Builds a chat-completions request body (OpenAI wire format) from the normalized request. */
export function toChatCompletionsBody(
  request: ChatRequest,
  vendor: OpenAICompatibleVendor,
  stream: boolean,
): JsonObject {
  const messages: JsonObject[] = [];
  if (request.system !== undefined && request.system !== '') {
    // Only OpenAI knows the `developer` role; the gateway routes developer prompts elsewhere as system.
    const role = request.systemRole === 'developer' && vendor.id === 'openai' ? 'developer' : 'system';
    messages.push({ role, content: request.system });
  }
  for (const message of request.messages) messages.push(convertMessage(message, vendor));

  const body: JsonObject = { model: request.model, messages };
  if (request.maxOutputTokens !== undefined) body[vendor.maxTokensField] = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.parameters,
        ...(tool.strict === undefined ? {} : { strict: tool.strict }),
      },
    }));
    // tool_choice and parallel_tool_calls without tools are rejected upstream: they only travel with them.
    if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice);
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.responseFormat !== undefined) {
    body.response_format = convertResponseFormat(request.responseFormat, vendor);
  }
  Object.assign(body, optionalParameters(request));
  if (vendor.extraBody) Object.assign(body, vendor.extraBody(request));
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

function convertMessage(message: ChatMessage, vendor: OpenAICompatibleVendor): JsonObject {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: convertUserContent(message.content) };
    case 'assistant': {
      const text = textOf(message.content);
      const calls = message.toolCalls ?? [];
      const reasoning =
        vendor.sendsReasoningBack && message.reasoning ? { reasoning_content: message.reasoning } : {};
      if (calls.length === 0) return { role: 'assistant', content: text, ...reasoning };
      return {
        role: 'assistant',
        content: text === '' ? null : text,
        ...reasoning,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        })),
      };
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: textOf(message.content) };
  }
}

/** Plain text stays a string: many self-hosted servers only accept array content with images. */
function convertUserContent(parts: Part[]): string | JsonObject[] {
  if (parts.every((part) => part.type === 'text')) return textOf(parts);
  return parts.map((part) => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const url = 'data' in part ? `data:${part.mediaType};base64,${part.data}` : part.url;
    return { type: 'image_url', image_url: { url, ...(part.detail ? { detail: part.detail } : {}) } };
  });
}

function convertToolChoice(choice: ToolChoice): string | JsonObject {
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

function convertResponseFormat(format: ResponseFormat, vendor: OpenAICompatibleVendor): JsonObject {
  if (format.type !== 'json_schema') return { type: format.type };
  if (!vendor.supportsJsonSchema) {
    throw new ProviderError(
      'invalid_request',
      `${vendor.id} cannot hold answers to a JSON schema: ask for response_format json_object and describe the schema in the prompt`,
      { provider: vendor.id, status: 400, retryable: false },
    );
  }
  if (format.schema === undefined) return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: {
      name: format.name ?? 'response',
      ...(format.description === undefined ? {} : { description: format.description }),
      schema: format.schema,
      ...(format.strict === undefined ? {} : { strict: format.strict }),
    },
  };
}

/**
 * The optional parameters in their chat-completions spelling. The gateway sends a request here only
 * when this vendor honours every one it sets (parameter-support.ts), so all of them are written.
 */
function optionalParameters(request: ChatRequest): JsonObject {
  const fields: Array<[string, unknown]> = [
    ['seed', request.seed],
    ['frequency_penalty', request.frequencyPenalty],
    ['presence_penalty', request.presencePenalty],
    ['logit_bias', request.logitBias],
    ['reasoning_effort', request.reasoningEffort],
    ['user', request.user],
    ['prompt_cache_key', request.promptCacheKey],
    ['service_tier', request.serviceTier],
    ['metadata', request.metadata],
    ['verbosity', request.verbosity],
    ['n', request.choices],
    ['logprobs', request.logprobs],
    ['top_logprobs', request.topLogprobs],
  ];
  return Object.fromEntries(fields.filter(([, value]) => value !== undefined));
}
