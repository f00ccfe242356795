import { CoreError } from '../../core/errors.js';
import type { ChatInputRequest } from '../../core/metering/index.js';
import type {
  CacheControl,
  ChatMessage,
  Part,
  ThinkingBlock,
  ThinkingConfig,
  ToolChoice,
} from '../../core/providers/index.js';
import type { CountTokensBody, MessagesBody } from '../schemas/v1-messages.js';
import { imageFromUrl, inlineImage } from './images.js';

type Block = Exclude<MessagesBody['messages'][number]['content'], string>[number];
type MediaBlock = Extract<Block, { type: 'text' } | { type: 'image' }>;
const isThinking = (block: Block): block is Extract<Block, { type: 'thinking' | 'redacted_thinking' }> =>
  block.type === 'thinking' || block.type === 'redacted_thinking';

/**
 * Anthropic Messages body -> the provider contract's request. A user message's `tool_result` blocks
 * become `tool` messages (in order), its other blocks a user message after them; an assistant's
 * `tool_use` blocks become its tool calls.
 */
export function fromAnthropicRequest(body: MessagesBody | CountTokensBody): ChatInputRequest {
  if (body.output_config?.effort != null) {
    throw new CoreError('invalid_request', '"output_config.effort" is not supported on this gateway yet', {
      details: { param: 'output_config.effort' },
    });
  }
  const messages: ChatMessage[] = [];
  body.messages.forEach((message, i) => {
    const param = `messages.${i}.content`;
    if (typeof message.content === 'string') {
      messages.push({ role: message.role, content: [{ type: 'text', text: message.content }] });
      return;
    }
    if (message.role === 'assistant') {
      const content: Part[] = [];
      const toolCalls: Array<{ id: string; name: string; arguments: string }> = [];
      const thinking: ThinkingBlock[] = [];
      message.content.forEach((block, j) => {
        if (block.type === 'tool_use') {
          toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
        } else if (isThinking(block)) thinking.push(block);
        else if (block.type !== 'tool_result') content.push(mediaPart(block, `${param}.${j}`));
      });
      messages.push({
        role: 'assistant',
        content,
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
        ...(thinking.length > 0 ? { thinking } : {}),
      });
      return;
    }
    const rest: Part[] = [];
    message.content.forEach((block, j) => {
      if (block.type === 'tool_result') {
        const content =
          typeof block.content === 'string'
            ? [{ type: 'text' as const, text: block.content }]
            : (block.content ?? []).map((b, k) => mediaPart(b, `${param}.${j}.content.${k}`));
        const last = content.at(-1);
        if (last && block.cache_control) content[content.length - 1] = withCache(last, block.cache_control);
        messages.push({ role: 'tool', toolCallId: block.tool_use_id, content });
      } else if (isThinking(block)) {
        throw new CoreError('invalid_request', `${param}.${j}: thinking blocks belong to assistant turns`, {
          details: { param: `${param}.${j}` },
        });
      } else if (block.type !== 'tool_use') rest.push(mediaPart(block, `${param}.${j}`));
    });
    if (rest.length > 0) messages.push({ role: 'user', content: rest });
  });
  const system =
    body.system === undefined
      ? undefined
      : typeof body.system === 'string'
        ? body.system
        : body.system.map((b) => b.text).join('\n\n');
  const systemParts =
    Array.isArray(body.system) && body.system.some((b) => b.cache_control)
      ? body.system.map((b) => withCache({ type: 'text' as const, text: b.text }, b.cache_control))
      : undefined;
  // Top-level cache_control is Anthropic's automatic caching: a breakpoint on the last block.
  if (body.cache_control) {
    const last = messages.at(-1)?.content.at(-1);
    if (last) last.cacheControl = cacheOf(body.cache_control);
  }
  const parallel = body.tool_choice && 'disable_parallel_tool_use' in body.tool_choice;
  return {
    ...(system ? { system } : {}),
    ...(systemParts ? { systemParts } : {}),
    messages,
    ...(body.max_tokens === undefined ? {} : { maxOutputTokens: body.max_tokens }),
    ...(body.top_k === undefined ? {} : { topK: body.top_k }),
    ...(body.thinking === undefined ? {} : { thinking: thinkingOf(body.thinking) }),
    ...(body.metadata?.user_id ? { user: body.metadata.user_id } : {}),
    ...(body.service_tier === undefined ? {} : { serviceTier: body.service_tier }),
    ...(parallel &&
    body.tool_choice?.type !== 'none' &&
    body.tool_choice?.disable_parallel_tool_use !== undefined
      ? { parallelToolCalls: !body.tool_choice.disable_parallel_tool_use }
      : {}),
    ...(body.output_config?.format
      ? { responseFormat: { type: 'json_schema' as const, schema: body.output_config.format.schema } }
      : {}),
    ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
    ...(body.top_p === undefined ? {} : { topP: body.top_p }),
    ...(body.stop_sequences && body.stop_sequences.length > 0 ? { stop: body.stop_sequences } : {}),
    ...(body.tools && body.tools.length > 0
      ? {
          tools: body.tools.map((t) => ({
            name: t.name,
            ...(t.description === undefined ? {} : { description: t.description }),
            parameters: t.input_schema,
            ...(t.strict === undefined ? {} : { strict: t.strict }),
            ...(t.cache_control ? { cacheControl: cacheOf(t.cache_control) } : {}),
          })),
        }
      : {}),
    ...(body.tool_choice && body.tools?.length ? { toolChoice: toolChoiceOf(body.tool_choice) } : {}),
  };
}

function mediaPart(block: MediaBlock, param: string): Part {
  if (block.type === 'text') return withCache({ type: 'text', text: block.text }, block.cache_control);
  const image =
    block.source.type === 'base64'
      ? inlineImage(block.source.data, `${param}.source.data`)
      : imageFromUrl(block.source.url, `${param}.source.url`);
  return withCache(image, block.cache_control);
}

type WireCache = { type: 'ephemeral'; ttl?: '5m' | '1h' | undefined } | null | undefined;

function cacheOf(cache: NonNullable<WireCache>): CacheControl {
  return { type: 'ephemeral', ...(cache.ttl ? { ttl: cache.ttl } : {}) };
}

function withCache<P extends Part>(part: P, cache: WireCache): P {
  return cache ? { ...part, cacheControl: cacheOf(cache) } : part;
}

function thinkingOf(thinking: NonNullable<MessagesBody['thinking']>): ThinkingConfig {
  if (thinking.type === 'disabled') return { type: 'disabled' };
  return {
    type: thinking.type,
    ...(thinking.type === 'enabled' ? { budgetTokens: thinking.budget_tokens } : {}),
    ...(thinking.display === undefined ? {} : { display: thinking.display }),
  };
}

function toolChoiceOf(choice: NonNullable<MessagesBody['tool_choice']>): ToolChoice {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { name: choice.name };
  }
}
