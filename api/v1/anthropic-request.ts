import type { ChatInputRequest } from '../../core/metering/index.js';
import type { ChatMessage, Part, ToolChoice } from '../../core/providers/index.js';
import type { MessagesBody } from '../schemas/v1-messages.js';
import { imageFromUrl, inlineImage } from './images.js';

type Block = Exclude<MessagesBody['messages'][number]['content'], string>[number];
type MediaBlock = Extract<Block, { type: 'text' } | { type: 'image' }>;

/**
 * Anthropic Messages body -> the provider contract's request. A user message's `tool_result` blocks
 * become `tool` messages (in order), its other blocks a user message after them; an assistant's
 * `tool_use` blocks become its tool calls.
 */
export function fromAnthropicRequest(body: MessagesBody): ChatInputRequest {
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
      message.content.forEach((block, j) => {
        if (block.type === 'tool_use') {
          toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
        } else if (block.type !== 'tool_result') content.push(mediaPart(block, `${param}.${j}`));
      });
      messages.push({ role: 'assistant', content, ...(toolCalls.length > 0 ? { toolCalls } : {}) });
      return;
    }
    const rest: Part[] = [];
    message.content.forEach((block, j) => {
      if (block.type === 'tool_result') {
        const content =
          typeof block.content === 'string'
            ? [{ type: 'text' as const, text: block.content }]
            : (block.content ?? []).map((b, k) => mediaPart(b, `${param}.${j}.content.${k}`));
        messages.push({ role: 'tool', toolCallId: block.tool_use_id, content });
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
  return {
    ...(system ? { system } : {}),
    messages,
    maxOutputTokens: body.max_tokens,
    ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
    ...(body.top_p === undefined ? {} : { topP: body.top_p }),
    ...(body.stop_sequences && body.stop_sequences.length > 0 ? { stop: body.stop_sequences } : {}),
    ...(body.tools && body.tools.length > 0
      ? {
          tools: body.tools.map((t) => ({
            name: t.name,
            ...(t.description === undefined ? {} : { description: t.description }),
            parameters: t.input_schema,
          })),
        }
      : {}),
    ...(body.tool_choice && body.tools?.length ? { toolChoice: toolChoiceOf(body.tool_choice) } : {}),
  };
}

function mediaPart(block: MediaBlock, param: string): Part {
  if (block.type === 'text') return { type: 'text', text: block.text };
  return block.source.type === 'base64'
    ? inlineImage(block.source.data, `${param}.source.data`)
    : imageFromUrl(block.source.url, `${param}.source.url`);
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
