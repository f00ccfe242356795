import type { CacheControl, ChatMessage, ChatRequest, Part, ToolChoice } from '../contract.js';
import type { JsonObject } from '../shared/wire.js';

/** Anthropic requires `max_tokens`; this is sent when the caller set no limit. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/**
 * Builds a Messages API body. `topP` is sent only when `temperature` is not. Tool results travel as `tool_result` blocks in a user turn, and
 * consecutive turns of the same role are merged into one. A `json_schema` format becomes
 * `output_config.format`; `user` becomes `metadata.user_id`; `parallelToolCalls: false` becomes
 * `disable_parallel_tool_use`; cache breakpoints go on the blocks they mark. Parameters Anthropic
 * cannot honour never arrive here (parameter-support.ts).
 */
export function toMessagesBody(request: ChatRequest, stream: boolean): JsonObject {
  const messages: Array<{ role: 'user' | 'assistant'; content: JsonObject[] }> = [];
  for (const message of request.messages) {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = convertMessage(message);
    const last = messages.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  }

  const body: JsonObject = {
    model: request.model,
    max_tokens: request.maxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages,
  };
  if (request.systemParts?.some((p) => p.cacheControl)) body.system = convertParts(request.systemParts);
  else if (request.system !== undefined && request.system !== '') body.system = request.system;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  // Recent Claude models refuse temperature and top_p together; temperature wins.
  if (request.topP !== undefined && request.temperature === undefined) body.top_p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      input_schema: tool.parameters,
      ...(tool.strict === undefined ? {} : { strict: tool.strict }),
      ...cacheOf(tool),
    }));
    const choice = request.toolChoice === undefined ? undefined : convertToolChoice(request.toolChoice);
    if (request.parallelToolCalls === false && choice?.type !== 'none') {
      body.tool_choice = { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true };
    } else if (choice !== undefined) body.tool_choice = choice;
  }
  if (request.topK !== undefined) body.top_k = request.topK;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (request.serviceTier !== undefined) body.service_tier = request.serviceTier;
  if (request.thinking !== undefined) {
    const { type, budgetTokens, display } = request.thinking;
    body.thinking = {
      type,
      ...(budgetTokens === undefined ? {} : { budget_tokens: budgetTokens }),
      ...(display === undefined ? {} : { display }),
    };
  }
  if (request.responseFormat?.type === 'json_schema' && request.responseFormat.schema) {
    body.output_config = { format: { type: 'json_schema', schema: request.responseFormat.schema } };
  }
  if (stream) body.stream = true;
  return body;
}

function convertMessage(message: ChatMessage): JsonObject[] {
  switch (message.role) {
    case 'user':
      return convertParts(message.content);
    case 'assistant': {
      // Thinking blocks go back first, unmodified, as Anthropic requires.
      const blocks: JsonObject[] = (message.thinking ?? []).map((block) => ({ ...block }));
      blocks.push(...convertParts(message.content));
      for (const call of message.toolCalls ?? []) {
        blocks.push({
          type: 'tool_use',
          id: call.id,
          name: call.name,
          input: parseArguments(call.arguments),
        });
      }
      return blocks;
    }
    case 'tool':
      return [
        { type: 'tool_result', tool_use_id: message.toolCallId, content: convertParts(message.content) },
      ];
  }
}

/** Empty text blocks are rejected by the API, so they are dropped. */
function convertParts(parts: Part[]): JsonObject[] {
  const blocks: JsonObject[] = [];
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text !== '') blocks.push({ type: 'text', text: part.text, ...cacheOf(part) });
    } else if ('data' in part) {
      blocks.push({
        type: 'image',
        source: { type: 'base64', media_type: part.mediaType, data: part.data },
        ...cacheOf(part),
      });
    } else {
      blocks.push({ type: 'image', source: { type: 'url', url: part.url }, ...cacheOf(part) });
    }
  }
  return blocks;
}

function cacheOf(marked: { cacheControl?: CacheControl }): JsonObject {
  return marked.cacheControl ? { cache_control: { ...marked.cacheControl } } : {};
}

/** `tool_use.input` must be an object; a model's malformed arguments are passed on as an empty one. */
function parseArguments(text: string): JsonObject {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
  } catch {
    return {};
  }
}

function convertToolChoice(choice: ToolChoice): JsonObject {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  return { type: 'tool', name: choice.name };
}
